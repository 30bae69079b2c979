/**
 * The earned-autonomy page: the shadow agreement per exception type with its interval, false
 * releases and the recommended mode (an approver promotes a slice here), the rules in force, and
 * the "QA review" list — autonomous settlements drawn for a person to agree or disagree with.
 */
import { Decision } from '../domain/vocabulary.js';
import { describeRule, type SourcedRule } from '../guard/autonomy.js';
import type { Identity } from '../guard/identity.js';
import type { ShadowReport } from '../shadow/report.js';
import type { QaReport } from '../shadow/qa-report.js';
import type { QaSample } from '../shadow/qa-store.js';
import { label, money, percent } from './format.js';
import { html, type SafeHtml } from './html.js';
import { BASE } from './layout.js';

export interface AutonomyView {
  report: ShadowReport;
  qa: QaReport;
  pending: QaSample[];
  rules: SourcedRule[];
  globalMode: string;
}

const ci = (low: number, high: number, n: number): string => (n ? `${percent(low, 1)}–${percent(high, 1)}` : '—');

/** The shadow agreement table; with `csrf`, approvers get a promote form per exception type. */
export function shadowPanel(r: ShadowReport, identity: Identity, csrf?: string): SafeHtml {
  const canPromote = csrf !== undefined && identity.scopes.has('proposals:decide');
  const rows = Object.entries(r.by_exception_type).map(
    ([type, f]) =>
      html`<tr>
        <th scope="row">${label(type)}</th>
        <td class="num">${f.cases}</td>
        <td class="num">${f.agreed}</td>
        <td class="num">${percent(f.agreement, 1)}</td>
        <td class="num">${ci(f.ci_low, f.ci_high, f.cases)}</td>
        <td class="num">${f.false_release_value}</td>
        <td>
          ${Object.entries(f.disagreements)
            .map(([k, n]) => `${k} ×${n}`)
            .join('; ')}
        </td>
        <td>
          <strong>${label(f.recommendation.mode)}</strong> <span class="muted small">${f.recommendation.reason}</span>
        </td>
        ${
          canPromote
            ? html`<td>
                <form method="post" action="${BASE}/autonomy/promote" class="inline">
                  <input type="hidden" name="_csrf" value="${csrf}" /><input
                    type="hidden"
                    name="exception_type"
                    value="${type}"
                  />
                  <label class="visually-hidden" for="mode-${type}">Mode for ${label(type)}</label>
                  <select id="mode-${type}" name="mode">
                    ${(['autonomous', 'assisted', 'monitor', 'shadow'] as const).map((m) => html`<option value="${m}" ${m === f.recommendation.mode ? html` selected` : ''}>${label(m)}</option>`)}
                  </select>
                  <button type="submit">Set</button>
                </form>
              </td>`
            : ''
        }
      </tr>`,
  );
  return html`<section class="panel" aria-labelledby="shadow-h">
    <h2 id="shadow-h">Shadow agreement</h2>
    <p>
      ${r.cases} cases settled by people (${r.awaiting_person} waiting), agreement ${percent(r.agreement, 1)} (95% CI
      ${ci(r.ci_low, r.ci_high, r.cases)}), false auto-release ${r.false_release_value}, Coupa writes while shadowing:
      ${r.coupa_writes}.
    </p>
    <table class="numbers">
      <caption>
        Agent vs people, per exception type
      </caption>
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col">Cases</th>
          <th scope="col">Agreed</th>
          <th scope="col">Agreement</th>
          <th scope="col">95% CI</th>
          <th scope="col">False release</th>
          <th scope="col">Disagreements</th>
          <th scope="col">Recommended</th>
          ${canPromote ? html`<th scope="col">Promote</th>` : ''}
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </section>`;
}

function rulesPanel(v: AutonomyView): SafeHtml {
  return html`<section class="panel" aria-labelledby="rules-h">
    <h2 id="rules-h">Autonomy rules in force (first match wins)</h2>
    <ol>
      ${v.rules.map((r) => html`<li>${r.rule.name ? `${r.rule.name}: ` : ''}${describeRule(r.rule)} <span class="muted small">${r.source}</span></li>`)}
    </ol>
    <p>Everything else: <strong>${label(v.globalMode)}</strong>.</p>
  </section>`;
}

function qaItem(s: QaSample, identity: Identity, csrf: string): SafeHtml {
  const form =
    identity.scopes.has('invoices:comment') || identity.scopes.has('proposals:decide')
      ? html`<form method="post" action="${BASE}/qa/${s.id}" class="stack qa-form">
          <input type="hidden" name="_csrf" value="${csrf}" />
          <fieldset>
            <legend>Your verdict</legend>
            <div class="radio">
              <input type="radio" id="qa-${s.id}-agree" name="verdict" value="agree" required /><label
                for="qa-${s.id}-agree"
                >Agree</label
              >
            </div>
            <div class="radio">
              <input type="radio" id="qa-${s.id}-disagree" name="verdict" value="disagree" /><label
                for="qa-${s.id}-disagree"
                >Disagree</label
              >
            </div>
          </fieldset>
          <label for="qa-${s.id}-decision">Correct decision (if you disagree)</label>
          <select id="qa-${s.id}-decision" name="correct_decision">
            <option value="">—</option>
            ${Decision.options.map((d) => html`<option value="${d}">${label(d)}</option>`)}
          </select>
          <label for="qa-${s.id}-reason">Reason</label>
          <textarea id="qa-${s.id}-reason" name="reason" rows="2" required minlength="3" maxlength="2000"></textarea>
          <button type="submit">Record QA verdict</button>
        </form>`
      : html`<p class="muted">Only a reviewer or approver can record a QA verdict.</p>`;
  return html`<li class="qa-item" id="qa-${s.id}">
    <h3>
      <a href="${BASE}/exceptions/${s.invoiceId}">Invoice ${s.invoiceId}</a> — ${label(s.exceptionType)}:
      ${label(s.decision)}
    </h3>
    <p class="muted small">
      ${s.supplierName ?? 'unknown supplier'} · ${money(s.amount)} · confidence
      ${s.confidence === null ? '—' : s.confidence.toFixed(2)} · drawn: ${s.drawnBecause}
    </p>
    ${form}
  </li>`;
}

export function autonomyBody(v: AutonomyView, identity: Identity, csrf: string): SafeHtml {
  const qa = v.qa;
  return html`<h1>Earned autonomy</h1>
    ${shadowPanel(v.report, identity, csrf)} ${rulesPanel(v)}
    <section class="panel" aria-labelledby="qa-h">
      <h2 id="qa-h">QA review</h2>
      <p>
        ${qa.sampled} autonomous settlements drawn, ${qa.reviewed} reviewed: agreement ${percent(qa.agreement, 1)} (95%
        CI ${ci(qa.ci_low, qa.ci_high, qa.reviewed)}), false release ${qa.false_release_value}.
      </p>
      ${
        v.pending.length
          ? html`<ul class="qa-list">
              ${v.pending.map((s) => qaItem(s, identity, csrf))}
            </ul>`
          : html`<p>Nothing waits for QA review.</p>`
      }
    </section>`;
}
