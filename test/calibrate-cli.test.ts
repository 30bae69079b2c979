/**
 * `settle calibrate` as a user runs it: a real process (`tsx src/cli.ts`) over a PGlite data
 * folder. Before a fit there is no calibration; a fit from the sample company's labels stores one
 * and prints ECE raw and calibrated per type, the reliability diagram and the thresholds; `show
 * --json` writes the stored artifact; a bad target is one clear line and exit 2.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CalibrationArtifact } from '../src/domain/calibration-artifact.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');
const LABELS = join(REPO, 'evals', 'calibration', 'sample-company.json');
const dir = mkdtempSync(join(tmpdir(), 'settle-calibrate-'));

function settle(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      ['src/cli.ts', ...args],
      { cwd: REPO, env: { ...process.env, SETTLE_DATA_DIR: join(dir, 'data'), DATABASE_URL: '' }, timeout: 120_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('settle calibrate', () => {
  it('fits, stores and shows the calibration with its ECE, diagram and thresholds', async () => {
    expect((await settle('calibrate', 'show')).stdout).toContain('No calibration yet');

    const fit = await settle(
      'calibrate',
      'fit',
      '--labels',
      LABELS,
      '--no-shadow',
      '--no-qa',
      '--target-false-release',
      '0.5%',
    );
    expect(fit.stderr).toBe('');
    expect(fit.code).toBe(0);
    expect(fit.stdout).toMatch(
      /^calibration #1 \(\d{4}-\d\d-\d\d, 459 labels\): fitted .* on 459 labelled outcomes \(eval 219, shadow 240\)/,
    );
    expect(fit.stdout).toMatch(/│ price_variance\s+│ 106\s+│ [\d.]+%\s+│ [\d.]+%/);
    expect(fit.stdout).toContain('Reliability, raw confidence (ECE');
    expect(fit.stdout).toMatch(/│ price_variance\s+│ none: people/);

    const out = join(dir, 'cal.json');
    const show = await settle('calibrate', 'show', '--json', out);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^calibration #1 .*, by settle calibrate:/);
    const stored = CalibrationArtifact.parse(JSON.parse(readFileSync(out, 'utf8')));
    const committed = CalibrationArtifact.parse(JSON.parse(readFileSync(LABELS, 'utf8')));
    expect(stored.labels).toEqual(committed.labels);
    expect(stored.fit).toEqual(committed.fit);

    const bad = await settle('calibrate', 'fit', '--target-false-release', '150%');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(
      'settle: --target-false-release takes a share (0.005) or a percentage (0.5%), got "150%"',
    );
  }, 300_000);
});
