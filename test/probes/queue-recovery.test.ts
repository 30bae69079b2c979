/**
 * Probes: a crash must not leave work stuck for the job expiry, and a re-delivered event for an
 * invoice in progress must run right after the running job ends.
 * - Real PostgreSQL, two processes: a worker process fetches a job and is killed with SIGKILL;
 *   the next queue process reclaims the job at start-up at once (not after the 900 s expiry). While
 *   the first worker is alive, its job is left alone (fenced by its lease).
 * - Embedded PGlite: a re-trigger deferred behind a running job is fetchable the moment that job
 *   completes (it used to wait expiry + maintenance, ~16 minutes).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrate.js';
import { createRunnerQueue, type RunnerQueue } from '../../src/runner/queue.js';
import { createTestDatabase, type TestDatabase } from '../runner/pg-helper.js';
import { REPO } from './cli-run.js';

/** A worker process that queues and fetches one job for `invoiceId`, says so, and holds it. */
function holdingWorker(url: string, invoiceId: number): Promise<{ child: ChildProcess; jobId: string }> {
  const script = `
    import { openDb } from './src/db/connection.ts';
    import { createRunnerQueue } from './src/runner/queue.ts';
    const db = await openDb({ databaseUrl: process.env.PROBE_DB });
    const queue = createRunnerQueue({ db });
    await queue.start();
    await queue.enqueue({ invoiceId: ${invoiceId}, eventId: 'evt-${invoiceId}', source: 'manual' });
    const job = await queue.fetch();
    process.stdout.write('holding ' + job.id + '\\n');
    setInterval(() => undefined, 1 << 30);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO,
    env: { ...process.env, PROBE_DB: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /holding ([0-9a-f-]{36})/.exec(out);
      if (m) resolve({ child, jobId: m[1]! });
    });
    child.stderr!.on('data', (c: Buffer) => void (err += c.toString()));
    child.once('exit', (code) => reject(new Error(`worker exited ${code}: ${err}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('a crashed worker on PostgreSQL', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => tdb?.drop());

  it('leaves a live worker’s job alone, and has its job reclaimed at the next start once it is killed', async () => {
    const { child, jobId } = await holdingWorker(tdb.url, 8101);
    let successor: RunnerQueue | undefined;
    try {
      // While the first worker lives, a second one starting must not take its job.
      const bystander = createRunnerQueue({ db: tdb.db });
      await bystander.start();
      expect(await bystander.fetch()).toBeNull();
      await bystander.stop();

      await killed(child);
      const started = Date.now();
      successor = createRunnerQueue({ db: tdb.db });
      await successor.start();
      const job = await successor.fetch();
      expect(job).toMatchObject({ id: jobId, attempt: 2, data: { invoiceId: 8101 } });
      expect(Date.now() - started).toBeLessThan(60_000); // not the 900 s expiry
      await successor.complete(job!.id, { ok: true });
      const { rows } = await tdb.db.query<{ state: string }>('select state::text from pgboss.job where id = $1', [
        jobId,
      ]);
      expect(rows[0]!.state).toBe('completed');
    } finally {
      if (child.exitCode === null && child.signalCode === null) await killed(child);
      await successor?.stop();
    }
  }, 180_000);
});

describe('a re-trigger while the invoice is being settled (PGlite)', () => {
  let db: Db;
  let queue: RunnerQueue;
  beforeAll(async () => {
    db = await openDb({});
    await migrate(db);
    queue = createRunnerQueue({ db });
    await queue.start();
  }, 180_000);
  afterAll(async () => {
    await queue?.stop();
    await db?.close();
  });

  it('runs right after the running job completes, not after its expiry', async () => {
    await queue.enqueue({ invoiceId: 8201, eventId: 'evt-a', source: 'webhook' });
    const running = await queue.fetch();
    expect(running).not.toBeNull();
    const followUp = await queue.enqueue({ invoiceId: 8201, eventId: 'evt-b', source: 'webhook' });
    expect(followUp).not.toBeNull();
    expect(await queue.fetch()).toBeNull(); // deferred while the first runs
    await queue.complete(running!.id, { ok: true });
    expect(await queue.fetch()).toMatchObject({ id: followUp, data: { eventId: 'evt-b' } });
  });

  it('a job finished by a worker that lost it to a reclaim is left to its new owner', async () => {
    await queue.enqueue({ invoiceId: 8202, eventId: 'evt-c', source: 'webhook' });
    const job = await queue.fetch();
    await db.query(`update settle_job_owners set worker_id = 'someone-else' where job_id = $1`, [job!.id]);
    await queue.complete(job!.id, { ok: true });
    const { rows } = await db.query<{ state: string }>('select state::text from pgboss.job where id = $1', [job!.id]);
    expect(rows[0]!.state).toBe('active');
  });
});
