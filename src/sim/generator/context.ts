/**
 * Shared state of one generation run: the random source, the clock, id counters and the dataset
 * being filled. Every builder takes this context; nothing is global, so runs never interfere.
 */
import { emptyDataset, type CoupaDataset } from '../dataset.js';
import { DEFAULT_CONTROLS, type Controls } from '../../domain/controls.js';
import type { Rng } from './rng.js';
import { createNameSource, type NameSource } from './names.js';
import type { GlAccount, HistoricalException } from './types.js';

export const DAY_MS = 86_400_000;

/** A user as other records embed it (Coupa's UserSimple). */
export interface UserRef {
  id: number;
  login: string;
  email: string;
  firstname: string;
  lastname: string;
}

export interface People {
  apReviewer: UserRef;
  apManager: UserRef;
  clerks: UserRef[];
  requesters: UserRef[];
  owners: UserRef[];
}

/**
 * An invoice under construction. Ids of the invoice, its lines and everything pointing at them are
 * given only at the end (in `created-at` order, as Coupa's would be), so references wait here.
 */
export interface InvoiceDraft {
  record: Record<string, unknown> & { id: number };
  createdMs: number;
  lines: Array<Record<string, unknown>>;
  /** Failed tolerances and the index of the line they belong to (null: header). */
  tolerances: ReadonlyArray<{ record: Record<string, unknown>; lineIndex: number | null }>;
  /** Created on first use: most invoices have none, and 100k empty arrays are not free. */
  approvals?: Array<Record<string, unknown>>;
  comments?: Array<Record<string, unknown>>;
}

export interface GenContext {
  readonly rng: Rng;
  readonly names: NameSource;
  readonly nowMs: number;
  readonly controls: Controls;
  readonly dataset: CoupaDataset;
  readonly invoices: InvoiceDraft[];
  /** Past exceptions, pointing at their draft until ids are final. */
  readonly history: Array<{ draft: InvoiceDraft; entry: Omit<HistoricalException, 'invoiceId'> }>;
  people: People;
  glAccounts: GlAccount[];
  /** Next id of a collection (or of a nested kind such as `order-line`), starting at its base. */
  nextId(kind: string): number;
  /**
   * A small reference object (`{"code": "USD"}`, a supplier or user ref) shared by every record
   * that embeds it, so 100k invoices do not carry millions of identical little objects. Consumers
   * must not mutate nested objects in place (the simulator deep-copies its dataset on load).
   */
  ref<T extends object>(kind: string, key: string | number, make: () => T): T;
  /** ISO timestamp `days` before now (fractional days allowed), at second precision. */
  daysAgo(days: number): string;
}

const ID_BASES: Record<string, number> = {
  user: 101,
  supplier: 201,
  'remit-to': 1001,
  'supplier-information': 5001,
  contract: 801,
  'purchase-order': 20001,
  'order-line': 300001,
  receipt: 600001,
  invoice: 100001,
  'invoice-line': 900001,
  'failed-tolerance': 1500001,
  approval: 2000001,
  comment: 3000001,
};

export function createContext(rng: Rng, nowIso: string): GenContext {
  const nowMs = Date.parse(nowIso);
  if (Number.isNaN(nowMs)) throw new RangeError(`not an ISO time: ${nowIso}`);
  const counters = new Map<string, number>();
  const refs = new Map<string, Map<string | number, object>>();
  return {
    rng,
    names: createNameSource(rng),
    nowMs,
    controls: DEFAULT_CONTROLS,
    dataset: emptyDataset(),
    invoices: [],
    history: [],
    people: { apReviewer: placeholderUser, apManager: placeholderUser, clerks: [], requesters: [], owners: [] },
    glAccounts: [],
    nextId(kind) {
      const next = counters.get(kind) ?? ID_BASES[kind] ?? 1;
      counters.set(kind, next + 1);
      return next;
    },
    ref<T extends object>(kind: string, key: string | number, make: () => T): T {
      let byKey = refs.get(kind);
      if (byKey === undefined) refs.set(kind, (byKey = new Map()));
      let value = byKey.get(key);
      if (value === undefined) byKey.set(key, (value = make()));
      return value as T;
    },
    daysAgo(days) {
      return isoSeconds(nowMs - Math.round((days * DAY_MS) / 1000) * 1000);
    },
  };
}

/**
 * The same run drawing from another random source: records built through it land in the same
 * dataset with the same id counters, but leave `ctx.rng` untouched, so additions drawn from it
 * after everything else do not shift a single earlier record.
 */
export function forkContext(ctx: GenContext, rng: Rng): GenContext {
  const fork = Object.create(ctx) as GenContext & { rng: Rng; names: NameSource };
  Object.defineProperty(fork, 'rng', { value: rng });
  Object.defineProperty(fork, 'names', { value: createNameSource(rng) });
  return fork;
}

const dayCache = new Map<number, string>();
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * `2026-11-24T12:00:00Z` form (no milliseconds), stable across runs. The date part is cached per
 * day: the generator formats a few million timestamps and `toISOString` dominated its profile.
 */
export function isoSeconds(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let date = dayCache.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 11);
    if (dayCache.size > 100_000) dayCache.clear();
    dayCache.set(day, date);
  }
  const secs = Math.floor((ms - day * DAY_MS) / 1000);
  return `${date}${pad2(Math.floor(secs / 3600))}:${pad2(Math.floor(secs / 60) % 60)}:${pad2(secs % 60)}Z`;
}

/** The date part of an ISO time (`invoice-date` is a date). */
export function dateOnly(iso: string): string {
  return iso.slice(0, 10);
}

const placeholderUser: UserRef = { id: 0, login: '', email: '', firstname: '', lastname: '' };
