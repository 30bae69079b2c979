/**
 * Case scope: an agent session settling one invoice is bound to that case — the invoice, its
 * purchase order(s), its supplier and that supplier's contracts. The binding is fixed by the runner,
 * never by the model: the guard fills in the implied `invoice_id`, and any call that names another
 * invoice, PO, supplier or contract is denied as a scope violation. Reads of history (duplicate
 * search, similar resolutions, policies) stay open; writes never leave the case.
 *
 * When the record a denied call names also appears in supplier-written text the session has seen,
 * the violation is a fraud signal: supplier text tried to steer Settle onto another record.
 * People's sessions (stdio, HTTP tokens, the review page) carry no case scope and keep their
 * role-based access.
 */
import type { ToolContext } from './context.js';
import { isWriteClass, type ToolDefinition } from './tool.js';

/** The record references a tool argument can carry, by argument name. */
const REFERENCE_FIELDS = ['invoice_id', 'purchase_order_id', 'po_number', 'supplier_id', 'contract_id'] as const;
type ReferenceField = (typeof REFERENCE_FIELDS)[number];

/**
 * Reads whose filters may name records outside the case: duplicate and history search across
 * suppliers (a copied bill often arrives under another supplier) and the knowledge store.
 */
const HISTORY_READS: ReadonlySet<string> = new Set(['search_invoices', 'find_similar_resolutions', 'search_policies']);

/** What a case session may touch, read once from Coupa when the session first needs it. */
export interface CaseBinding {
  invoiceId: number;
  invoiceNumber: string | null;
  supplierId: number | null;
  purchaseOrderIds: ReadonlySet<number>;
  poNumbers: ReadonlySet<string>;
  contractIds: ReadonlySet<number>;
}

export interface ScopeViolation {
  field: ReferenceField | 'tool';
  value: string;
  /** One sentence, for the caller and the audit row. */
  reason: string;
}

/** Supplier-written text a session has been shown, kept to recognise where a request came from. */
interface SeenText {
  source: string;
  text: string;
}

/** One agent session's case. Create one per settlement; it remembers what the session was shown. */
export interface CaseScope {
  readonly invoiceId: number;
  /**
   * Mixed into the derived idempotency key of every write in this session. A run re-triggered by
   * a supplier's reply names the reply here, so a write whose arguments happen to equal the first
   * run's (an LLM asking again in the same words) is a new write, not a replay of the old one.
   */
  readonly idempotencyContext?: string | undefined;
  /** The binding (invoice, POs, supplier, contracts), read once per session. */
  binding(ctx: ToolContext): Promise<CaseBinding>;
  /** Record fenced (untrusted) text from a tool result the session returned to the model. */
  noteSupplierText(source: string, text: string): void;
  /** Supplier texts seen in this session (and on the case invoice itself). */
  seenTexts(): readonly SeenText[];
}

/** Caps memory: a session that reads a huge PDF keeps its first part (requests sit near the top). */
const MAX_SEEN_CHARS = 200_000;
const FENCED = /<(untrusted-data-[0-9a-f]{16})>([\s\S]*?)<\/\1>/g;

export function createCaseScope(
  invoiceId: number,
  options: { idempotencyContext?: string | undefined } = {},
): CaseScope {
  let binding: Promise<CaseBinding> | undefined;
  const seen: SeenText[] = [];
  let seenChars = 0;
  return {
    invoiceId,
    ...(options.idempotencyContext ? { idempotencyContext: options.idempotencyContext } : {}),
    binding(ctx) {
      binding ??= readBinding(ctx, invoiceId).catch((error: unknown) => {
        binding = undefined; // a Coupa outage must not pin an empty binding for the whole session
        throw error;
      });
      return binding;
    },
    noteSupplierText(source, text) {
      for (const match of text.matchAll(FENCED)) {
        const body = match[2] ?? '';
        if (!body || seenChars >= MAX_SEEN_CHARS) continue;
        const kept = body.slice(0, MAX_SEEN_CHARS - seenChars);
        seen.push({ source, text: kept });
        seenChars += kept.length;
      }
    },
    seenTexts: () => seen,
  };
}

async function readBinding(ctx: ToolContext, invoiceId: number): Promise<CaseBinding> {
  const invoice = await ctx.records.invoice(invoiceId);
  const supplierId = invoice?.supplier?.id ?? null;
  const poNumbers = new Set<string>();
  const orderLineIds: number[] = [];
  for (const line of invoice?.invoiceLines ?? []) {
    const number = line.poNumber ?? line.orderHeaderNum;
    if (number) poNumbers.add(number);
    if (typeof line.orderLineId === 'number') orderLineIds.push(line.orderLineId);
  }
  const byNumber = await Promise.all([...poNumbers].map((n) => ctx.records.purchaseOrderByNumber(n)));
  const byLine = orderLineIds.length ? await ctx.records.purchaseOrdersForOrderLines(orderLineIds) : [];
  const pos = [...byNumber, ...byLine].filter((p): p is NonNullable<typeof p> => p !== null);
  for (const po of pos) poNumbers.add(po.poNumber);
  const contracts = supplierId ? await ctx.records.contractsForSupplier(supplierId) : [];
  return {
    invoiceId,
    invoiceNumber: invoice?.invoiceNumber ?? null,
    supplierId,
    purchaseOrderIds: new Set(pos.map((p) => p.id)),
    poNumbers,
    contractIds: new Set(contracts.map((c) => c.id)),
  };
}

/** Top-level argument names of a tool's input (its object shape, through refinements). */
function inputFields(tool: ToolDefinition): { all: Set<string>; required: Set<string> } {
  const shape =
    (tool.inputSchema as { shape?: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape ?? {};
  const all = new Set(Object.keys(shape));
  // A field is required when the schema refuses its absence.
  const required = new Set([...all].filter((k) => !shape[k]!.safeParse(undefined).success));
  return { all, required };
}

/** True when the case fixes this tool's `invoice_id` (it is dropped from the listed schema). */
export function impliesInvoiceId(tool: ToolDefinition): boolean {
  return inputFields(tool).all.has('invoice_id');
}

/**
 * Fill in what the case implies: `invoice_id` when the tool takes one and the caller left it out
 * (a tool that takes either a PO or an invoice gets the invoice only when no PO was named).
 */
export function bindCaseArguments(tool: ToolDefinition, args: unknown, scope: CaseScope): unknown {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return args;
  const record = args as Record<string, unknown>;
  const { all, required } = inputFields(tool);
  if (!all.has('invoice_id') || 'invoice_id' in record) return args;
  const namesAnother = REFERENCE_FIELDS.some((f) => f !== 'invoice_id' && record[f] !== undefined);
  if (!required.has('invoice_id') && namesAnother) return args;
  return { ...record, invoice_id: scope.invoiceId };
}

const describeRef: Record<ReferenceField, string> = {
  invoice_id: 'invoice',
  purchase_order_id: 'purchase order',
  po_number: 'PO number',
  supplier_id: 'supplier',
  contract_id: 'contract',
};

/** The first argument of a validated call that leaves the case, or null when the call stays inside. */
export function checkCaseScope(
  tool: ToolDefinition,
  input: Record<string, unknown>,
  b: CaseBinding,
): ScopeViolation | null {
  const outside = (field: ReferenceField, value: unknown, allowed: string): ScopeViolation => ({
    field,
    value: String(value),
    reason: `this session settles invoice ${b.invoiceId} only; ${describeRef[field]} ${String(value)} is outside its case (${allowed})`,
  });
  if (tool.guardClass === 'review') {
    return { field: 'tool', value: tool.name, reason: `a case session cannot decide proposals (${tool.name})` };
  }
  const history = HISTORY_READS.has(tool.name) && !isWriteClass(tool.guardClass);
  for (const field of REFERENCE_FIELDS) {
    const value = input[field];
    if (value === undefined || value === null) continue;
    if (field === 'invoice_id' && value !== b.invoiceId) return outside(field, value, `invoice ${b.invoiceId}`);
    if (field === 'purchase_order_id' && !b.purchaseOrderIds.has(Number(value)))
      return outside(field, value, listOf('its POs', b.purchaseOrderIds));
    if (field === 'po_number' && !b.poNumbers.has(String(value)))
      return outside(field, value, listOf('its PO numbers', b.poNumbers));
    if (field === 'contract_id' && !b.contractIds.has(Number(value)))
      return outside(field, value, listOf("its supplier's contracts", b.contractIds));
    if (field === 'supplier_id' && !history && value !== b.supplierId)
      return outside(field, value, `supplier ${b.supplierId ?? 'unknown'}`);
  }
  // Deny by default: a write in a case session must concern the case invoice, named or implied.
  if (isWriteClass(tool.guardClass) && tool.invoiceIdOf?.(input as never) !== b.invoiceId) {
    return { field: 'invoice_id', value: 'none', reason: `writes in this session must concern invoice ${b.invoiceId}` };
  }
  return null;
}

function listOf(label: string, values: ReadonlySet<unknown>): string {
  return values.size ? `${label}: ${[...values].join(', ')}` : `it has no ${label.replace(/^its /, '')}`;
}

/**
 * Where a denied reference came from: the supplier-written text (on the case invoice, or shown to
 * the session by a tool) that names it, by its id or its number. Undefined when none does.
 */
export async function supplierTextNaming(
  violation: ScopeViolation,
  scope: CaseScope,
  ctx: ToolContext,
): Promise<string | undefined> {
  if (violation.field === 'tool' || violation.value === 'none') return undefined;
  const needles = new Set([violation.value]);
  const id = Number(violation.value);
  // The model may have looked an id up from a number the supplier wrote: match the number too.
  if (violation.field === 'invoice_id' && Number.isInteger(id)) {
    const other = await ctx.records.invoice(id).catch(() => null);
    if (other?.invoiceNumber) needles.add(other.invoiceNumber);
  }
  if (violation.field === 'purchase_order_id' && Number.isInteger(id)) {
    const po = await ctx.records.purchaseOrder(id).catch(() => null);
    if (po?.poNumber) needles.add(po.poNumber);
  }
  if (violation.field === 'supplier_id' && Number.isInteger(id)) {
    const supplier = await ctx.records.supplier(id).catch(() => null);
    if (supplier?.name) needles.add(supplier.name);
  }
  const texts = [...(await caseInvoiceTexts(scope, ctx)), ...scope.seenTexts()];
  for (const { source, text } of texts) {
    const hit = [...needles].find((n) => mentions(text, n));
    if (hit) return `${source} names ${hit}`;
  }
  return undefined;
}

/** A whole-token, case-insensitive mention (invoice 70 is not named by "7002"). */
function mentions(text: string, needle: string): boolean {
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9])${escaped}($|[^A-Za-z0-9])`, 'i').test(text);
}

/** Supplier-controlled text on the case invoice: note, line descriptions, attachment names, outside comments. */
async function caseInvoiceTexts(scope: CaseScope, ctx: ToolContext): Promise<SeenText[]> {
  const invoice = await ctx.records.invoice(scope.invoiceId).catch(() => null);
  if (!invoice) return [];
  const out: SeenText[] = [];
  if (invoice.supplierNote) out.push({ source: 'the supplier note', text: invoice.supplierNote });
  invoice.invoiceLines.forEach(
    (l, i) => l.description && out.push({ source: `line ${l.lineNum ?? i + 1} description`, text: l.description }),
  );
  for (const a of invoice.attachments ?? []) {
    if (typeof a.fileFileName === 'string') out.push({ source: 'an attachment name', text: a.fileFileName });
  }
  const comments = await ctx.records.comments(scope.invoiceId).catch(() => []);
  for (const c of comments) {
    const login = c.createdBy?.login;
    if (login && ctx.ownLogins.has(login)) continue;
    const internal = login ? await ctx.records.userByLogin(login).catch(() => null) : null;
    if (!internal) out.push({ source: `comment${c.id != null ? ` ${c.id}` : ''}`, text: c.comments });
  }
  return out;
}
