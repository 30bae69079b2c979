/**
 * Ground truth for the ingestion fixtures, drawn from the sample company: real suppliers (names,
 * tax ids, remit-to, bank details) and real open PO lines, priced exactly with decimal math.
 */
import { Dec } from '../../src/domain/money.js';
import { generateCompany } from '../../src/sim/generator/index.js';

export interface TruthLine {
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  orderLineId: number;
  poLine: string;
}

/** What a correct extraction of one fixture yields, plus what ingestion should do with it. */
export interface GroundTruth {
  file: string;
  layout: string;
  kind: 'text-pdf' | 'image' | 'scanned-pdf' | 'email';
  supplierId: number;
  supplierName: string;
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string;
  currency: string;
  poNumber: string;
  purchaseOrderId: number;
  subtotal: string;
  tax: string;
  taxRatePct: string;
  total: string;
  remitTo: string;
  remitToPostalCode: string;
  iban?: string;
  bankAccount?: string;
  bankRouting?: string;
  bankName?: string;
  taxId: string;
  lines: TruthLine[];
  expect: 'posted' | 'needs_review';
}

type Wire = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

const VAT_PCT: Record<string, string> = { DE: '19', FR: '20', NL: '21', IE: '23' };
const SALES_TAX_PCT = ['0', '6.25', '7', '8.25'];

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** `count` invoice truths over distinct suppliers' open POs of the sample company. */
export function pickTruths(options: { seed: number; invoices: number; count: number }): GroundTruth[] {
  const company = generateCompany({ seed: options.seed, invoices: options.invoices });
  const data = company.dataset as unknown as Record<string, Wire[]>;
  const suppliers = new Map((data.suppliers ?? []).map((s) => [s.id as number, s]));
  const sims = new Map((data['supplier-information'] ?? []).map((s) => [s['supplier-id'] as number, s]));
  const invoiced = new Set((data.invoices ?? []).flatMap((i) => ((i['invoice-lines'] as Wire[] | undefined) ?? []).map((l) => l['order-line-id'])));
  const used = new Set<number>();
  const out: GroundTruth[] = [];
  const today = company.now.slice(0, 10);
  for (const po of data['purchase-orders'] ?? []) {
    if (out.length >= options.count) break;
    const supplierId = (po.supplier as Wire).id as number;
    const supplier = suppliers.get(supplierId);
    const lines = (po['order-lines'] as Wire[]).filter((l) => !invoiced.has(l.id) && l.type === 'OrderQuantityLine');
    if (!supplier || used.has(supplierId) || supplier.status !== 'active' || supplier['on-hold'] || lines.length === 0) continue;
    const sim = sims.get(supplierId);
    const bank = ((sim?.['supplier-information-addresses'] as Wire[] | undefined) ?? [])[0];
    const remit = ((supplier['remit-to-addresses'] as Wire[] | undefined) ?? [])[0];
    if (!bank || !remit) continue;
    used.add(supplierId);
    const n = out.length;
    const country = str((remit.country as Wire | undefined)?.code);
    const taxPct = VAT_PCT[country] ?? SALES_TAX_PCT[n % SALES_TAX_PCT.length]!;
    const truthLines = lines.map((l) => {
      const quantity = new Dec(str(l.quantity)).toString();
      const unitPrice = new Dec(str(l.price)).toFixed(2);
      return { description: str(l.description), quantity, unitPrice, amount: new Dec(quantity).times(unitPrice).toFixed(2), orderLineId: l.id as number, poLine: str(l['line-num']) };
    });
    const subtotal = truthLines.reduce((s, l) => s.plus(l.amount), new Dec(0));
    const tax = subtotal.times(taxPct).div(100).toDecimalPlaces(2);
    const invoiceDate = addDays(today, -1 - (n % 20));
    const days = Number(str((supplier['payment-term'] as Wire | undefined)?.['days-for-net-payment']) || 30);
    out.push({
      file: '', layout: '', kind: 'text-pdf', supplierId, supplierName: str(supplier.name),
      invoiceNumber: `${['INV', 'IN', 'RE', 'BILL'][n % 4]}-${2026}${String(4100 + n * 7).padStart(5, '0')}`,
      invoiceDate, dueDate: addDays(invoiceDate, days),
      currency: str((po.currency as Wire | undefined)?.code) || 'USD',
      poNumber: str(po['po-number']), purchaseOrderId: po.id as number,
      subtotal: subtotal.toFixed(2), tax: tax.toFixed(2), taxRatePct: taxPct, total: subtotal.plus(tax).toFixed(2),
      remitTo: [str(remit.street1), `${str(remit['postal-code'])} ${str(remit.city)}`, country].join(', '),
      remitToPostalCode: str(remit['postal-code']),
      ...(bank['iban-number'] ? { iban: str(bank['iban-number']) } : {}),
      ...(bank['bank-account-number'] ? { bankAccount: str(bank['bank-account-number']), bankRouting: str(bank['bank-routing-number']) } : {}),
      bankName: str(bank['bank-name']),
      taxId: str(supplier['tax-id']),
      lines: truthLines,
      expect: 'posted',
    });
  }
  if (out.length < options.count) throw new Error(`only ${out.length} suitable POs in the sample company (wanted ${options.count})`);
  return out;
}
