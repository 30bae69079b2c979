/**
 * Search answers kept per knowledge kind, so the same question asked again — every exception of a
 * pattern asks the policy pack the same thing — costs a map lookup instead of a hybrid search
 * (issue 16: knowledge searches were 60% of the offline planner's tool time).
 *
 * An answer is only reused while the chunks it was drawn from are unchanged:
 *  - a write through this process's store drops the written kinds' answers at once;
 *  - writes by other processes (workers on one Postgres) move the kind's row in
 *    `knowledge_generations`, bumped by triggers on every statement that changes chunks (migration
 *    090); the generations are re-read at most once per `checkEveryMs`, so such a write is seen
 *    within that interval — the same "searchable within a second" the store promises anyway.
 * Answers without a kind filter depend on every kind and are dropped with any of them. In-flight
 * searches are shared (concurrent workers asking the same question run it once); a failed search
 * is never kept. Callers get copies, so nothing they change leaks into the next answer.
 */
import { LRUCache } from 'lru-cache';
import type { Queryable } from '../db/transaction.js';
import type { Citation, KnowledgeKind } from './types.js';

export interface SearchCache {
  /** The cached answer for `key` among chunks of `kind` (all kinds when undefined), else `run()`'s. */
  through(kind: KnowledgeKind | undefined, key: string, run: () => Promise<Citation[]>): Promise<Citation[]>;
  /** Drop answers that may include chunks of these kinds (this process just wrote them). */
  invalidate(kinds: readonly KnowledgeKind[]): void;
}

export interface SearchCacheOptions {
  /** How often to look for other processes' writes; default 1000 ms. */
  checkEveryMs?: number;
  /** Answers kept per kind (least recently used go first); default 500. */
  maxEntries?: number;
  /** Clock (tests); default `Date.now`. */
  now?: () => number;
}

const ANY = '*';

export function createSearchCache(db: Queryable, options: SearchCacheOptions = {}): SearchCache {
  const checkEveryMs = options.checkEveryMs ?? 1000;
  const now = options.now ?? Date.now;
  const byKind = new Map<string, LRUCache<string, Promise<Citation[]>>>();
  let generations = new Map<string, string>();
  let checkedAt = Number.NEGATIVE_INFINITY;
  let checking: Promise<void> | undefined;

  const drop = (kind: string): void => {
    byKind.get(kind)?.clear();
    byKind.get(ANY)?.clear();
  };

  const readGenerations = async (): Promise<void> => {
    const { rows } = await db.query<{ kind: string; n: string }>('select kind, n::text as n from knowledge_generations');
    const next = new Map(rows.map((r) => [r.kind, r.n]));
    for (const kind of new Set([...next.keys(), ...generations.keys()])) if (next.get(kind) !== generations.get(kind)) drop(kind);
    generations = next;
    checkedAt = now();
  };

  /** Re-read the generations when the last look is older than the interval (one read at a time). */
  const fresh = async (): Promise<void> => {
    if (now() - checkedAt < checkEveryMs) return;
    checking ??= readGenerations().finally(() => {
      checking = undefined;
    });
    await checking;
  };

  return {
    async through(kind, key, run) {
      await fresh();
      const slot = kind ?? ANY;
      let cache = byKind.get(slot);
      if (!cache) {
        cache = new LRUCache({ max: options.maxEntries ?? 500 });
        byKind.set(slot, cache);
      }
      let answer = cache.get(key);
      if (!answer) {
        answer = run();
        cache.set(key, answer);
        const kept = answer;
        answer.catch(() => {
          if (cache.get(key) === kept) cache.delete(key);
        });
      }
      return structuredClone(await answer);
    },
    invalidate(kinds) {
      for (const kind of kinds) drop(kind);
      // Our own write moved the generations too: take the new numbers on the next search.
      checkedAt = Number.NEGATIVE_INFINITY;
    },
  };
}
