/**
 * Business days for chasing: Monday to Friday, counted on UTC calendar days. Public holidays are
 * not known here; a reminder a day early on a holiday week is the accepted cost.
 */
const DAY_MS = 86_400_000;

const utcDay = (d: Date): number => Math.floor(d.getTime() / DAY_MS);

/** Weekdays after `from`'s day up to and including `to`'s day (0 when `to` is not later). */
export function businessDaysBetween(from: Date, to: Date): number {
  let count = 0;
  for (let day = utcDay(from) + 1; day <= utcDay(to); day += 1) {
    const weekday = new Date(day * DAY_MS).getUTCDay();
    if (weekday !== 0 && weekday !== 6) count += 1;
  }
  return count;
}

/** The date `n` business days after `from` (same time of day). */
export function addBusinessDays(from: Date, n: number): Date {
  let at = from.getTime();
  let left = n;
  while (left > 0) {
    at += DAY_MS;
    const weekday = new Date(at).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return new Date(at);
}
