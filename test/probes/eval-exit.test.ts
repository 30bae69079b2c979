/**
 * Probe: `settle eval` as a CI gate. A truncated case file, a case of the wrong shape and an empty
 * folder used to exit 0, so a gate built on it passed when it should have failed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-run.js';

const dirs: string[] = [];
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'settle-eval-probe-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('settle eval exit status', () => {
  it('exits 1 on an empty folder: no case ran', async () => {
    const run = await runCli(['eval', '--cases', folder({})]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no case ran/);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 1 on a truncated case file and on a case of the wrong shape, also under --min-accuracy', async () => {
    const dir = folder({
      'truncated.json': '{"id": "t1", "title": "cut off',
      'wrong-shape.json': JSON.stringify({ id: 'w1', hello: 'world' }),
    });
    const run = await runCli(['eval', '--cases', dir, '--min-accuracy', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/truncated\.json/);
    expect(run.stderr).toMatch(/wrong-shape\.json/);
    expect(run.stderr).toMatch(/2 case file\(s\) could not be loaded/);
  });
});
