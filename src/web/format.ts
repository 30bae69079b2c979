/** Small display formatters shared by the review pages (money stays a decimal string throughout). */
import { Decimal } from 'decimal.js';

/** "USD 1,030.00"; "—" when unknown. Exact: grouping is done on the decimal string, never a float. */
export function money(amount: string | null | undefined, currency?: string | null): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  let fixed: string;
  try {
    fixed = new Decimal(amount).toFixed(2);
  } catch {
    return amount;
  }
  const [whole = '0', frac = '00'] = fixed.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const grouped = whole.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${currency ? `${currency} ` : ''}${sign}${grouped}.${frac}`;
}

/** "2 d 3 h", "45 min", "just now". */
export function age(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** Seconds or minutes for a duration in ms: "3.2 s", "14 min". */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** "2026-03-02 10:00 UTC". */
export function when(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return Number.isNaN(d.getTime()) ? String(iso) : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "price_variance" → "Price variance". */
export function label(code: string): string {
  const text = code
    .replace(/[_-]+/g, ' ')
    .trim()
    .replace(/\b(po|ap|gl|id|vat)\b/gi, (w) => w.toUpperCase());
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** 0.9 → "90%". */
export function percent(share: number | null | undefined, digits = 0): string {
  return share === null || share === undefined || !Number.isFinite(share) ? '—' : `${(share * 100).toFixed(digits)}%`;
}
