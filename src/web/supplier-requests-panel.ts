/**
 * The dashboard's "Waiting on suppliers" panel: pending supplier requests, oldest first, with
 * reminders and escalations. Supplier names are supplier-controlled text: `html` escapes them.
 */
import type { DigestRequests } from '../runner/digest-requests.js';
import { age } from './format.js';
import { html, type SafeHtml } from './html.js';
import { BASE } from './layout.js';

export function supplierRequestsPanel(r: DigestRequests | null | undefined, now: Date): SafeHtml | string {
  if (!r || (r.pending === 0 && r.answeredInWindow === 0)) return '';
  return html`<section class="panel" aria-labelledby="supplier-requests-h">
    <h2 id="supplier-requests-h">Waiting on suppliers</h2>
    <p>
      ${r.pending} item(s) pending with suppliers, ${r.escalated} escalated to the AP owner; ${r.answeredInWindow}
      answered in the last 30 days. <code>settle requests</code> lists them all.
    </p>
    ${
      r.oldest.length
        ? html`<table class="numbers">
            <caption>
              Pending supplier requests, oldest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Invoice</th>
                <th scope="col">Supplier</th>
                <th scope="col">Asked for</th>
                <th scope="col">Age</th>
                <th scope="col">Reminders</th>
                <th scope="col">Escalated to</th>
              </tr>
            </thead>
            <tbody>
              ${r.oldest.map(
                (p) =>
                  html`<tr>
                    <th scope="row">
                      <a href="${BASE}/exceptions/${p.invoiceId}">${p.invoiceNumber ?? String(p.invoiceId)}</a>
                    </th>
                    <td>${p.supplierName ?? '—'}</td>
                    <td>${p.asked}</td>
                    <td class="num">${age(now.getTime() - p.askedAt.getTime())}</td>
                    <td class="num">${p.reminders}</td>
                    <td>${p.escalatedTo ?? ''}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : ''
    }
  </section>`;
}
