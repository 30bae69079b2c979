/**
 * The HTML report: one self-contained file (inline CSS and SVG, no scripts, no network) a person
 * can open offline — headline figures, accuracy by exception type, the decision confusion matrix,
 * cost per case (Coupa calls and time), failed and unsafe cases with their failed checks.
 */
import type { HarnessOutput } from './harness.js';
import type { CaseResult } from './run-record.js';

const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** Horizontal bars, one per label, value 0..max. */
function barChart(
  rows: Array<{ label: string; value: number; text: string; color?: string }>,
  max: number,
  title: string,
): string {
  const barH = 22;
  const labelW = 190;
  const width = 640;
  const plotW = width - labelW - 150;
  const height = rows.length * (barH + 6) + 10;
  const bars = rows.map((r, i) => {
    const y = i * (barH + 6) + 5;
    const w = max > 0 ? Math.max(1, (r.value / max) * plotW) : 1;
    return (
      `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(r.label)}</text>` +
      `<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${r.color ?? '#3b7dd8'}"><title>${esc(r.label)}: ${esc(r.text)}</title></rect>` +
      `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 15}">${esc(r.text)}</text>`
    );
  });
  return `<svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-size="12">${bars.join('')}</svg>`;
}

/** One column per run, sorted by cost; height = Coupa calls, colour = passed or not. */
function costChart(cases: CaseResult[]): string {
  const sorted = [...cases].sort((a, b) => a.coupa_calls - b.coupa_calls || a.ms - b.ms);
  const width = 900;
  const height = 180;
  const max = Math.max(1, ...sorted.map((c) => c.coupa_calls));
  const w = Math.max(1, (width - 40) / Math.max(1, sorted.length));
  const cols = sorted.map((c, i) => {
    const h = (c.coupa_calls / max) * (height - 30);
    const color = c.unsafe ? '#c0392b' : c.passed ? '#2e8b57' : '#e0a030';
    return `<rect x="${(30 + i * w).toFixed(2)}" y="${(height - 20 - h).toFixed(1)}" width="${Math.max(0.5, w - 0.5).toFixed(2)}" height="${h.toFixed(1)}" fill="${color}"><title>${esc(c.id)}: ${c.coupa_calls} Coupa calls, ${c.ms} ms</title></rect>`;
  });
  const axis = `<text x="0" y="14">${max}</text><text x="0" y="${height - 22}">0</text><line x1="30" y1="${height - 20}" x2="${width - 10}" y2="${height - 20}" stroke="#999"/>`;
  return `<svg role="img" aria-label="Coupa calls per case" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-size="11">${axis}${cols.join('')}</svg>`;
}

function confusionTable(output: HarnessOutput): string {
  const { confusion } = output.summary;
  const columns = Object.keys(Object.values(confusion)[0] ?? {});
  const max = Math.max(1, ...Object.values(confusion).flatMap((r) => Object.values(r)));
  const head = `<tr><th>expected ↓ / verdict →</th>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
  const body = Object.entries(confusion).map(
    ([expected, row]) =>
      `<tr><th>${esc(expected)}</th>${columns
        .map((c) => {
          const n = row[c] ?? 0;
          const alpha = n === 0 ? 0 : 0.15 + 0.85 * (n / max);
          const hue = c === expected ? '46,139,87' : '192,57,43';
          return `<td style="background:rgba(${hue},${alpha.toFixed(2)})">${n}</td>`;
        })
        .join('')}</tr>`,
  );
  return `<table class="matrix">${head}${body.join('')}</table>`;
}

function failuresTable(output: HarnessOutput): string {
  const bad = output.cases.filter((c) => !c.passed || c.unsafe);
  if (bad.length === 0) return '<p>Every case passed every check.</p>';
  const rows = bad.map(
    (c) =>
      `<tr class="${c.unsafe ? 'unsafe' : ''}"><td>${esc(c.id)}${output.summary.trials > 1 ? ` (trial ${c.trial})` : ''}<br><small>${esc(c.title)}</small></td>` +
      `<td>${c.unsafe ? `<b>UNSAFE</b>: ${esc(c.unsafe_reasons.join('; '))}<br>` : ''}${c.checks
        .filter((k) => !k.passed)
        .map((k) => `<b>${esc(k.name)}</b>: ${esc(k.detail)}`)
        .join('<br>')}</td></tr>`,
  );
  return `<table><tr><th>case</th><th>failed checks</th></tr>${rows.join('')}</table>`;
}

/** The whole report as one HTML document. */
export function renderReport(output: HarnessOutput): string {
  const { summary, run } = output;
  const types = Object.entries(summary.by_exception_type).filter(([, s]) => s.cases > 0);
  const accuracy = barChart(
    types.map(([t, s]) => ({
      label: `${t} (${s.cases})`,
      value: s.accuracy,
      text: pct(s.accuracy),
      color: s.unsafe ? '#c0392b' : s.accuracy >= 0.95 ? '#2e8b57' : '#e0a030',
    })),
    1,
    'Accuracy by exception type',
  );
  const msChart = barChart(
    types.map(([t, s]) => ({
      label: t,
      value: s.median_ms,
      text: `${Math.round(s.median_ms)} ms · ${s.median_coupa_calls} calls`,
    })),
    Math.max(1, ...types.map(([, s]) => s.median_ms)),
    'Median time per case by type',
  );
  const brain = run.brain === 'llm' ? `LLM brain, model ${esc(run.model ?? 'unknown')}` : 'offline playbook planner';
  const cards: Array<[string, string]> = [
    ['accuracy', pct(summary.accuracy)],
    ['cases', `${summary.passed} / ${summary.cases}`],
    ['unsafe', String(summary.unsafe)],
    ...(summary.trials > 1
      ? ([
          ['pass@1', pct(summary.pass_at_1)],
          [`pass^${summary.trials}`, pct(summary.pass_hat_k)],
        ] as Array<[string, string]>)
      : []),
    ['median Coupa calls', String(summary.median_coupa_calls)],
    ['median time', `${Math.round(summary.median_ms)} ms`],
    ['invalid files', String(summary.invalid_files)],
  ];
  const invalid = output.invalid.length
    ? `<h2>Invalid case files</h2><ul>${output.invalid.map((i) => `<li>${esc(i.error)}</li>`).join('')}</ul>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Settle eval — ${pct(summary.accuracy)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:960px;color:#222}
h1{margin-bottom:.2rem}.meta{color:#555}
.cards{display:flex;flex-wrap:wrap;gap:.6rem;margin:1rem 0}.card{border:1px solid #ddd;border-radius:6px;padding:.5rem .8rem;min-width:7rem}
.card b{display:block;font-size:1.4rem}table{border-collapse:collapse;margin:.5rem 0;width:100%}td,th{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
.matrix td{text-align:center;width:4rem}.unsafe{background:#fbe9e7}svg text{fill:#222}.legend span{margin-right:1rem}
</style></head><body>
<h1>Settle replay eval</h1>
<p class="meta">${brain} · ${esc(run.cases_dir)}${run.filter ? ` · tag ${esc(run.filter)}` : ''}${run.mode_override ? ` · mode forced to ${esc(run.mode_override)}` : ''} · ${summary.trials} trial(s) · ${run.concurrency} slot(s) · ${esc(run.started_at)} · ${(run.duration_ms / 1000).toFixed(1)} s</p>
<div class="cards">${cards.map(([k, v]) => `<div class="card">${esc(k)}<b>${esc(v)}</b></div>`).join('')}</div>
<h2>Accuracy by exception type</h2>${accuracy}
<h2>Decision confusion matrix</h2><p>Rows: the expected decision; columns: the decision in Settle's verdict (runs).</p>${confusionTable(output)}
<h2>Cost per case</h2><p class="legend"><span style="color:#2e8b57">■ passed</span><span style="color:#e0a030">■ failed</span><span style="color:#c0392b">■ unsafe</span> Coupa API calls per run, cheapest first.</p>${costChart(output.cases)}
<h3>Median time and calls by type</h3>${msChart}
<h2>Failed and unsafe cases</h2>${failuresTable(output)}
${invalid}
</body></html>
`;
}
