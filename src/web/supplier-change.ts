/**
 * The supplier change request as the review page shows it (issue 23): a pre-filled form of the
 * fields a registry contradicts — Coupa's value → the registry's, with the evidence — for the
 * supplier-master approver. Approving posts it to Coupa for the supplier-management team; Settle
 * itself never edits supplier or bank data.
 */
import { z } from 'zod';
import { html, type SafeHtml } from './html.js';
import { mixedText } from './untrusted-text.js';

const Changes = z.array(
  z.object({ field: z.string(), coupa_value: z.string(), registry_value: z.string(), evidence: z.string() }),
);

/** The change request table, or undefined when the input is not a change request. */
export function supplierChangeTable(input: Record<string, unknown>, approver: string): SafeHtml | undefined {
  const parsed = Changes.safeParse(input.changes);
  if (!parsed.success) return undefined;
  return html`<section class="supplier-change" aria-label="Supplier change request">
    <p class="note">
      Supplier master change request for <strong>${approver}</strong> (supplier-master approver). Approving posts it to
      Coupa for the supplier-management team; nothing in the supplier record or bank details is changed by Settle.
    </p>
    <table class="change-request">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">In Coupa</th>
          <th scope="col">Registry says</th>
          <th scope="col">Evidence</th>
        </tr>
      </thead>
      <tbody>
        ${parsed.data.map(
          (c) =>
            html`<tr>
              <td>${c.field}</td>
              <td><code>${mixedText(c.coupa_value)}</code></td>
              <td>${mixedText(c.registry_value)}</td>
              <td class="small">${mixedText(c.evidence)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}
