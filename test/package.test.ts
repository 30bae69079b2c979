/**
 * The npm package as a user gets it: `npm pack` → a tarball holding the compiled CLI, the policy
 * pack, the migrations and the README, and no tests, fixtures or TypeScript sources; installed
 * into an empty folder with production dependencies only, offline from the local npm cache (the
 * project's lockfile pins every version, as a published install resolves them), it answers
 * `--help`, lists its tools over stdio, runs the main job (`start`) and replays the project's eval
 * cases (`eval`, no `--cases`) from the installed copy.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLS } from '../tools/index.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
};
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Lockfile {
  packages: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

/**
 * A lockfile for a project whose only dependency is the tarball: the project's own entries, so the
 * install resolves exactly what `npm ci` resolved here and needs nothing the cache lacks.
 */
function lockfileFor(tarball: string): Lockfile {
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as Lockfile;
  const root = lock.packages['']!;
  const packages: Lockfile['packages'] = {
    '': { name: 'settle-install-check', dependencies: { [pkg.name]: `file:${tarball}` } },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version,
      resolved: `file:${tarball}`,
      license: root.license,
      dependencies: root.dependencies,
      engines: root.engines,
      bin: root.bin,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path !== '') packages[path] = entry;
  return { ...lock, name: 'settle-install-check', packages };
}

let work: string;
let tarball: string;
let files: string[];
let installed: string;

beforeAll(() => {
  if (!existsSync(join(REPO, 'dist', 'src', 'cli.js')))
    execFileSync(process.execPath, [join(REPO, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  work = mkdtempSync(join(tmpdir(), 'settle-package-'));
  // --ignore-scripts: pack what `npm ci` built rather than building a second time.
  const packed = JSON.parse(
    execFileSync(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
      cwd: REPO,
      encoding: 'utf8',
    }),
  ) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, packed[0]!.filename);
  files = packed[0]!.files.map((f) => f.path);
  const project = join(work, 'project');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'settle-install-check', private: true, dependencies: { [pkg.name]: `file:${tarball}` } }),
  );
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify(lockfileFor(tarball)));
  const install = spawnSync(NPM, ['ci', '--offline', '--omit=dev', '--no-audit', '--no-fund'], {
    cwd: project,
    encoding: 'utf8',
  });
  if (install.status !== 0) throw new Error(`offline install of the tarball failed:\n${install.stderr}`);
  installed = project;
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('holds the compiled CLI, the policy pack, the migrations and the README — no tests, fixtures or sources', () => {
    expect(files).toContain('bin/settle.js');
    expect(files).toContain('dist/src/cli.js');
    expect(files.filter((f) => /^dist\/chunks\/.+\.js$/.test(f)).length).toBeGreaterThan(10);
    expect(files).toContain('README.md');
    // What a first start would otherwise build: the migrated, indexed store and the sample company.
    expect(files).toContain('dist/prepared/store.json');
    expect(files).toContain('dist/prepared/company-7-2000.json');
    expect(files.filter((f) => /^dist\/knowledge\/policies\/.+\.md$/.test(f)).length).toBeGreaterThan(3);
    expect(files.filter((f) => /^dist\/src\/db\/migrations\/.+\.sql$/.test(f)).length).toBeGreaterThan(3);
    expect(files.filter((f) => f.startsWith('test/') || f.includes('fixture') || f.startsWith('evals/'))).toEqual([]);
    // The project's eval cases are data `settle eval` replays by default, shipped as the policy pack is.
    expect(files.filter((f) => /^dist\/evals\/cases\/.+\.json$/.test(f)).length).toBeGreaterThan(100);
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
  });

  it('installs with production dependencies only: no tsx, no test tools', () => {
    const modules = join(installed, 'node_modules');
    expect(existsSync(join(modules, pkg.name, 'dist', 'src', 'cli.js'))).toBe(true);
    for (const dev of ['tsx', 'vitest', 'typescript', 'playwright-core'])
      expect(existsSync(join(modules, dev)), dev).toBe(false);
  });

  it('answers --help from the installed copy', () => {
    const help = spawnSync(join(installed, 'node_modules', '.bin', pkg.name), ['--help'], { encoding: 'utf8' });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: settle/);
    expect(help.stdout).toContain('mcp [options]');
  });

  it('lists its tools over stdio from the installed copy, as `npx -y settle-mcp mcp` runs it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'settle-package-data-'));
    const transport = new StdioClientTransport({
      command: join(installed, 'node_modules', '.bin', pkg.name),
      args: ['mcp'],
      env: { ...getDefaultEnvironment(), SETTLE_DATA_DIR: dataDir },
      cwd: installed,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'package-check', version: '1.0.0' });
    try {
      await client.connect(transport);
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(
        TOOLS.filter((t) => !['list_proposals', 'decide_proposal'].includes(t.name)).map((t) => t.name),
      );
      // The policy pack shipped in the package serves as resources and is searchable.
      expect((await client.listResources()).resources.length).toBeGreaterThan(3);
      const found = await client.callTool({
        name: 'search_policies',
        arguments: { query: 'price variance tolerance' },
      });
      expect(found.isError, JSON.stringify(found.content)).toBeFalsy();
    } finally {
      await client.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);

  it('replays the eval cases it ships, with no --cases, from the installed copy', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'settle-package-eval-'));
    try {
      const run = spawnSync(
        join(installed, 'node_modules', '.bin', pkg.name),
        ['eval', '--filter', 'technique:bidi', '--concurrency', '1'],
        {
          cwd: installed,
          encoding: 'utf8',
          timeout: 240_000,
          env: {
            ...process.env,
            SETTLE_DATA_DIR: dataDir,
            OPENAI_API_KEY: '',
            SETTLE_MODEL: '',
            COUPA_BASE_URL: '',
            DATABASE_URL: '',
          },
        },
      );
      expect(run.status, run.stderr).toBe(0);
      expect(`${run.stdout}${run.stderr}`).toMatch(/1 case/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);

  it('runs the main job from the installed copy, as `npx settle-mcp start` does', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'settle-package-start-'));
    try {
      const start = spawnSync(join(installed, 'node_modules', '.bin', pkg.name), ['start', '--limit', '3'], {
        cwd: installed,
        encoding: 'utf8',
        timeout: 240_000,
        env: {
          ...process.env,
          SETTLE_DATA_DIR: dataDir,
          OPENAI_API_KEY: '',
          SETTLE_MODEL: '',
          COUPA_BASE_URL: '',
          DATABASE_URL: '',
        },
      });
      expect(start.status, start.stderr).toBe(0);
      // 2000 invoices asked for, plus the 8 planted tax-engine and registry cases.
      expect(start.stderr).toMatch(/embedded simulator with the sample company \(seed 7, 2008 invoices/);
      expect(start.stdout).toMatch(
        /3 exceptions settled: auto-resolved \d+ \([\d.]+%\), routed \d+, held \d+, disputed \d+/,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
