/**
 * The dashboard: headline figures as tiles, three charts (Chart.js, labelled directly, each with
 * its numbers in a table for screen readers), and the mode switch with the controls beside it.
 */
import type { Controls, Mode } from '../domain/controls.js';
import type { Identity } from '../guard/identity.js';
import type { DashboardData } from './dashboard-data.js';
import type { EvalSummary } from './eval-report.js';
import { age, duration, label, percent, when } from './format.js';
import { html, jsonScript, type SafeHtml } from './html.js';
import { BASE } from './layout.js';
import { shadowPanel } from './autonomy-page.js';
import type { ShadowReport } from '../shadow/report.js';
import type { QueueItem } from './queue-data.js';
import type { CalibrationArtifact } from '../domain/calibration-artifact.js';
import { calibrationPanel } from './calibration-panel.js';
import type { DigestRequests } from '../runner/digest-requests.js';
import { supplierRequestsPanel } from './supplier-requests-panel.js';

export interface DashboardView {
  data: DashboardData;
  oldest: QueueItem | undefined;
  waiting: number;
  evalSummary: EvalSummary | { error: string } | undefined;
  mode: Mode;
  controls: Controls;
  /** The shadow agreement report (earned autonomy). */
  shadow?: ShadowReport;
  /** The confidence calibration in force, if any. */
  calibration?: { artifact: CalibrationArtifact; label: string } | undefined;
  /** Pending supplier requests (issue 25). */
  supplierRequests?: DigestRequests | null | undefined;
  now?: Date;
}

const tile = (title: string, value: SafeHtml | string, note: SafeHtml | string = ''): SafeHtml =>
  html`<div class="tile">
    <h2>${title}</h2>
    <p class="figure">${value}</p>
    <p class="muted small">${note}</p>
  </div>`;

function evalTile(e: DashboardView['evalSummary']): SafeHtml {
  if (!e)
    return tile(
      'Eval accuracy',
      '—',
      html`No eval report for this build (<code>settle eval --json .settle/eval-report.json</code>).`,
    );
  if ('error' in e) return tile('Eval accuracy', '—', `Report unreadable: ${e.error}`);
  return tile(
    'Eval accuracy',
    percent(e.accuracy, 1),
    `${e.passed} of ${e.cases} cases, ${e.unsafe} unsafe · ${e.brain ?? 'brain not stated'}${e.model ? ` (${e.model})` : ''} · ${when(e.writtenAt)}`,
  );
}

function tiles(v: DashboardView): SafeHtml {
  const d = v.data;
  const share = d.settled ? d.autoResolved / d.settled : null;
  return html`<div class="tiles">
    ${tile('Auto-resolved', percent(share), `${d.autoResolved} of ${d.settled} exceptions resolved by the agent without a person (${d.windowDays} days)`)}
    ${tile('Agent time to settle', duration(d.agentTime.medianMs), `median of ${d.agentTime.count} runs · 90th percentile ${duration(d.agentTime.p90Ms)}`)}
    ${tile('Human time to settle', duration(d.humanTime.medianMs), `median wait from routing to a decision on this page, ${d.humanTime.count} decisions · 90th percentile ${duration(d.humanTime.p90Ms)}`)}
    ${tile('Oldest waiting', v.oldest ? age(v.oldest.ageMs) : 'none', v.oldest ? html`<a href="${BASE}/exceptions/${v.oldest.invoiceId}">${v.oldest.invoiceNumber ?? v.oldest.invoiceId}</a> · ${v.waiting} waiting in all` : 'The queue is empty.')}
    ${evalTile(v.evalSummary)}
  </div>`;
}

function numbersTable(caption: string, head: string[], rows: Array<Array<string | number>>): SafeHtml {
  return html`<details>
    <summary>Show the numbers</summary>
    <table class="numbers">
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          ${head.map((h) => html`<th scope="col">${h}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr>
              ${r.map((c, i) => (i === 0 ? html`<th scope="row">${c}</th>` : html`<td class="num">${c}</td>`))}
            </tr>`,
        )}
      </tbody>
    </table>
  </details>`;
}

function chart(id: string, title: string, summaryText: string, table: SafeHtml, tall = false): SafeHtml {
  return html`<figure class="chart" aria-labelledby="${id}-title">
    <figcaption id="${id}-title">${title}</figcaption>
    <div class="canvas-box${tall ? ' tall' : ''}">
      <canvas id="${id}" role="img" aria-label="${summaryText}"></canvas>
    </div>
    ${table}
  </figure>`;
}

function charts(d: DashboardData): SafeHtml {
  const total = d.byType.reduce((n, t) => n + t.total, 0);
  const typeSummary = d.byType.length ? d.byType.map((t) => `${label(t.type)} ${t.total}`).join(', ') : 'no exceptions';
  return html`<div class="charts">
      ${chart(
        'chart-types',
        `Exceptions per day by type, last ${d.days.length} days (${total} in all; dot size and number = exceptions that day)`,
        `Exceptions per day by type: ${typeSummary}`,
        numbersTable(
          'Exceptions per type',
          ['Type', 'Exceptions'],
          d.byType.map((t) => [label(t.type), t.total]),
        ),
        true,
      )}
      ${chart(
        'chart-suppliers',
        'Suppliers with the most exceptions',
        `Top suppliers: ${d.topSuppliers.map((s) => `${s.name} ${s.count}`).join(', ') || 'none'}`,
        numbersTable(
          'Exceptions per supplier',
          ['Supplier', 'Exceptions'],
          d.topSuppliers.map((s) => [s.name, s.count]),
        ),
      )}
      ${chart(
        'chart-causes',
        'Most frequent root causes (the rule that decided)',
        `Root causes: ${d.rootCauses.map((c) => `${c.rule} ${c.count}`).join(', ') || 'none'}`,
        numbersTable(
          'Exceptions per root cause',
          ['Root cause', 'Exceptions'],
          d.rootCauses.map((c) => [c.rule, c.count]),
        ),
      )}
    </div>
    ${jsonScript('dashboard-data', { days: d.days, byType: d.byType.map((t) => ({ ...t, label: label(t.type) })), suppliers: d.topSuppliers, causes: d.rootCauses })}`;
}

const MODE_TEXT: Record<Mode, string> = {
  shadow: "Decide every exception and record it beside the person's decision; nothing is written or proposed",
  monitor: 'Investigate and propose; nothing is written to Coupa',
  assisted: 'Comments are written; every state change waits for an approver',
  autonomous: 'Settle within the controls; everything else is routed to people',
};

function modeSwitch(v: DashboardView, identity: Identity, csrf: string): SafeHtml {
  const controls = Object.entries(v.controls).filter(
    ([k]) => k !== 'mode' && k !== 'autonomy' && k !== 'supplier_tags',
  );
  const form = identity.scopes.has('settings:mode')
    ? html`<form method="post" action="${BASE}/mode" class="stack">
        <input type="hidden" name="_csrf" value="${csrf}" />
        <fieldset>
          <legend>Mode (changes are audited)</legend>
          ${(['shadow', 'monitor', 'assisted', 'autonomous'] as const).map(
            (m) =>
              html`<div class="radio">
                <input
                  type="radio"
                  id="mode-${m}"
                  name="mode"
                  value="${m}"
                  ${m === v.mode ? html` checked` : ''}
                /><label for="mode-${m}"><strong>${label(m)}</strong> — ${MODE_TEXT[m]}</label>
              </div>`,
          )}
        </fieldset>
        <button type="submit">Switch mode</button>
      </form>`
    : html`<p class="muted">Only an approver can switch the mode.</p>`;
  return html`<section class="mode panel" aria-labelledby="mode-h">
    <div>
      <h2 id="mode-h">Mode: ${label(v.mode)}</h2>
      <p>${MODE_TEXT[v.mode]}.</p>
      ${form}
    </div>
    <div>
      <h3>Controls the guard enforces</h3>
      <dl class="controls">
        ${controls.map(
          ([k, val]) =>
            html`<div>
              <dt>${label(k)}</dt>
              <dd><code>${String(val)}</code></dd>
            </div>`,
        )}
      </dl>
    </div>
  </section>`;
}

/** The dashboard body. */
export function dashboardBody(v: DashboardView, identity: Identity, csrf: string): SafeHtml {
  return html`<h1>Dashboard</h1>
    ${tiles(v)} ${charts(v.data)}
    ${v.shadow && (v.shadow.cases || v.shadow.awaiting_person) ? shadowPanel(v.shadow, identity) : ''}
    ${supplierRequestsPanel(v.supplierRequests, v.now ?? new Date())} ${calibrationPanel(v.calibration)}
    ${modeSwitch(v, identity, csrf)}`;
}
