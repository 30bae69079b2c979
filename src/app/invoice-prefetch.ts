/**
 * Batched reads for a run of exceptions: everything `loadInvoiceContext` will ask Coupa for about a
 * window of invoices, read with one query per record type (`id[in]`, `supplier[id][in]`,
 * `po-number[in]`, …) instead of one per invoice, and primed into the record source's caches under
 * the keys the single reads use. The checks then read exactly the records they would have read one
 * by one — same filters, same order, same caps — so no decision changes; only the call count does.
 *
 * A batched read Coupa refuses (a filter a tenant does not support) is skipped: the single reads
 * happen as before. Bank details primed here are still re-read before a hold, a fraud signal or a
 * release rests on them (see `loadInvoiceContext`'s `freshBank`).
 */
import { Decimal } from 'decimal.js';
import { CoupaHttpError, query, type CoupaQuery } from '../coupa/index.js';
import { READ_CAPS, historyFrom, recordKeys as k, type RecordSource } from '../coupa/record-source.js';
import type { Comment, Invoice, PurchaseOrder, Supplier } from '../coupa/schemas.js';
import { poReferencesOf, receiptLineIdsOf, sinceOf, totalOf } from '../../tools/shared/invoice-context.js';

export interface PrefetchOptions {
  duplicateWindowDays: number;
  /** Logins every run may route to (AP and escalation reviewers): read once with the rest. */
  reviewers?: readonly string[];
  now(): Date;
  /** Settle's own Coupa logins (their comments need no user lookup). */
  ownLogins?: ReadonlySet<string>;
}

/** Coupa's `in` lists are sent in the URL: keep each list (and so the URL) short. */
const IN_CHUNK = 50;

function chunks<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size) as T[]);
  return out;
}

async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A batched read; a Coupa refusal (4xx) leaves the single reads to do the work. */
async function batch<T>(read: () => Promise<T[]>): Promise<T[] | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof CoupaHttpError && error.status >= 400 && error.status < 500 && error.status !== 429)
      return undefined;
    throw error;
  }
}

/** Read `ids` in chunks with `q(chunk)`; undefined when any chunk was refused. */
async function inChunks<I, T>(ids: readonly I[], read: (chunk: I[]) => AsyncIterable<T>): Promise<T[] | undefined> {
  const out: T[] = [];
  for (const chunk of chunks(ids)) {
    const got = await batch(() => drain(read(chunk)));
    if (!got) return undefined;
    out.push(...got);
  }
  return out;
}

const dateOf = (i: Invoice): string | undefined => (i.invoiceDate ? String(i.invoiceDate).slice(0, 10) : undefined);
const sameAmount = (a: string, b: string): boolean => {
  try {
    return new Decimal(a).eq(new Decimal(b));
  } catch {
    return a === b;
  }
};
const unique = <T>(xs: Iterable<T>): T[] => [...new Set(xs)];
const sortedIds = (ids: Iterable<number>): number[] => unique(ids).sort((a, b) => a - b);

/**
 * Prime the caches for these invoices. Returns how many invoices were found (the rest are left to
 * the single reads, which answer "not found" as before).
 */
export async function prefetchInvoices(
  records: RecordSource,
  invoiceIds: readonly number[],
  options: PrefetchOptions,
): Promise<number> {
  const { coupa } = records;
  const ids = sortedIds(invoiceIds);
  if (ids.length === 0) return 0;
  const invoices = await inChunks(ids, (chunk) => coupa.listInvoices(query().where('id', 'in', chunk)));
  if (!invoices || invoices.length === 0) return 0;
  for (const invoice of invoices) records.prime('txn', k.invoice(invoice.id), invoice);

  const now = options.now();
  const sinceById = new Map(invoices.map((i) => [i.id, sinceOf(i, options.duplicateWindowDays, now)]));
  const supplierIds = sortedIds(
    invoices.map((i) => i.supplier?.id).filter((id): id is number => typeof id === 'number'),
  );
  const refs = new Map(invoices.map((i) => [i.id, poReferencesOf(i)]));
  const poNumbers = unique([...refs.values()].flatMap((r) => r.numbers));
  // Order-line sets whose POs are read by association: the lines naming no PO (the checks) and
  // every line's order line (the case scope that binds a settlement to its invoice's POs).
  const lineSets = invoices.flatMap((i) => {
    const all = sortedIds(
      i.invoiceLines.map((l) => l.orderLineId).filter((id): id is number => typeof id === 'number'),
    );
    return [sortedIds(refs.get(i.id)!.orphanLineIds), all].filter((set) => set.length > 0);
  });

  const [posByNumber, posByLine, suppliers] = await Promise.all([
    primePoNumbers(records, poNumbers),
    primePoLines(records, lineSets),
    primeSuppliers(records, supplierIds),
    primeContracts(records, supplierIds),
    primeComments(records, ids, options.ownLogins ?? new Set()),
  ]);
  const [history] = await Promise.all([
    primeHistory(records, invoices, sinceById),
    primeSameTotal(records, invoices, sinceById),
  ]);

  // Second round: what depends on the first — receipts for 3-way POs, suppliers seen in the history.
  const supplierById = new Map((suppliers ?? []).map((s) => [s.id, s]));
  const poByNumber = new Map((posByNumber ?? []).map((p) => [p.poNumber, p]));
  const receiptSets = invoices.map((invoice) => {
    const r = refs.get(invoice.id)!;
    const pos = [
      ...r.numbers.map((n) => poByNumber.get(n)).filter((p): p is PurchaseOrder => p !== undefined),
      ...(posByLine ?? []).filter((p) => p.orderLines.some((l) => r.orphanLineIds.includes(l.id))),
    ];
    const known =
      r.numbers.every((n) => poByNumber.has(n)) && (r.orphanLineIds.length === 0 || posByLine !== undefined);
    const supplierId = invoice.supplier?.id;
    const supplier = supplierId === undefined ? null : (supplierById.get(supplierId) ?? null);
    return known && (supplierId === undefined || supplierById.has(supplierId))
      ? sortedIds(receiptLineIdsOf(supplier, [...new Map(pos.map((p) => [p.id, p])).values()]))
      : [];
  });
  const others = sortedIds(
    (history ?? [])
      .map((i) => i.supplier?.id)
      .filter((id): id is number => typeof id === 'number' && !supplierIds.includes(id)),
  );
  // People an exception may be routed to: requesters, PO requesters and the reviewers.
  const approvers = unique(
    [
      ...(options.reviewers ?? []),
      ...invoices.map((i) => i.requestedBy?.login),
      ...[...(posByNumber ?? []), ...(posByLine ?? [])].map((p) => p.requester?.login),
    ].filter((l): l is string => !!l && !(options.ownLogins ?? new Set()).has(l)),
  );
  await Promise.all([
    primeReceipts(
      records,
      receiptSets.filter((s) => s.length > 0),
    ),
    primeSuppliers(records, others),
    primeUsers(records, 'login', approvers),
  ]);
  return invoices.length;
}

async function primePoNumbers(records: RecordSource, numbers: readonly string[]): Promise<PurchaseOrder[] | undefined> {
  if (numbers.length === 0) return [];
  const pos = await inChunks(numbers, (chunk) =>
    records.coupa.listPurchaseOrders(query().where('po-number', 'in', chunk)),
  );
  if (!pos) return undefined;
  // The single read takes the first match (lowest id); so does this.
  const first = new Map<string, PurchaseOrder>();
  for (const po of [...pos].sort((a, b) => a.id - b.id))
    if (po.poNumber && !first.has(po.poNumber)) first.set(po.poNumber, po);
  for (const n of numbers) records.prime('txn', k.poNumber(n), first.get(n) ?? null);
  return [...first.values()];
}

async function primePoLines(records: RecordSource, sets: readonly number[][]): Promise<PurchaseOrder[] | undefined> {
  const lineIds = sortedIds(sets.flat());
  if (lineIds.length === 0) return [];
  const pos = await inChunks(lineIds, (chunk) =>
    records.coupa.listPurchaseOrders(query().where('order-lines[id]', 'in', chunk)),
  );
  if (!pos) return undefined;
  const all = [...new Map(pos.map((p) => [p.id, p])).values()].sort((a, b) => a.id - b.id);
  for (const wanted of sets)
    records.prime(
      'txn',
      k.poLines(wanted),
      all.filter((p) => p.orderLines.some((l) => wanted.includes(l.id))),
    );
  return all;
}

/** Suppliers and their Supplier Information (bank details), one query each per 50 suppliers. */
async function primeSuppliers(records: RecordSource, supplierIds: readonly number[]): Promise<Supplier[] | undefined> {
  if (supplierIds.length === 0) return [];
  const [suppliers, infos] = await Promise.all([
    inChunks(supplierIds, (chunk) => records.coupa.listSuppliers(query().where('id', 'in', chunk))),
    inChunks(supplierIds, (chunk) =>
      records.coupa.listSupplierInformation(query().where('supplier[id]', 'in', chunk).orderBy('id')),
    ),
  ]);
  if (suppliers) {
    const byId = new Map(suppliers.map((s) => [s.id, s]));
    for (const id of supplierIds) records.prime('master', k.supplier(id), byId.get(id) ?? null);
  }
  if (infos) {
    const first = new Map<number, (typeof infos)[number]>();
    for (const info of infos) {
      const sid = info.supplier?.id ?? info.supplierId;
      if (typeof sid === 'number' && !first.has(sid)) first.set(sid, info);
    }
    for (const id of supplierIds) records.prime('master', k.supplierInformation(id), first.get(id) ?? null);
  }
  return suppliers;
}

async function primeContracts(records: RecordSource, supplierIds: readonly number[]): Promise<void> {
  if (supplierIds.length === 0) return;
  const contracts = await inChunks(supplierIds, (chunk) =>
    records.coupa.listContracts(query().where('supplier[id]', 'in', chunk).orderBy('id')),
  );
  if (!contracts) return;
  for (const id of supplierIds) {
    const mine = contracts.filter((c) => c.supplier?.id === id);
    if (mine.length < READ_CAPS.list) records.prime('master', k.contracts(id), mine);
  }
}

/** Each supplier's invoices since the earliest month any of its exceptions looks back to. */
async function primeHistory(
  records: RecordSource,
  invoices: readonly Invoice[],
  sinceById: Map<number, string>,
): Promise<Invoice[] | undefined> {
  const fromBySupplier = new Map<number, Set<string>>();
  for (const invoice of invoices) {
    const sid = invoice.supplier?.id;
    if (typeof sid !== 'number') continue;
    fromBySupplier.set(sid, (fromBySupplier.get(sid) ?? new Set()).add(historyFrom(sinceById.get(invoice.id)!)));
  }
  if (fromBySupplier.size === 0) return [];
  const earliest = [...fromBySupplier.values()].flatMap((s) => [...s]).sort()[0]!;
  const all = await inChunks(
    [...fromBySupplier.keys()].sort((a, b) => a - b),
    (chunk) =>
      records.coupa.listInvoices(
        query().where('supplier[id]', 'in', chunk).where('invoice-date', 'gt_or_eq', earliest),
      ),
  );
  if (!all) return undefined;
  const sorted = [...all].sort((a, b) => a.id - b.id);
  for (const [sid, froms] of fromBySupplier) {
    for (const from of froms) {
      const mine = sorted.filter((i) => i.supplier?.id === sid && (dateOf(i) ?? '') >= from);
      if (mine.length < READ_CAPS.list) records.prime('history', k.history(sid, from), mine);
    }
  }
  return sorted;
}

/** Invoices of any supplier with the same gross total, for every total in the window. */
async function primeSameTotal(
  records: RecordSource,
  invoices: readonly Invoice[],
  sinceById: Map<number, string>,
): Promise<void> {
  const wanted = invoices.flatMap((i) => {
    const total = totalOf(i);
    return total ? [{ total: String(total), since: sinceById.get(i.id)! }] : [];
  });
  if (wanted.length === 0) return;
  const earliest = wanted.map((w) => w.since).sort()[0]!;
  const all = await inChunks(unique(wanted.map((w) => w.total)), (chunk) =>
    records.coupa.listInvoices(query().where('gross-total', 'in', chunk).where('invoice-date', 'gt_or_eq', earliest)),
  );
  if (!all) return;
  const sorted = [...all].sort((a, b) => a.id - b.id);
  for (const { total, since } of wanted) {
    const mine = sorted.filter(
      (i) => i.grossTotal != null && sameAmount(String(i.grossTotal), total) && (dateOf(i) ?? '') >= since,
    );
    if (mine.length < READ_CAPS.sameTotal) records.prime('txn', k.total(total, since), mine);
  }
}

/** Every comment on these invoices (`GET /api/comments`, commentable filters), then their authors. */
async function primeComments(
  records: RecordSource,
  invoiceIds: readonly number[],
  ownLogins: ReadonlySet<string>,
): Promise<void> {
  const comments = await inChunks(invoiceIds, (chunk) => records.coupa.listCommentsOn('InvoiceHeader', chunk));
  if (!comments) return;
  const byInvoice = new Map<number, Comment[]>(invoiceIds.map((id) => [id, []]));
  for (const c of [...comments].sort((a, b) => (a.id ?? 0) - (b.id ?? 0))) {
    if (typeof c.commentableId === 'number') byInvoice.get(c.commentableId)?.push(c);
  }
  for (const [id, list] of byInvoice) records.prime('txn', k.comments(id), list);
  const logins = unique(comments.map((c) => c.createdBy?.login).filter((l): l is string => !!l && !ownLogins.has(l)));
  const userIds = sortedIds(
    comments
      .filter((c) => !c.createdBy?.login && typeof c.createdBy?.id === 'number')
      .map((c) => c.createdBy!.id as number),
  );
  await Promise.all([primeUsers(records, 'login', logins), primeUsers(records, 'id', userIds)]);
}

async function primeUsers(
  records: RecordSource,
  by: 'login' | 'id',
  values: ReadonlyArray<string | number>,
): Promise<void> {
  if (values.length === 0) return;
  const users = await inChunks(values, (chunk) =>
    records.coupa.listUsers(query().where(by, 'in', chunk) as CoupaQuery),
  );
  if (!users) return;
  for (const value of values) {
    const user = users.find((u) => (by === 'login' ? u.login === value : u.id === value)) ?? null;
    if (by === 'login') records.prime('master', k.userByLogin(String(value)), user);
    else if (user) records.prime('master', k.userById(Number(value)), user);
  }
}

async function primeReceipts(records: RecordSource, sets: readonly number[][]): Promise<void> {
  const all = sortedIds(sets.flat());
  if (all.length === 0) return;
  const receipts = await inChunks(all, (chunk) => records.coupa.listReceipts({ orderLineIds: chunk }));
  if (!receipts) return;
  const sorted = [...receipts].sort((a, b) => a.id - b.id);
  for (const set of sets) {
    const mine = sorted.filter((r) => typeof r.orderLine?.id === 'number' && set.includes(r.orderLine.id));
    if (mine.length < READ_CAPS.list) records.prime('txn', k.receipts(set), mine);
  }
}
