/**
 * The embedded database reached in process. `pg` (and pg-boss through our pool) speaks the Postgres
 * wire protocol to PGlite over an in-memory stream pair, so no port or socket file exists for
 * another process to connect to: PGlite has no passwords, and a listener — even on loopback — let
 * any local user rewrite review sessions, roles and the mode.
 *
 * One side of the pair is handed to pglite-socket's own connection handler (framing, the SSL
 * request, transaction-aware queueing shared by every connection), the other to `pg` as its
 * `stream`; the pair mimics just the parts of a net.Socket that both use.
 */
import { Duplex } from 'node:stream';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, PGLiteSocketServer } from '@electric-sql/pglite-socket';

type QueryQueue = ConstructorParameters<typeof PGLiteSocketHandler>[0]['queryQueue'];

/** One end of an in-memory socket pair. Writes arrive as reads on the peer. */
class MemorySocket extends Duplex {
  peer: MemorySocket | undefined;
  readonly remoteAddress = 'in-process';
  readonly remotePort = 0;

  constructor() {
    // Like a net.Socket without half-open: when the peer ends, this end ends too, then closes.
    super({ allowHalfOpen: false });
  }

  override _read(): void {
    // Data is pushed by the peer's writes.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (!this.peer || this.peer.destroyed) return callback(new Error('in-process database connection is closed'));
    this.peer.push(Buffer.from(chunk));
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.peer?.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    this.peer = undefined;
    if (peer && !peer.destroyed) peer.destroy();
    callback(error);
  }

  /** `pg` "connects" its stream; there is nothing to dial. */
  connect(): this {
    process.nextTick(() => this.emit('connect'));
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }
}

export interface PgliteBridge {
  /** A fresh connection's stream, for `pg`'s `stream` option. */
  stream(): Duplex;
  /** Close every connection's server side. */
  close(): Promise<void>;
}

/** The query queue pglite-socket's server keeps; built without ever listening. */
function queryQueueOf(pglite: PGlite): QueryQueue {
  // The server's constructor only stores its options and builds the queue; `start()` would listen.
  const server = new PGLiteSocketServer({ db: pglite });
  const queue = (server as unknown as { queryQueue?: QueryQueue }).queryQueue;
  if (!queue) throw new Error('@electric-sql/pglite-socket changed: its server no longer exposes a query queue');
  return queue;
}

/** Connect `pg` to `pglite` without any listener. */
export function createPgliteBridge(pglite: PGlite): PgliteBridge {
  const queryQueue = queryQueueOf(pglite);
  const handlers = new Set<PGLiteSocketHandler>();
  return {
    stream() {
      const client = new MemorySocket();
      const server = new MemorySocket();
      client.peer = server;
      server.peer = client;
      const handler = new PGLiteSocketHandler({ queryQueue, closeOnDetach: true });
      handlers.add(handler);
      handler.addEventListener('close', () => handlers.delete(handler));
      handler.addEventListener('error', () => handlers.delete(handler));
      void handler.attach(server as unknown as Parameters<PGLiteSocketHandler['attach']>[0]);
      return client;
    },
    async close() {
      await Promise.all([...handlers].map((h) => h.detach(true)));
      handlers.clear();
    },
  };
}
