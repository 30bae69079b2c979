/**
 * Keeps the record source's master-data cache (suppliers, bank details, contracts, users — cached
 * for minutes) honest: every `intervalMs` one `updated-at[gt]` query per record type asks Coupa
 * what changed since the newest change already seen, and those records are forgotten, so the next
 * read fetches them again. The watermark is a Coupa timestamp, never this machine's clock.
 * Bank details are additionally re-read before any hold, fraud signal or release rests on them.
 */
import { query } from './query.js';
import { recordKeys as k, type RecordSource } from './record-source.js';

export interface MasterWatch {
  /** Poll when the interval has passed (cheap to call before every exception). */
  maybePoll(): Promise<void>;
  /** Poll now; resolves to how many cached records were forgotten. */
  poll(): Promise<number>;
}

type Stamped = { updatedAt?: unknown };
const stampOf = (r: unknown): string | undefined => {
  const v = (r as Stamped).updatedAt;
  return typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : undefined;
};

async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export function createMasterWatch(
  records: RecordSource,
  options: { intervalMs?: number; now?: () => number } = {},
): MasterWatch {
  const intervalMs = options.intervalMs ?? 30_000;
  const clock = options.now ?? Date.now;
  let watermark: string | undefined;
  let last = clock();
  let running: Promise<number> | undefined;

  async function pollOnce(): Promise<number> {
    const { coupa } = records;
    if (watermark === undefined) {
      // The first poll only learns Coupa's newest change: everything cached so far was read after it.
      let newest: string | undefined;
      for await (const supplier of coupa.listSuppliers(query().orderBy('updated-at', 'desc').limit(1))) {
        newest = stampOf(supplier);
        break;
      }
      watermark = newest ?? '1970-01-01T00:00:00Z';
      return 0;
    }
    const since = watermark;
    const changed = (q = query().where('updated-at', 'gt', since)) => q;
    const [suppliers, infos, contracts, users] = await Promise.all([
      drain(coupa.listSuppliers(changed())),
      drain(coupa.listSupplierInformation(changed())),
      drain(coupa.listContracts(changed())),
      drain(coupa.listUsers(changed())),
    ]);
    let forgotten = 0;
    const forget = (keys: string[]): void => {
      forgotten += keys.length;
      records.forget('master', keys);
    };
    forget(suppliers.map((s) => k.supplier(s.id)));
    forget(
      infos.flatMap((i) => {
        const sid = i.supplier?.id ?? i.supplierId;
        return typeof sid === 'number' ? [k.supplierInformation(sid)] : [];
      }),
    );
    forget(contracts.flatMap((c) => (typeof c.supplier?.id === 'number' ? [k.contracts(c.supplier.id)] : [])));
    forget(users.flatMap((u) => [k.userById(u.id), ...(u.login ? [k.userByLogin(u.login)] : [])]));
    watermark = [
      since,
      ...[...suppliers, ...infos, ...contracts, ...users].map(stampOf).filter((s): s is string => !!s),
    ]
      .sort()
      .at(-1)!;
    return forgotten;
  }

  function poll(): Promise<number> {
    running ??= pollOnce().finally(() => {
      last = clock();
      running = undefined;
    });
    return running;
  }

  return {
    poll,
    async maybePoll() {
      if (watermark === undefined || clock() - last >= intervalMs) await poll();
    },
  };
}
