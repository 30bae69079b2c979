/**
 * The domain against the sample company: every open exception the generator plants carries a
 * label (exception type, decision, route, dispute reason); `assessInvoice` must reach the same
 * settlement from the records alone (the event hint is passed, but the records decide).
 */
import { describe, expect, it } from 'vitest';
import {
  Comment,
  Contract,
  Invoice,
  PurchaseOrder,
  ReceivingTransaction,
  Supplier,
  SupplierInformation,
  User,
} from '../src/coupa/schemas.js';
import { fromWire } from '../src/coupa/wire.js';
import { DEFAULT_CONTROLS } from '../src/domain/controls.js';
import { assessInvoice, type InvoiceContext } from '../src/domain/index.js';
import { registryFactsOf } from '../src/domain/registry-check.js';
import { taxQuoteRequestOf } from '../src/domain/tax-engine-check.js';
import { createOfflineVatRegistry } from '../src/registry/vat.js';
import { createSupplierVerifier } from '../src/registry/verify.js';
import { generateCompany } from '../src/sim/generator/index.js';
import { createOfflineTaxEngine } from '../src/tax/offline.js';
import { taxEvidence } from '../src/tax/port.js';

/**
 * The generator writes two things the Coupa schemas reject: status "paid" (Coupa has a `paid`
 * flag, not a status) and breach-limit "5%" (a decimal field). Read them as Coupa would send them.
 */
function asCoupaInvoice(wire: Record<string, unknown>): unknown {
  const paid = wire.status === 'paid' ? { status: 'approved', paid: true } : {};
  const text = JSON.stringify({ ...wire, ...paid }).replace(/"breach-limit":"[^"]*%"/g, '"breach-limit":null');
  return fromWire(JSON.parse(text));
}

const company = generateCompany({ seed: 7, invoices: 1000 });
const PLANTED_TAGS = [
  'tax_branch_a',
  'tax_branch_b',
  'tax_branch_c',
  'tax_branch_d',
  'registry_vat_id_invalid',
  'registry_iban_invalid',
  'registry_iban_country_differs',
  'registry_tin_invalid',
];
const d = company.dataset;
const invoices = d.invoices.map((i) => Invoice.parse(asCoupaInvoice(i)));
const suppliers = d.suppliers.map((s) => Supplier.parse(fromWire(s)));
const sims = d['supplier-information'].map((s) => SupplierInformation.parse(fromWire(s)));
const pos = d['purchase-orders'].map((p) => PurchaseOrder.parse(fromWire(p)));
const receipts = d['receiving-transactions'].map((r) => ReceivingTransaction.parse(fromWire(r)));
const contracts = d.contracts.map((c) => Contract.parse(fromWire(c)));
const users = d.users.map((u) => User.parse(fromWire(u)));
const comments = d.comments.map((c) => Comment.parse(fromWire(c)));
const glOwners = new Map(company.glAccounts.map((a) => [a.code, a.ownerLogin]));

/** The records a planner would fetch for one invoice. */
function contextFor(inv: Invoice, event?: InvoiceContext['event']): InvoiceContext {
  const lineIds = new Set(inv.invoiceLines.map((l) => l.orderLineId));
  const myPos = pos.filter(
    (p) => p.orderLines.some((l) => lineIds.has(l.id)) || inv.invoiceLines.some((l) => l.poNumber === p.poNumber),
  );
  const orderLineIds = new Set(myPos.flatMap((p) => p.orderLines.map((l) => l.id)));
  return {
    invoice: inv,
    supplier: suppliers.find((s) => s.id === inv.supplier?.id) ?? null,
    supplierInformation: sims,
    purchaseOrders: myPos,
    receipts: receipts.filter((r) => orderLineIds.has(r.orderLine.id)),
    contracts,
    history: invoices.filter((i) => i.id !== inv.id),
    otherSuppliers: suppliers,
    users,
    comments: comments.filter((c) => c.commentableId === inv.id),
    event,
    glOwner: (code) => glOwners.get(code),
  };
}

/** The sample company's controls: registry verification on (src/app/embedded.ts). */
const controls = { ...DEFAULT_CONTROLS, verify_supplier_registries: true };
const engine = createOfflineTaxEngine();
const verify = createSupplierVerifier({
  vat: createOfflineVatRegistry(() => new Date(company.now)),
  now: () => new Date(company.now),
});

/** As src/mcp/invoice-context.ts loads it: the offline tax engine's answer and the registries'. */
async function withOutsideSources(ctx: InvoiceContext): Promise<InvoiceContext> {
  const request = taxQuoteRequestOf(ctx);
  if (request) ctx.taxEvidence = await taxEvidence(engine, request);
  const facts = registryFactsOf(ctx);
  if (facts.vatId || facts.banks.length || facts.usTin) ctx.registryEvidence = await verify(facts);
  return ctx;
}

describe('assessInvoice on the generated sample company (seed 7, 1000 invoices)', () => {
  it('settles every labelled exception as labelled, with the offline tax engine and registries consulted', async () => {
    const now = new Date(company.now);
    const disagreements: string[] = [];
    for (const label of company.exceptions) {
      const inv = invoices.find((i) => i.id === label.invoiceId);
      if (!inv) {
        disagreements.push(`${label.invoiceId}: not in the dataset`);
        continue;
      }
      const a = assessInvoice(
        await withOutsideSources(
          contextFor(inv, { exceptionCode: label.event.exception_code, holdReason: label.event.hold_reason }),
        ),
        controls,
        now,
      );
      const expected = [
        label.exceptionType,
        label.expectedDecision,
        label.routeTo ?? '-',
        label.disputeReason ?? '-',
      ].join('/');
      const got = [a.exceptionType, a.decision, a.routeTo ?? '-', a.disputeReason ?? '-'].join('/');
      if (expected !== got)
        disagreements.push(
          `${label.invoiceId} [${label.tags.join(',')}] expected ${expected}, got ${got}: ${a.rootCause}`,
        );
    }
    expect(company.exceptions.length).toBeGreaterThan(50);
    // Every tax-engine branch and registry mismatch is planted, and decided as labelled above.
    const tags = new Set(company.exceptions.flatMap((l) => l.tags));
    for (const tag of PLANTED_TAGS) expect(tags, tag).toContain(tag);
    expect(disagreements).toEqual([]);
  });

  it('never resolves a labelled exception whose label forbids it', async () => {
    const now = new Date(company.now);
    for (const label of company.exceptions.filter((l) => l.forbidden?.length)) {
      const inv = invoices.find((i) => i.id === label.invoiceId) as Invoice;
      const a = assessInvoice(await withOutsideSources(contextFor(inv)), controls, now);
      expect(label.forbidden, `${label.invoiceId}`).not.toContain(a.decision);
    }
  });
});
