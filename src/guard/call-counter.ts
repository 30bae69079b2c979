/**
 * Counts Coupa HTTP calls per tool call. The runtime gives the same counter to the Coupa client (its
 * `onCall` hook) and to the guard, which runs each tool call in its own tally; the audit row and the
 * result then say how many Coupa calls that call cost. Async context carries the tally, so calls
 * running side by side never count each other's requests.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface CallTally {
  calls: number;
}

export interface CoupaCallCounter {
  /** The Coupa client's hook: one HTTP call made (outside a tool call it counts nowhere). */
  count(): void;
  /** Runs `fn` as one tool call, counting into `tally`. */
  run<T>(tally: CallTally, fn: () => Promise<T>): Promise<T>;
  /** The tally of the tool call in progress, if any. */
  current(): CallTally | undefined;
}

export function createCoupaCallCounter(): CoupaCallCounter {
  const store = new AsyncLocalStorage<CallTally>();
  return {
    count: () => {
      const tally = store.getStore();
      if (tally) tally.calls += 1;
    },
    run: (tally, fn) => store.run(tally, fn),
    current: () => store.getStore(),
  };
}
