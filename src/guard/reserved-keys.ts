/**
 * Idempotency keys the system mints itself. A caller who could present one could squat it: a
 * reviewer writing with `approval:<proposal id>` (the id is visible to her) would make the
 * approver's later approval fail as "key belongs to another caller". So callers never supply a
 * key in these namespaces; the system passes its own through the guard's `systemKey` option.
 */

/** Namespaces the guard, the approval path and the review page mint keys in. */
export const RESERVED_KEY_PREFIXES = [
  'approval:',
  'proposal:',
  'derived:',
  'review:',
  'supplier-document:',
  'supplier-reply:',
] as const;

/** The reserved namespace `key` falls in (case-insensitive: a look-alike is refused too), or null. */
export function reservedPrefixOf(key: string): string | null {
  const lower = key.toLowerCase();
  return RESERVED_KEY_PREFIXES.find((prefix) => lower.startsWith(prefix)) ?? null;
}

/** The one-line refusal for a caller-supplied reserved key. */
export function reservedKeyRefusal(prefix: string): { reason: string; hint: string } {
  return {
    reason: `idempotency_key may not start with "${prefix}" (a namespace Settle reserves for its own writes)`,
    hint: 'Choose a key of your own, e.g. a UUID.',
  };
}
