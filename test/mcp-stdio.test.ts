/**
 * `settle mcp` as Claude Desktop runs it: a real process (`npx tsx src/cli.ts mcp`) spoken to by
 * the SDK's StdioClientTransport, with no Coupa configured — so on the first tool call it starts the
 * embedded simulator with the sample company and says so on stderr, while stdout carries only
 * protocol messages.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { generateCompany } from '../src/sim/generator/index.js';
import { TOOLS } from '../tools/index.js';
import { ROLE_SCOPES } from '../src/guard/identity.js';
import { structured, textOf } from './mcp.fixture.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));

/** The environment of a user without Coupa or Postgres configured, with a fresh data folder. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(COUPA_|DATABASE_URL$|SETTLE_)/.test(k)) env[k] = v;
  return { ...env, SETTLE_DATA_DIR: mkdtempSync(join(tmpdir(), 'settle-stdio-')), ...extra };
}

interface Spawned {
  client: Client;
  stderr: () => string;
  errors: Error[];
}

async function spawnMcp(args: string[] = []): Promise<Spawned> {
  const transport = new StdioClientTransport({
    command: 'npx',
    args: ['tsx', 'src/cli.ts', 'mcp', ...args],
    cwd: REPO,
    env: cleanEnv(),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'settle-stdio-test', version: '1.0.0' });
  const errors: Error[] = [];
  // Anything on stdout that is not a JSON-RPC message would surface here.
  client.onerror = (error) => errors.push(error);
  await client.connect(transport).catch((error: unknown) => {
    throw new Error(`settle mcp ${args.join(' ')} did not start: ${String(error)}\n${stderr}`);
  });
  return { client, stderr: () => stderr, errors };
}

const company = generateCompany({ seed: 7, invoices: 2000 });
const exception = company.exceptions[0]!;
const exceptionInvoice = company.dataset.invoices.find((i) => i.id === exception.invoiceId)!;
/** What a reviewer may see in a read-only deployment: reads and analysis that need no approver scope. */
// What `--read-only` leaves a reviewer (the default role): the reads and analyses its scopes reach.
const READ_TOOLS = TOOLS.filter(
  (t) =>
    (t.guardClass === 'read' || t.guardClass === 'analysis') &&
    (!t.requiredScope || ROLE_SCOPES.reviewer.includes(t.requiredScope)),
).map((t) => t.name);

let desktop: Spawned;
let readOnly: Spawned;
beforeAll(async () => {
  [desktop, readOnly] = await Promise.all([spawnMcp(), spawnMcp(['--read-only'])]);
}, 300_000);
afterAll(async () => {
  await Promise.all([desktop?.client.close(), readOnly?.client.close()]);
});

describe('settle mcp over stdio', () => {
  it('says on stderr as whom it acts, and opens nothing before the first tool call', async () => {
    // Said once the configuration has loaded — just after `initialize` is answered, which comes first.
    await expect
      .poll(() => desktop.stderr(), { timeout: 60_000 })
      .toContain('MCP over stdio as claude-desktop (reviewer)');
    expect(desktop.stderr()).not.toMatch(/embedded simulator/);
    expect(desktop.errors).toEqual([]);
  });

  it('lists the tools of a reviewer: reads, analysis and writes, never the approver tools', async () => {
    const names = (await desktop.client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(
      TOOLS.filter((t) => !['list_proposals', 'decide_proposal'].includes(t.name)).map((t) => t.name),
    );
  });

  it('calls a read tool against the sample company', async () => {
    const r = await desktop.client.callTool({ name: 'get_invoice', arguments: { invoice_id: exception.invoiceId } });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(desktop.stderr()).toMatch(/embedded simulator with the sample company/);
    expect(structured(r).invoice).toMatchObject({
      id: exception.invoiceId,
      invoice_number: exceptionInvoice['invoice-number'],
      status: exceptionInvoice.status,
    });
  });

  it('serves the policy pack as resources', async () => {
    const { resources } = await desktop.client.listResources();
    const tolerance = resources.find((r) => r.uri === 'settle://policies/tolerance-policy');
    expect(tolerance).toMatchObject({ mimeType: 'text/markdown' });
    const read = await desktop.client.readResource({ uri: tolerance!.uri });
    const onDisk = readFileSync(join(REPO, 'knowledge', 'policies', 'tolerance-policy.md'), 'utf8');
    expect(read.contents[0]).toMatchObject({ uri: tolerance!.uri, text: onDisk });
  });

  it('renders the investigate_exception prompt for an invoice', async () => {
    const { prompts } = await desktop.client.listPrompts();
    expect(prompts.map((p) => p.name)).toContain('investigate_exception');
    const prompt = await desktop.client.getPrompt({
      name: 'investigate_exception',
      arguments: { invoice_id: String(exception.invoiceId) },
    });
    const text = (prompt.messages[0]!.content as { text: string }).text;
    expect(text).toContain(`Investigate Coupa invoice ${exception.invoiceId}`);
    expect(text).toContain('untrusted-data');
    expect(text).toContain('classify_exception');
  });

  it('read-only: lists no write tools and refuses to call one', async () => {
    expect((await readOnly.client.listTools()).tools.map((t) => t.name)).toEqual(READ_TOOLS);
    const r = await readOnly.client.callTool({
      name: 'add_comment',
      arguments: { invoice_id: exception.invoiceId, text: 'should not land' },
    });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('no tool named "add_comment" is available');
    expect(readOnly.stderr()).toContain(', read-only');
  });
});

describe('settle mcp refuses bad setups with one line', () => {
  const run = (
    args: string[],
    env: Record<string, string> = {},
  ): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(
        join(REPO, 'node_modules', '.bin', 'tsx'),
        ['src/cli.ts', 'mcp', ...args],
        { cwd: REPO, env: cleanEnv(env), timeout: 120_000 },
        (error, stdout, stderr) => {
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
        },
      );
    });

  it('will not serve HTTP without bearer tokens', async () => {
    const r = await run(['--http']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'settle: settle mcp --http needs bearer tokens: set SETTLE_TOKENS_FILE or SETTLE_MCP_TOKENS ("token=login:role+role")',
    ]);
    expect(r.stdout).toBe('');
  });

  it('rejects an unknown role and a malformed token list', async () => {
    const role = await run(['--role', 'agent']);
    expect(role.code).not.toBe(0);
    expect(role.stderr).toContain(
      '--role takes one of reviewer, approver, auditor, read-only, accountant; got "agent"',
    );
    const tokens = await run(['--http'], { SETTLE_MCP_TOKENS: 'no-equals-sign' });
    expect(tokens.code).toBe(2);
    expect(tokens.stderr.trim()).toMatch(/^settle: SETTLE_MCP_TOKENS: expected "token=login:role\+role"/);
  });
});

describe('the Claude Desktop configuration in docs/claude-desktop.md', () => {
  it('starts Settle as Claude Desktop would: from another folder, with only the configured env', async () => {
    const doc = readFileSync(join(REPO, 'docs', 'claude-desktop.md'), 'utf8');
    // The clone variant (the npm one would fetch the published package).
    const block = [...doc.matchAll(/```json\n([\s\S]*?)\n```/g)]
      .map((m) => m[1]!)
      .find((b) => b.includes('/ABSOLUTE/PATH/TO/settle/bin/settle.js'));
    const dataDir = mkdtempSync(join(tmpdir(), 'settle-desktop-'));
    const filled = block!
      .replaceAll('/ABSOLUTE/PATH/TO/settle/.settle', dataDir)
      .replaceAll('/ABSOLUTE/PATH/TO/settle', REPO.replace(/\/$/, ''));
    const entry = (
      JSON.parse(filled) as { mcpServers: { settle: { command: string; args: string[]; env: Record<string, string> } } }
    ).mcpServers.settle;
    const transport = new StdioClientTransport({
      command: entry.command,
      args: entry.args,
      env: { ...getDefaultEnvironment(), ...entry.env },
      cwd: tmpdir(),
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const client = new Client({ name: 'claude-desktop-like', version: '1.0.0' });
    try {
      await client.connect(transport);
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('classify_exception');
      expect(stderr).toContain('MCP over stdio as your.login (reviewer)');
      expect(existsSync(join(dataDir, 'pglite'))).toBe(false); // nothing opened before the first call
      const found = await client.callTool({
        name: 'search_policies',
        arguments: { query: 'price variance tolerance' },
      });
      expect(found.isError, textOf(found)).toBeFalsy();
      expect(existsSync(join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
    } finally {
      await client.close();
    }
  }, 300_000);
});
