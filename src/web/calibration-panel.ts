/**
 * The dashboard's calibration panel: the reliability diagram as an SVG (mean confidence against the
 * share right per bin, raw and calibrated, the diagonal is perfect calibration), the ECE per type
 * before and after, and each type's autonomy threshold with the data it was chosen on. No script:
 * the figures are in tables beside the drawing for screen readers.
 */
import type { CalibrationArtifact } from '../domain/calibration-artifact.js';
import type { Reliability } from '../domain/reliability.js';
import { label, money, percent, when } from './format.js';
import { html, type SafeHtml } from './html.js';

const SIZE = 220;
const PAD = 28;
const x = (v: number): string => (PAD + v * SIZE).toFixed(1);
const y = (v: number): string => (PAD + (1 - v) * SIZE).toFixed(1);
const radius = (n: number, total: number): string => (3 + 9 * Math.sqrt(n / Math.max(1, total))).toFixed(1);

export function reliabilitySvg(raw: Reliability, calibrated: Reliability): SafeHtml {
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const summary = `Reliability diagram: raw confidence ECE ${percent(raw.ece, 1)}, calibrated ECE ${percent(calibrated.ece, 1)}, over ${raw.n} labelled outcomes`;
  return html`<svg
    class="reliability"
    viewBox="0 0 ${SIZE + 2 * PAD} ${SIZE + 2 * PAD}"
    width="${SIZE + 2 * PAD}"
    height="${SIZE + 2 * PAD}"
    role="img"
    aria-label="${summary}"
  >
    <rect
      x="${PAD}"
      y="${PAD}"
      width="${SIZE}"
      height="${SIZE}"
      fill="none"
      stroke="currentColor"
      stroke-opacity="0.3"
    />
    ${ticks.map((t) => html`<text x="${x(t)}" y="${SIZE + 2 * PAD - 8}" font-size="10" text-anchor="middle">${t}</text><text x="${PAD - 6}" y="${y(t)}" font-size="10" text-anchor="end" dominant-baseline="middle">${t}</text>`)}
    <line
      x1="${x(0)}"
      y1="${y(0)}"
      x2="${x(1)}"
      y2="${y(1)}"
      stroke="currentColor"
      stroke-dasharray="4 3"
      stroke-opacity="0.5"
    />
    <polyline
      fill="none"
      stroke="#b45309"
      stroke-width="1.5"
      points="${raw.bins.map((b) => `${x(b.confidence)},${y(b.accuracy)}`).join(' ')}"
    />
    ${raw.bins.map((b) => html`<circle class="raw" cx="${x(b.confidence)}" cy="${y(b.accuracy)}" r="${radius(b.n, raw.n)}" fill="#b45309" fill-opacity="0.6"><title>raw ${b.lo.toFixed(1)}–${b.hi.toFixed(1)}: ${b.n} cases, confidence ${percent(b.confidence, 1)}, right ${percent(b.accuracy, 1)}</title></circle>`)}
    <polyline
      fill="none"
      stroke="#1d4ed8"
      stroke-width="1.5"
      points="${calibrated.bins.map((b) => `${x(b.confidence)},${y(b.accuracy)}`).join(' ')}"
    />
    ${calibrated.bins.map((b) => html`<rect class="calibrated" x="${(Number(x(b.confidence)) - 4).toFixed(1)}" y="${(Number(y(b.accuracy)) - 4).toFixed(1)}" width="8" height="8" fill="#1d4ed8"><title>calibrated ${b.lo.toFixed(1)}–${b.hi.toFixed(1)}: ${b.n} cases, confidence ${percent(b.confidence, 1)}, right ${percent(b.accuracy, 1)}</title></rect>`)}
    <text x="${PAD + SIZE / 2}" y="${PAD - 10}" font-size="11" text-anchor="middle">
      share right against confidence
    </text>
  </svg>`;
}

function binsTable(title: string, r: Reliability): SafeHtml {
  return html`<table class="numbers">
    <caption>
      ${title} (ECE ${percent(r.ece, 1)})
    </caption>
    <thead>
      <tr>
        <th scope="col">Bin</th>
        <th scope="col">Cases</th>
        <th scope="col">Mean confidence</th>
        <th scope="col">Share right</th>
      </tr>
    </thead>
    <tbody>
      ${r.bins.map(
        (b) =>
          html`<tr>
            <th scope="row">${b.lo.toFixed(1)}–${b.hi.toFixed(1)}</th>
            <td class="num">${b.n}</td>
            <td class="num">${percent(b.confidence, 1)}</td>
            <td class="num">${percent(b.accuracy, 1)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function calibrationPanel(c: { artifact: CalibrationArtifact; label: string } | undefined): SafeHtml {
  if (!c) {
    return html`<section class="panel" aria-labelledby="cal-h">
      <h2 id="cal-h">Confidence calibration</h2>
      <p class="muted">
        No calibration yet: the confidence shown is the agent's raw score and no case is held back for low confidence.
        Fit one with <code>settle calibrate fit --labels eval.json</code>.
      </p>
    </section>`;
  }
  const a = c.artifact;
  const sources = Object.entries(a.sources)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const thresholds = [...Object.entries(a.thresholds.by_type), ['other types', a.thresholds.overall] as const];
  return html`<section class="panel calibration" aria-labelledby="cal-h">
    <h2 id="cal-h">Confidence calibration</h2>
    <p>
      ${c.label}: fitted ${when(a.fitted_at)} on ${a.n} labelled outcomes (${sources}). Each outcome below is scored by
      a fit that did not see it (${a.check.folds}-fold).
    </p>
    <figure>
      ${reliabilitySvg(a.check.overall.raw, a.check.overall.calibrated)}
      <figcaption class="small">
        <svg width="10" height="10" aria-hidden="true"><circle cx="5" cy="5" r="4" fill="#b45309" /></svg> raw
        confidence ·
        <svg width="10" height="10" aria-hidden="true"><rect x="1" y="1" width="8" height="8" fill="#1d4ed8" /></svg>
        calibrated · dashed: perfect calibration
      </figcaption>
    </figure>
    <table class="numbers">
      <caption>
        Expected calibration error per exception type
      </caption>
      <thead>
        <tr>
          <th scope="col">Exception type</th>
          <th scope="col">Labels</th>
          <th scope="col">ECE raw</th>
          <th scope="col">ECE calibrated</th>
        </tr>
      </thead>
      <tbody>
        ${Object.entries(a.check.by_type).map(
          ([t, k]) =>
            html`<tr>
              <th scope="row">${label(t)}</th>
              <td class="num">${k.n}</td>
              <td class="num">${percent(k.raw.ece, 1)}</td>
              <td class="num">${percent(k.calibrated.ece, 1)}</td>
            </tr>`,
        )}
        <tr>
          <th scope="row">All types</th>
          <td class="num">${a.check.overall.n}</td>
          <td class="num">${percent(a.check.overall.raw.ece, 1)}</td>
          <td class="num">${percent(a.check.overall.calibrated.ece, 1)}</td>
        </tr>
      </tbody>
    </table>
    <table class="numbers">
      <caption>
        Autonomy thresholds: target false release ≤ ${percent(a.targets.target_false_release, 2)} of value, accuracy ≥
        ${percent(a.targets.min_accuracy, 0)}; under the threshold a case goes to people as "low confidence"
      </caption>
      <thead>
        <tr>
          <th scope="col">Exception type</th>
          <th scope="col">Threshold</th>
          <th scope="col">Labels</th>
          <th scope="col">Settled alone</th>
          <th scope="col">Value alone</th>
          <th scope="col">Expected false release</th>
          <th scope="col">Seen false release</th>
        </tr>
      </thead>
      <tbody>
        ${thresholds.map(
          ([t, k]) =>
            html`<tr>
              <th scope="row">${label(t)}</th>
              <td class="num">${k.threshold === null ? 'none: people' : k.threshold.toFixed(3)}</td>
              <td class="num">${k.cases}</td>
              <td class="num">${k.autonomous}</td>
              <td class="num">${money(k.autonomous_value)}</td>
              <td class="num">${percent(k.expected_false_release, 2)}</td>
              <td class="num">${money(k.observed_false_release_value)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <details>
      <summary>Show the reliability numbers</summary>
      ${binsTable('Raw confidence', a.check.overall.raw)}${binsTable('Calibrated (held back)', a.check.overall.calibrated)}
    </details>
  </section>`;
}
