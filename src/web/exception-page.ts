/**
 * One exception: what waits (proposal or routed decision) and the decision panel first, then the
 * records side by side, the dossier, the supplier's own words, and the audit trail.
 */
import type { Mode } from '../domain/controls.js';
import { invoiceCurrency, supplierTexts } from '../domain/index.js';
import type { Identity } from '../guard/identity.js';
import { comparisonTable } from './comparison.js';
import { changeForm, proposalPanel } from './decision-forms.js';
import { auditSection, dossierSection } from './dossier.js';
import type { ExceptionView } from './exception-data.js';
import { label, money, percent, when } from './format.js';
import { html, type SafeHtml } from './html.js';
import { BASE } from './layout.js';
import { supplierText } from './untrusted-text.js';

function summary(v: ExceptionView): SafeHtml {
  const inv = v.context?.invoice;
  const verdict = v.settlement?.verdict;
  const type = verdict?.exception_type ?? v.assessment?.exceptionType ?? 'other';
  const currency = v.context ? invoiceCurrency(v.context) : null;
  return html`<dl class="facts">
    <div>
      <dt>Supplier</dt>
      <dd>${inv?.supplier?.name ?? v.settlement?.supplierName ?? '—'}</dd>
    </div>
    <div>
      <dt>Total</dt>
      <dd>${money(inv?.grossTotal ?? inv?.totalWithTaxes, currency)}</dd>
    </div>
    <div>
      <dt>Status in Coupa</dt>
      <dd><span class="badge">${inv?.status ?? 'unknown'}</span></dd>
    </div>
    <div>
      <dt>Exception</dt>
      <dd><span class="badge type-${type}">${label(type)}</span></dd>
    </div>
    <div>
      <dt>Agent's decision</dt>
      <dd>
        ${verdict?.decision ? html`${label(verdict.decision)} <span class="muted">(${verdict.outcome ?? ''})</span>` : '—'}
      </dd>
    </div>
    <div>
      <dt>Confidence</dt>
      <dd>
        ${percent(verdict?.confidence ?? v.assessment?.confidence)}${verdict?.confidence_raw !== undefined ? html` <span class="muted">(calibrated; raw score ${percent(verdict.confidence_raw)})</span>` : ''}
      </dd>
    </div>
    <div>
      <dt>Settled</dt>
      <dd>${v.settlement ? when(v.settlement.settledAt) : 'not yet'}</dd>
    </div>
  </dl>`;
}

function waitingPanel(v: ExceptionView, identity: Identity, mode: Mode, csrf: string): SafeHtml {
  const pending = v.proposals.filter((p) => p.status === 'pending');
  const decided = v.proposals.filter((p) => p.status !== 'pending');
  const canDecide = identity.scopes.has('proposals:decide');
  const verdict = v.settlement?.verdict;
  const routed =
    pending.length === 0 && verdict && !verdict.executed
      ? html`<p>
          The agent's decision,
          <strong>${label(verdict.decision ?? 'hold')}</strong
          >${verdict.route_to ? html` to <strong>${verdict.route_to}</strong>` : ''}, waits for people.
        </p>`
      : '';
  return html`<section aria-labelledby="action-h" class="panel">
    <h2 id="action-h">Proposed action</h2>
    ${pending.length ? pending.map((p) => proposalPanel(p, identity, csrf)) : html`<p class="muted">No proposal is waiting for this invoice.</p>`}
    ${routed} ${canDecide && v.context ? changeForm(v.invoiceId, pending[0]?.id ?? null, mode, csrf) : ''}
    ${
      decided.length
        ? html`<h3>Decided proposals</h3>
            <ul>
              ${decided.map((p) => html`<li><code>${p.tool}</code> — <strong>${p.status}</strong>${p.decidedBy ? html` by ${p.decidedBy}` : ''}${p.decisionReason ? html`: ${p.decisionReason}` : ''}</li>`)}
            </ul>`
        : ''
    }
    ${
      v.decisions.length
        ? html`<h3>Decisions on this page</h3>
            <ul>
              ${v.decisions.map((d) => html`<li>${when(d.decidedAt)} — ${d.decidedBy}: ${d.action}${d.tool ? html` <code>${d.tool}</code>` : ''} → ${d.outcome}${d.reason ? html` (${d.reason})` : ''}</li>`)}
            </ul>`
        : ''
    }
  </section>`;
}

/** The author of a comment, for the label ("comment 12" → "Comment 12 by jdoe"). */
function sourceLabel(v: ExceptionView, source: string): string {
  const id = /^comment (\d+)$/.exec(source)?.[1];
  const author = id ? v.context?.comments?.find((c) => String(c.id) === id)?.createdBy?.login : undefined;
  return `${label(source)}${author ? ` by ${author}` : ''}`;
}

function supplierWords(v: ExceptionView): SafeHtml {
  const texts = v.context ? supplierTexts(v.context) : [];
  return html`<section aria-labelledby="supplier-h">
    <h2 id="supplier-h">Text from the supplier and other outside authors</h2>
    <p class="muted small">Shown as plain text, exactly as received. Nothing written here can authorise an action.</p>
    ${
      texts.length
        ? html`<dl class="supplier-words">
            ${texts.map(
              (t) =>
                html`<dt>${sourceLabel(v, t.source)}</dt>
                  <dd>${supplierText(t.text)}</dd>`,
            )}
          </dl>`
        : html`<p class="muted">Nothing.</p>`
    }
  </section>`;
}

/** The exception page body. */
export function exceptionBody(v: ExceptionView, identity: Identity, mode: Mode, csrf: string): SafeHtml {
  const inv = v.context?.invoice;
  const records = v.context
    ? html`<section aria-labelledby="records-h">
        <h2 id="records-h">Invoice, purchase order and receipts</h2>
        <div class="scroll">${comparisonTable(v.context, invoiceCurrency(v.context))}</div>
      </section>`
    : html`<p class="flash flash-error">Invoice ${v.invoiceId} was not found in Coupa.</p>`;
  return html`<p><a href="${BASE}">← Review queue</a></p>
    <h1>Invoice ${inv?.invoiceNumber ?? v.invoiceId}</h1>
    ${summary(v)}
    ${v.assessmentError ? html`<p class="flash flash-warn">The checks could not run on the current records: ${v.assessmentError}</p>` : ''}
    ${waitingPanel(v, identity, mode, csrf)} ${records}
    ${dossierSection(v.settlement?.verdict, v.assessment, v.clauses)} ${supplierWords(v)} ${auditSection(v.audit)}`;
}
