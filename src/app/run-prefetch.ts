/**
 * A run of exceptions known in advance (`settle start`, the bench, a backlog): before each one is
 * settled, the window of the next `window` invoices has been read in bulk (src/app/invoice-prefetch.ts)
 * and the master-data cache has been checked for changes (src/coupa/master-watch.ts). A window is
 * fetched when the run reaches it, and the next one while the run is halfway through, so the
 * transactional cache (seconds) still holds them when they are settled.
 */
import { createMasterWatch, type MasterWatch } from '../coupa/master-watch.js';
import type { RecordSource } from '../coupa/record-source.js';
import type { Controls } from '../domain/controls.js';
import { prefetchInvoices } from './invoice-prefetch.js';

export interface RunPrefetcher {
  /** Make sure `invoiceId`'s window has been read (and the next one is on its way). Never throws. */
  ahead(invoiceId: number): Promise<void>;
}

export interface RunPrefetchOptions {
  /** Invoices per window (default 50: one page per record type). */
  window?: number;
  ownLogins?: ReadonlySet<string>;
  masterWatch?: MasterWatch | false;
  /** Told when a batched read failed (the single reads then do the work). */
  onError?: (error: unknown) => void;
}

export function createRunPrefetcher(
  runtime: {
    records: RecordSource;
    controls: Pick<Controls, 'duplicate_window_days' | 'ap_reviewer' | 'escalation_reviewer'>;
    now(): Date;
  },
  invoiceIds: readonly number[],
  options: RunPrefetchOptions = {},
): RunPrefetcher {
  const size = options.window ?? 50;
  const order = new Map<number, number>();
  invoiceIds.forEach((id, i) => {
    if (!order.has(id)) order.set(id, i);
  });
  const windows = new Map<number, Promise<void>>();
  const watch = options.masterWatch === false ? undefined : (options.masterWatch ?? createMasterWatch(runtime.records));
  const quietly = (p: Promise<unknown>): Promise<void> =>
    p.then(
      () => undefined,
      (error) => options.onError?.(error),
    );

  function fetchWindow(w: number): Promise<void> {
    let pending = windows.get(w);
    if (!pending) {
      const ids = invoiceIds.slice(w * size, (w + 1) * size);
      pending =
        ids.length === 0
          ? Promise.resolve()
          : quietly(
              prefetchInvoices(runtime.records, ids, {
                duplicateWindowDays: runtime.controls.duplicate_window_days,
                reviewers: [runtime.controls.ap_reviewer, runtime.controls.escalation_reviewer],
                now: () => runtime.now(),
                ...(options.ownLogins ? { ownLogins: options.ownLogins } : {}),
              }),
            );
      windows.set(w, pending);
    }
    return pending;
  }

  return {
    async ahead(invoiceId) {
      const index = order.get(invoiceId);
      if (watch) await quietly(watch.maybePoll());
      if (index === undefined) return;
      const w = Math.floor(index / size);
      if (index % size >= size / 2) void fetchWindow(w + 1);
      await fetchWindow(w);
    },
  };
}
