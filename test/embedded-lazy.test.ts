/**
 * The embedded default as `settle mcp` opens it: the store opens on the first tool call, and the
 * simulator with the sample company only on the first Coupa request — searching the policy pack
 * starts no simulator, reading an invoice does, and both calls go through the real guard.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSampleCompany } from '../src/app/company-cache.js';
import { openRuntime, type OpenedRuntime } from '../src/app/embedded.js';
import { loadConfig } from '../src/config.js';
import { createIdentity } from '../src/guard/identity.js';

const dataDir = mkdtempSync(join(tmpdir(), 'settle-lazy-'));
const said: string[] = [];
const person = createIdentity('lazy.reviewer', 'person', ['reviewer']);
let opened: OpenedRuntime;

beforeAll(async () => {
  const config = loadConfig({ SETTLE_DATA_DIR: dataDir, SETTLE_LOG_LEVEL: 'silent' });
  opened = await openRuntime(
    config,
    { auditCheckpoints: false },
    { lazySimulator: true, invoices: 200, say: (line) => said.push(line) },
  );
}, 120_000);

afterAll(async () => {
  await opened?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the embedded default with a lazily started simulator', () => {
  it('answers search_policies from the store without starting the simulator', async () => {
    const found = await opened.runtime.guard.call(person, 'search_policies', { query: 'price variance tolerance' });
    expect(found.isError, found.text).toBeFalsy();
    expect(found.text.toLowerCase()).toContain('variance');
    expect(said).toEqual([
      'no Coupa configured (COUPA_BASE_URL): the embedded simulator with the sample company starts on the first Coupa request',
    ]);
    expect(opened.sim).toBeUndefined();
  }, 120_000);

  it('starts the simulator on the first Coupa request and serves the sample company from it', async () => {
    const company = await loadSampleCompany({ seed: 7, invoices: 200, dataDir });
    const invoiceId = company.exceptions[0]!.invoiceId;
    const read = await opened.runtime.guard.call(person, 'get_invoice', { invoice_id: invoiceId });
    expect(read.isError, read.text).toBeFalsy();
    expect(read.text).toContain(String(invoiceId));
    // 200 invoices asked for, plus the 8 planted tax-engine and registry cases.
    expect(said.at(-1)).toMatch(
      /using the embedded simulator with the sample company \(seed 7, 208 invoices, \d+ exceptions\) at http:\/\/127\.0\.0\.1:\d+/,
    );
    // Both calls are in the audit log, the first one made before any simulator existed.
    const { rows } = await opened.runtime.db.query<{ tool: string }>(
      `select tool from audit_log where actor = $1 order by seq`,
      [person.id],
    );
    expect(rows.map((r) => r.tool)).toEqual(['search_policies', 'get_invoice']);
  }, 120_000);
});
