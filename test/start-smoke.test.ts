/**
 * `npm start` smoke test: the main job runs to completion on a small sample company in a child
 * process, exactly as a user runs it, and prints the summary.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'settle-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('settle start', () => {
  it('settles the sample company through the webhook path and prints the summary', () => {
    const result = spawnSync(
      process.execPath,
      ['node_modules/tsx/dist/cli.mjs', 'src/cli.ts', 'start', '--invoices', '200', '--limit', '12'],
      {
        encoding: 'utf8',
        timeout: 240_000,
        env: { ...process.env, SETTLE_DATA_DIR: dataDir, OPENAI_API_KEY: '', SETTLE_MODEL: '' },
      },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/embedded simulator with the sample company/);
    expect(result.stderr).toMatch(/firing 12 exception events at the webhook intake/);
    expect(result.stdout).toMatch(
      /12 exceptions settled: auto-resolved \d+ \([\d.]+%\), routed \d+, held \d+, disputed \d+/,
    );
    expect(result.stdout).toMatch(/Coupa calls per exception: mean [\d.]+/);
    expect(result.stdout).toContain('exception type');
    expect(result.stdout).toContain('Where to look next');
  }, 300_000);

  it('rejects a bad flag with one line and a non-zero exit', () => {
    const result = spawnSync(
      process.execPath,
      ['node_modules/tsx/dist/cli.mjs', 'src/cli.ts', 'start', '--limit', 'lots'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.status).not.toBe(0);
    const lines = result.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('npm warn') && !l.startsWith('('));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/--limit/);
  });
});
