/**
 * `settle ingest` as a user runs it: a real process on the embedded simulator and a PGlite data
 * folder. One line per file on stderr, a clear error for each bad file, the rest of the folder
 * processed, a non-zero exit when a file failed; a second run posts nothing.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IngestOutcome } from '../src/ingest/index.js';
import { FIGURES, ubl } from './fixtures/einvoice/samples.js';
import { freshFixtures } from './fixtures/ingest/harness.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function settle(dataDir: string, ...args: string[]): Promise<Run> {
  // The embedded default: no Coupa, no model, no database server, the default (autonomous) mode.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SETTLE_DATA_DIR: dataDir,
    DATABASE_URL: '',
    COUPA_BASE_URL: '',
    COUPA_CLIENT_ID: '',
    COUPA_CLIENT_SECRET: '',
    SETTLE_MODEL: '',
  };
  delete env.SETTLE_MODE;
  return new Promise((resolve) => {
    execFile(
      TSX,
      ['src/cli.ts', ...args],
      { cwd: REPO, env, timeout: 240_000, maxBuffer: 16 * 2 ** 20 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

describe('settle ingest', () => {
  let inbox: string;
  let dataDir: string;

  beforeAll(async () => {
    const fixtures = await freshFixtures({ textPdfs: 0, images: 0, scans: 0, emails: 0 });
    inbox = mkdtempSync(join(tmpdir(), 'settle-inbox-'));
    dataDir = mkdtempSync(join(tmpdir(), 'settle-data-'));
    mkdirSync(join(inbox, 'march'));
    for (const name of ['good.pdf', 'empty.pdf', 'encrypted.pdf'])
      copyFileSync(join(fixtures, 'bad', name), join(inbox, name));
    copyFileSync(join(fixtures, 'bad', 'bank-mismatch.pdf'), join(inbox, 'march', 'bank-mismatch.pdf'));
    writeFileSync(join(inbox, 'notes.txt'), 'not an invoice');
  }, 120_000);

  it('processes every file, reports each on its own line and exits 1 when one failed', async () => {
    const run = await settle(dataDir, 'ingest', inbox, '--json');
    expect(run.code, run.stderr).toBe(1);
    const outcomes = JSON.parse(run.stdout) as IngestOutcome[];
    const byName = Object.fromEntries(outcomes.map((o) => [o.fileName, o]));
    expect(Object.keys(byName).sort()).toEqual(['empty.pdf', 'encrypted.pdf', 'good.pdf', 'march/bank-mismatch.pdf']);
    expect(byName['good.pdf']).toMatchObject({ status: 'posted' });
    expect(byName['empty.pdf']).toMatchObject({ status: 'failed', message: 'the file is empty' });
    expect(byName['encrypted.pdf']!.status).toBe('failed');
    expect(byName['march/bank-mismatch.pdf']!.status).toBe('needs_review');
    expect(run.stderr).toMatch(/\[1\/4\] empty\.pdf: FAILED — the file is empty/);
    expect(run.stderr).toMatch(/\[3\/4\] good\.pdf: posted — posted draft invoice \d+/);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack traces
  }, 240_000);

  it('posts nothing on a second run over the same folder', async () => {
    const run = await settle(dataDir, 'ingest', inbox);
    expect(run.stdout).toMatch(
      /4 document\(s\): 0 posted, 1 to review, 2 failed, 1 already posted; 1 other file\(s\) skipped/,
    );
    expect(run.stderr).toMatch(/good\.pdf: skipped — already posted as Coupa invoice \d+/);
  }, 240_000);

  it('--dry-run starts no simulator or database: e-invoice XML is read and checked on its own', async () => {
    const box = mkdtempSync(join(tmpdir(), 'settle-dry-'));
    const data = mkdtempSync(join(tmpdir(), 'settle-dry-data-'));
    writeFileSync(join(box, 'peppol.xml'), ubl());
    writeFileSync(join(box, 'broken-sums.xml'), ubl({ ...FIGURES, total: '999.00' }));
    const run = await settle(data, 'ingest', '--dry-run', '--json', box);
    expect(run.stderr).not.toMatch(/embedded simulator/);
    expect(run.stderr).toMatch(/no Coupa configured: the dry run reads and checks the documents only/);
    expect(readdirSync(data)).not.toContain('pglite');
    const outcomes = JSON.parse(run.stdout) as IngestOutcome[];
    expect(outcomes.map((o) => [o.fileName, o.status])).toEqual([
      ['broken-sums.xml', 'needs_review'],
      ['peppol.xml', 'dry_run'],
    ]);
    expect(outcomes[1]!.message).toMatch(
      /read invoice INV-2026-0042 from Muster Trading GmbH \(178\.50 EUR, Peppol BIS 3 UBL\); not checked against Coupa/,
    );
    expect(outcomes[0]!.problems.map((p) => p.code)).toContain('einvoice_arithmetic');
  }, 120_000);

  it('says clearly when the path does not exist', async () => {
    const run = await settle(dataDir, 'ingest', join(inbox, 'missing'));
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`settle: no such file or folder: ${join(inbox, 'missing')}`);
  }, 60_000);
});
