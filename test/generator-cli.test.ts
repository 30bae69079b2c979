/**
 * `settle sim` as a user runs it (`npx tsx src/cli.ts …` in a child process):
 * help, one-line errors for bad flags, `--dump`, and a served company reachable over HTTP.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCompany, serializeDataset } from '../src/sim/generator/index.js';

const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const dir = mkdtempSync(join(tmpdir(), 'settle-sim-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function settle(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(NPX, ['tsx', 'src/cli.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  // npm may print its own config warnings; they are not ours.
  const stderr = result.stderr
    .split('\n')
    .filter((l) => l && !l.startsWith('npm warn'))
    .join('\n');
  return { status: result.status, stdout: result.stdout, stderr };
}

describe('settle sim', () => {
  it('documents its flags', () => {
    const { status, stdout } = settle('sim', '--help');
    expect(status).toBe(0);
    for (const flag of ['--seed', '--invoices', '--port', '--host', '--no-rate-limit', '--events-url', '--dump'])
      expect(stdout).toContain(flag);
  });

  it.each([
    [['--port', '70000'], /--port takes an integer from 0 to 65535, got "70000"/],
    [['--invoices', 'many'], /--invoices takes an integer from 50/],
    [['--events-url', 'not a url'], /--events-url takes an http\(s\) URL/],
  ])('rejects %j with one clear line and a non-zero exit', (args, message) => {
    const { status, stderr } = settle('sim', ...args);
    expect(status).not.toBe(0);
    expect(stderr).toMatch(message);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('--dump writes the same bytes the generator serialises, and exits', () => {
    const file = join(dir, 'company.json');
    const { status, stdout } = settle('sim', '--seed', '4', '--invoices', '120', '--dump', file);
    expect(status).toBe(0);
    expect(stdout).toContain(file);
    const company = generateCompany({ seed: 4, invoices: 120 });
    const expected = [...serializeDataset(company.dataset)].join('');
    expect(readFileSync(file, 'utf8')).toBe(expected);
    // The invoices asked for, plus the planted tax-engine and registry cases (one invoice each).
    const planted = company.exceptions.filter((l) => l.tags.includes('tax_engine') || l.tags.includes('registry'));
    expect(planted).toHaveLength(8);
    expect(JSON.parse(expected).invoices).toHaveLength(120 + planted.length);
  });

  it('--dump into a missing folder fails with one line', () => {
    const { status, stderr } = settle('sim', '--invoices', '60', '--dump', join(dir, 'no', 'such', 'dir', 'x.json'));
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/^settle: cannot write .*ENOENT$/);
  });

  it('serves the company until SIGINT: base URL and OAuth credentials work', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', 'sim', '--port', '0', '--invoices', '200', '--no-rate-limit'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while (!out.includes('Ctrl-C') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const field = (name: string): string => new RegExp(`${name}\\s+(\\S+)`).exec(out)?.[1] ?? '';
    expect(out).toMatch(/price_variance\s+\d+/);
    const token = await fetch(`${field('base_url')}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: field('client_id'),
        client_secret: field('client_secret'),
      }),
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    const held = await fetch(`${field('base_url')}/api/invoices?status=ap_hold&limit=5`, {
      headers: { authorization: `Bearer ${token.access_token}`, accept: 'application/json' },
    }).then((r) => r.json() as Promise<Array<{ status: string }>>);
    expect(held.length).toBe(5);
    expect(held.every((i) => i.status === 'ap_hold')).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
