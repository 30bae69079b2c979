/**
 * A real MCP client not written here: the MCP Inspector's CLI (`@modelcontextprotocol/inspector
 * --cli`) launches `settle mcp` over stdio, lists the tools and calls one. It runs offline.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateCompany } from '../src/sim/generator/index.js';
import { TOOLS } from '../tools/index.js';
import { ROLE_SCOPES } from '../src/guard/identity.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
// One data folder for both runs (one after the other): the second skips database creation.
const DATA_DIR = mkdtempSync(join(tmpdir(), 'settle-inspector-'));

function inspector(...method: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(COUPA_|DATABASE_URL$|SETTLE_)/.test(k)) env[k] = v;
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['@modelcontextprotocol/inspector', '--cli', 'npx', 'tsx', 'src/cli.ts', 'mcp', ...method],
      { cwd: REPO, env: { ...env, SETTLE_DATA_DIR: DATA_DIR }, timeout: 280_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('MCP Inspector CLI against settle mcp', () => {
  it('lists the tools with their schemas', async () => {
    const r = await inspector('--method', 'tools/list');
    expect(r.code, r.stderr).toBe(0);
    const { tools } = JSON.parse(r.stdout) as {
      tools: Array<{ name: string; inputSchema: { type: string }; annotations?: { readOnlyHint?: boolean } }>;
    };
    expect(tools.map((t) => t.name)).toEqual(
      // The default role is the reviewer: every tool but the review ones, within its scopes.
      TOOLS.filter(
        (t) => (!t.requiredScope || ROLE_SCOPES.reviewer.includes(t.requiredScope)) && t.guardClass !== 'review',
      ).map((t) => t.name),
    );
    expect(tools.find((t) => t.name === 'get_invoice')).toMatchObject({
      inputSchema: { type: 'object' },
      annotations: { readOnlyHint: true },
    });
    expect(tools.find((t) => t.name === 'resolve_exception')?.annotations?.readOnlyHint).toBe(false);
  }, 300_000);

  it('calls get_invoice on the sample company', async () => {
    const company = generateCompany({ seed: 7, invoices: 2000 });
    const id = company.exceptions[0]!.invoiceId;
    const invoice = company.dataset.invoices.find((i) => i.id === id)!;
    const r = await inspector('--method', 'tools/call', '--tool-name', 'get_invoice', '--tool-arg', `invoice_id=${id}`);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as {
      isError?: boolean;
      structuredContent: { invoice: { id: number; invoice_number: string } };
      content: Array<{ text: string }>;
    };
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent.invoice).toMatchObject({ id, invoice_number: invoice['invoice-number'] });
    expect(result.content[0]!.text).toContain(`(${id})`);
  }, 300_000);
});
