/**
 * The simulated clock. A case fixes "now"; time then moves forward with the real clock from that
 * point, so consecutive writes get increasing `updated-at` values and `updated-at[gt]` polling works.
 */

export interface SimClock {
  /** Current simulated time as ISO-8601 (UTC). */
  now(): string;
  /** Jump the simulated clock to `iso`; it keeps ticking from there. */
  set(iso: string): void;
}

/** A clock starting at `startIso` (or the real time when omitted). */
export function createClock(startIso?: string): SimClock {
  let offsetMs = 0;
  const set = (iso: string): void => {
    const target = Date.parse(iso);
    if (Number.isNaN(target)) throw new Error(`not an ISO time: ${iso}`);
    offsetMs = target - Date.now();
  };
  if (startIso !== undefined) set(startIso);
  return {
    now: () => new Date(Date.now() + offsetMs).toISOString(),
    set,
  };
}
