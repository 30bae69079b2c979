/**
 * The dossier as people read it: root cause, evidence, the cited policy (clause text on expand),
 * flags, and the audit trail of every tool call on the invoice. Evidence can quote supplier text;
 * fenced passages are shown as labelled text.
 */
import type { AuditRow } from '../audit/index.js';
import type { Assessment } from '../domain/index.js';
import type { PolicyClause } from './exception-data.js';
import { label, when } from './format.js';
import { html, type SafeHtml } from './html.js';
import type { StoredVerdict } from './review-store.js';
import { mixedText } from './untrusted-text.js';

/** The clause body: its own heading is already in the summary line. */
function withoutHeading(text: string): string {
  return text.replace(/^#{1,6}\s+.*\n+/, '');
}

function clause(c: PolicyClause): SafeHtml {
  return html`<li>
    <details>
      <summary><strong>${c.sectionId}</strong> ${c.title} <span class="muted small">(${c.document})</span></summary>
      ${c.text === null ? html`<p class="muted">The clause text is no longer in the knowledge store.</p>` : html`<blockquote class="clause">${withoutHeading(c.text)}</blockquote>`}
    </details>
  </li>`;
}

/** Root cause, evidence, policy and flags from the agent's verdict, else from the live assessment. */
export function dossierSection(
  verdict: StoredVerdict | undefined,
  assessment: Assessment | null,
  clauses: readonly PolicyClause[],
): SafeHtml {
  const rootCause = verdict?.root_cause ?? assessment?.rootCause ?? 'No assessment is available.';
  const rule = verdict?.rule ?? assessment?.rule ?? null;
  const evidence = verdict?.evidence?.length
    ? verdict.evidence.map((e) => html`<li><span class="muted">${e.source}:</span> ${mixedText(e.detail)}</li>`)
    : (assessment?.findings ?? []).map(
        (f) => html`<li><span class="muted">${label(f.kind)}:</span> ${mixedText(f.summary)}</li>`,
      );
  const controls = assessment?.controlsApplied ?? [];
  return html`<section aria-labelledby="dossier-h">
    <h2 id="dossier-h">Dossier</h2>
    <h3>Root cause</h3>
    <p class="root-cause">${mixedText(rootCause)}</p>
    ${rule ? html`<p class="muted">Rule that decided: ${rule}</p>` : ''}
    <h3>Evidence</h3>
    ${
      evidence.length
        ? html`<ul class="evidence">
            ${evidence}
          </ul>`
        : html`<p class="muted">No evidence recorded.</p>`
    }
    ${
      controls.length
        ? html`<h3>Controls, as they apply now</h3>
            <ul class="controls-applied">
              ${controls.map((c) => html`<li class="${c.within ? '' : 'variance'}">${label(c.control)}: ${c.actual} against limit ${c.limit} — <strong>${c.within ? 'within' : 'exceeded'}</strong></li>`)}
            </ul>`
        : ''
    }
    <h3>Cited policy</h3>
    ${
      clauses.length
        ? html`<ul class="clauses">
            ${clauses.map(clause)}
          </ul>`
        : html`<p class="muted">The agent cited no policy section for this exception.</p>`
    }
    ${
      verdict?.flags?.length
        ? html`<h3>Flags</h3>
            <ul>
              ${verdict.flags.map((f) => html`<li>${label(f)}</li>`)}
            </ul>`
        : ''
    }
  </section>`;
}

function auditRow(r: AuditRow): SafeHtml {
  return html`<tr class="decision-${r.decision}">
    <td class="num">${r.seq}</td>
    <td class="nowrap">${when(r.at)}</td>
    <td>${r.actor} <span class="muted small">${r.actorKind}</span></td>
    <td><code>${r.tool}</code></td>
    <td>${r.decision}</td>
    <td>${mixedText(r.reason)}</td>
    <td>${mixedText(r.resultSummary)}</td>
  </tr>`;
}

/** The audit trail of the invoice, oldest first; null rows means the role may not read it. */
export function auditSection(rows: readonly AuditRow[] | null): SafeHtml {
  const body =
    rows === null
      ? html`<p class="muted">Your role cannot read the audit trail.</p>`
      : rows.length === 0
        ? html`<p class="muted">No tool calls recorded for this invoice.</p>`
        : html`<div class="scroll">
            <table class="audit">
              <caption>
                Every tool call on this invoice, by the agent and by people (hash-chained audit log)
              </caption>
              <thead>
                <tr>
                  <th scope="col" class="num">#</th>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Tool</th>
                  <th scope="col">Guard</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map(auditRow)}
              </tbody>
            </table>
          </div>`;
  return html`<section aria-labelledby="audit-h">
    <h2 id="audit-h">Audit trail</h2>
    ${body}
  </section>`;
}
