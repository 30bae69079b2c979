/**
 * Writes a signed checkpoint of the audit head every interval (when the head moved) and once more
 * at shutdown, to the checkpoint file and, when configured, to an outside sink — an HTTP endpoint
 * that receives each checkpoint as JSON (an object store's upload URL, a log collector), so a copy
 * leaves the machine that holds the database.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditLog } from './audit-log.js';
import { appendCheckpoint, readCheckpoints, signCheckpoint, type Checkpoint } from './checkpoints.js';
import { GENESIS_HASH } from './hash.js';
import { loadOrCreateSigningKey } from './signing-key.js';

export interface CheckpointerOptions {
  audit: Pick<AuditLog, 'head'>;
  keyFile: string;
  checkpointFile: string;
  /** Milliseconds between checkpoints; 0 disables the timer (explicit `checkpoint()` still works). */
  intervalMs: number;
  /** POST each checkpoint here as JSON. */
  sinkUrl?: string | undefined;
  now?: () => Date;
  onError?: (error: Error) => void;
}

export interface Checkpointer {
  /** Sign and append the current head unless it is the last one written; returns what was written. */
  checkpoint(): Promise<Checkpoint | null>;
  start(): void;
  /** Stop the timer and write a final checkpoint. */
  stop(): Promise<void>;
}

export function createCheckpointer(options: CheckpointerOptions): Checkpointer {
  const key = loadOrCreateSigningKey(options.keyFile);
  mkdirSync(dirname(options.checkpointFile), { recursive: true });
  const now = options.now ?? (() => new Date());
  let last = readCheckpoints(options.checkpointFile).at(-1);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<Checkpoint | null> = Promise.resolve(null);

  async function write(): Promise<Checkpoint | null> {
    const head = (await options.audit.head()) ?? { seq: 0, hash: GENESIS_HASH };
    if (last && last.seq === head.seq && last.hash === head.hash) return null;
    const c = signCheckpoint(head, key, now());
    appendCheckpoint(options.checkpointFile, c);
    last = c;
    if (options.sinkUrl)
      await sendToSink(options.sinkUrl, c).catch((error: unknown) => options.onError?.(error as Error));
    return c;
  }

  function checkpoint(): Promise<Checkpoint | null> {
    // One at a time: two overlapping ticks must not append the same head twice.
    running = running.catch(() => null).then(write);
    return running;
  }

  return {
    checkpoint,
    start() {
      // One at once: a key on disk then always has a checkpoint beside it, so a missing file is news.
      void checkpoint().catch((error: unknown) => options.onError?.(error as Error));
      if (timer || options.intervalMs <= 0) return;
      timer = setInterval(
        () => void checkpoint().catch((error: unknown) => options.onError?.(error as Error)),
        options.intervalMs,
      );
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await checkpoint();
    },
  };
}

async function sendToSink(url: string, c: Checkpoint): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(c),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`audit checkpoint sink ${new URL(url).host} answered ${response.status}`);
}
