/**
 * Gathers everything the domain checks need about one invoice — PO, receipts, supplier, bank
 * details, contracts, history, comments — with as few Coupa calls as the cache allows.
 * Returns null when the invoice itself does not exist.
 */
import type { Comment, Invoice, PurchaseOrder, Supplier, User } from '../../src/coupa/schemas.js';
import { registryFactsOf, taxQuoteRequestOf, type InvoiceContext } from '../../src/domain/index.js';
import type { ToolContext } from '../../src/guard/context.js';

const DAY_MS = 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The first day the duplicate and history checks look back to (YYYY-MM-DD). */
export function sinceOf(invoice: Invoice, duplicateWindowDays: number, now: Date): string {
  const invoiceMs = Date.parse(invoice.invoiceDate ?? '') || now.getTime();
  return isoDate(invoiceMs - duplicateWindowDays * DAY_MS);
}

/** The PO numbers an invoice's lines name, and the order-line ids of lines that name none. */
export function poReferencesOf(invoice: Invoice): { numbers: string[]; orphanLineIds: number[] } {
  const numbers = new Set<string>();
  const orphanLineIds: number[] = [];
  for (const line of invoice.invoiceLines) {
    const poNumber = line.poNumber ?? line.orderHeaderNum;
    if (poNumber) numbers.add(poNumber);
    else if (typeof line.orderLineId === 'number') orphanLineIds.push(line.orderLineId);
  }
  return { numbers: [...numbers], orphanLineIds };
}

/** Receipts matter only to 3-way matching: the order lines whose receipts the checks read (none for a 2-way PO). */
export function receiptLineIdsOf(supplier: Supplier | null, purchaseOrders: readonly PurchaseOrder[]): number[] {
  const threeWay = (level: string | null | undefined): boolean =>
    !!level && (level.startsWith('3-way') || level === 'direct_matching');
  const needsReceipts =
    threeWay(supplier?.invoiceMatchingLevel) ||
    purchaseOrders.some((p) => p.orderLines.some((l) => threeWay(l.matchType) || l.receiptRequired === true));
  return needsReceipts ? purchaseOrders.flatMap((p) => p.orderLines.map((l) => l.id)) : [];
}

/** The invoice's gross total as the same-amount duplicate query asks for it. */
export function totalOf(invoice: Invoice): string | null | undefined {
  return invoice.grossTotal ?? invoice.totalWithTaxes;
}

async function purchaseOrdersOf(ctx: ToolContext, invoice: Invoice): Promise<PurchaseOrder[]> {
  const { numbers, orphanLineIds } = poReferencesOf(invoice);
  const byNumber = await Promise.all([...numbers].map((n) => ctx.records.purchaseOrderByNumber(n)));
  const byLine = await ctx.records.purchaseOrdersForOrderLines(orphanLineIds);
  const all = [...byNumber.filter((p): p is PurchaseOrder => p !== null), ...byLine];
  return [...new Map(all.map((p) => [p.id, p])).values()];
}

/**
 * A tenant may name a comment's author by id only (`created-by: {id: 105}`): look the user up so
 * the company's own comments are not mistaken for supplier text. An author with no id is nobody
 * in Coupa (supplier portal, e-mail) and stays supplier-written.
 */
async function withAuthorLogins(ctx: ToolContext, comments: Comment[]): Promise<Comment[]> {
  const ids = [
    ...new Set(
      comments
        .filter((c) => !c.createdBy?.login && typeof c.createdBy?.id === 'number')
        .map((c) => c.createdBy!.id as number),
    ),
  ];
  if (ids.length === 0) return comments;
  const users = new Map(
    (await Promise.all(ids.map((id) => ctx.records.userById(id).catch(() => null))))
      .filter((u): u is User => u !== null)
      .map((u) => [u.id, u]),
  );
  return comments.map((c) => {
    const user = typeof c.createdBy?.id === 'number' && !c.createdBy.login ? users.get(c.createdBy.id) : undefined;
    return user ? { ...c, createdBy: { ...c.createdBy, login: user.login } } : c;
  });
}

/** Comment authors who are the company's own users (their text is not supplier-controlled). */
async function internalAuthors(ctx: ToolContext, comments: Comment[]): Promise<User[]> {
  const logins = [...new Set(comments.map((c) => c.createdBy?.login).filter((l): l is string => !!l))];
  // Settle's own integration login may not be a Coupa user record; its comments are still ours.
  const own = logins.filter((l) => ctx.ownLogins.has(l)).map((login): User => ({ id: -1, login, active: true }));
  const users = await Promise.all(
    logins.filter((l) => !ctx.ownLogins.has(l)).map((l) => ctx.records.userByLogin(l).catch(() => null)),
  );
  return [...own, ...users.filter((u): u is User => u !== null)];
}

export async function loadInvoiceContext(
  ctx: ToolContext,
  invoiceId: number,
  options: {
    /** Re-read the invoice itself. */
    fresh?: boolean;
    /** Re-read every bank detail (Supplier Information) the checks use: a hold, fraud signal or release is about to rest on them. */
    freshBank?: boolean;
    event?: InvoiceContext['event'];
  } = {},
): Promise<InvoiceContext | null> {
  const invoice = await ctx.records.invoice(invoiceId, { fresh: options.fresh ?? false });
  if (!invoice) return null;
  const supplierId = invoice.supplier?.id;
  const since = sinceOf(invoice, ctx.controls.duplicate_window_days, ctx.now());
  const total = totalOf(invoice);

  const [purchaseOrders, supplier, supplierInformation, contracts, supplierHistory, sameTotal, rawComments, glOwners] =
    await Promise.all([
      purchaseOrdersOf(ctx, invoice),
      supplierId ? ctx.records.supplier(supplierId) : Promise.resolve(null),
      supplierId
        ? ctx.records.supplierInformation(supplierId, { fresh: options.freshBank ?? false })
        : Promise.resolve(null),
      supplierId ? ctx.records.contractsForSupplier(supplierId) : Promise.resolve([]),
      supplierId ? ctx.records.supplierInvoices(supplierId, since) : Promise.resolve([]),
      total ? ctx.records.invoicesWithTotal(total, since) : Promise.resolve([]),
      ctx.records.comments(invoiceId),
      ctx.glOwners(),
    ]);
  const comments = await withAuthorLogins(ctx, rawComments);
  const receipts = await ctx.records.receiptsForOrderLines(receiptLineIdsOf(supplier, purchaseOrders));

  const history = [
    ...new Map([...supplierHistory, ...sameTotal].filter((i) => i.id !== invoice.id).map((i) => [i.id, i])).values(),
  ];
  // Capped: a common amount (rent, subscriptions) must not fan out into dozens of supplier reads.
  const otherSupplierIds = [
    ...new Set(history.map((i) => i.supplier?.id).filter((id): id is number => !!id && id !== supplierId)),
  ].slice(0, 10);
  const otherSuppliers = (await Promise.all(otherSupplierIds.map((id) => ctx.records.supplier(id)))).filter(
    (s): s is Supplier => s !== null,
  );
  const otherInfo = await Promise.all(
    otherSupplierIds.map((id) => ctx.records.supplierInformation(id, { fresh: options.freshBank ?? false })),
  );

  const loaded: InvoiceContext = {
    invoice,
    supplier,
    supplierInformation: [supplierInformation, ...otherInfo].filter((x): x is NonNullable<typeof x> => x !== null),
    purchaseOrders,
    receipts,
    contracts,
    history,
    otherSuppliers,
    comments,
    users: await internalAuthors(ctx, comments),
    ...(options.event ? { event: options.event } : {}),
    glOwner: (code) => glOwners.get(code.trim().toUpperCase()),
  };
  // The tax engine is asked only when the invoice names where the goods go and bills tax.
  const taxRequest = ctx.taxEvidence ? taxQuoteRequestOf(loaded) : undefined;
  if (taxRequest && ctx.taxEvidence) loaded.taxEvidence = await ctx.taxEvidence(taxRequest);
  if (ctx.controls.verify_supplier_registries && ctx.verifySupplier) {
    const facts = registryFactsOf(loaded);
    if (facts.vatId || facts.banks.length || facts.usTin) loaded.registryEvidence = await ctx.verifySupplier(facts);
  }
  return loaded;
}
