/**
 * Probe: `settle serve` on the embedded database must not open a Postgres-protocol listener. It
 * used to serve PGlite on a second loopback port with no password: any local process could
 * connect, make a review session an approver and switch the mode. The embedded database is now
 * reached in process only, so the probe speaks the Postgres startup handshake to every TCP port the
 * process listens on and expects none to answer it, and finds no listening unix socket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './cli-run.js';
import { listenersOf, postgresGreeting } from './listeners.js';

const hasProc = process.platform === 'linux';
let child: ChildProcess | undefined;
let dataDir: string;
let httpPort: number;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  if (!hasProc) return;
  dataDir = mkdtempSync(join(tmpdir(), 'settle-listener-probe-'));
  httpPort = await freePort();
  child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', 'serve', '--port', String(httpPort), '--concurrency', '0'],
    {
      cwd: REPO,
      env: { ...process.env, SETTLE_DATA_DIR: dataDir, DATABASE_URL: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child!.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/settle: serving /.test(stderr)) resolve();
    });
    child!.once('exit', (code) => reject(new Error(`settle serve exited ${code}: ${stderr}`)));
  });
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(!hasProc)('settle serve on the embedded database', () => {
  it('listens on no port that speaks the Postgres protocol, and on no unix socket', async () => {
    const { tcpPorts, unixPaths } = listenersOf(child!.pid!);
    expect(tcpPorts).toContain(httpPort);
    for (const port of tcpPorts) {
      const greeting = await postgresGreeting(port);
      expect({ port, greeting }).not.toMatchObject({ greeting: expect.stringMatching(/^[RE]$/) });
    }
    expect(unixPaths).toEqual([]);
  });
});
