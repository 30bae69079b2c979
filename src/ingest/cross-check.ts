/**
 * The stage that chooses among candidates and says how sure it is. A value's confidence comes
 * from how it was found — beside a specific label, a generic one, or only derived — and from the
 * document's own arithmetic: lines that add up to the subtotal, subtotal + tax = total. Several
 * labels disagreeing lowers it. Calibrated on real invoices (test/fixtures/real-invoices).
 */
import { Dec } from '../domain/money.js';
import { TITLE_RANK, type HeaderCandidates } from './extract-header.js';
import type { Candidate } from './labels.js';
import { pick } from './labels.js';
import type { ExtractedField, ExtractedLine, HeaderField } from './types.js';

type Fields = Partial<Record<HeaderField, ExtractedField>>;

/** Confirmed by the document's arithmetic. */
export const CONFIRMED = 0.97;
/** Found beside a label, nothing else to check it by. */
const LABELLED: Record<string, number> = {
  'label-inline': 0.88,
  'label-right': 0.87,
  'label-below': 0.84,
  pattern: 0.8,
};
/** Subtotal + tax within a cent of the total (amounts rounded each on its own). */
const ROUNDED = 0.88;
/** Computed from other amounts that were themselves only labelled. */
const DERIVED = 0.85;
/** A line whose table does not add up to the printed subtotal or total. */
const UNCHECKED_LINE = 0.85;
/** A date found with no label naming it. */
const UNLABELLED_DATE = 0.7;
/** Labels that disagree among themselves. */
const CONFLICTED = 0.6;

/** A bare "Date", or the order's date standing in for the invoice's: never more than a guess. */
const GENERIC_DATE_LABEL =
  /^(?:date|datum|data|fecha|du|vom|order\s*date|bestelldatum|besteldatum|date\s*de\s*(?:la\s*)?commande|fecha\s*(?:del?\s*)?pedido|data\s*(?:dell['’]\s*)?ordine)\W*$/i;

const field = (c: Candidate, confidence: number): ExtractedField => ({ value: c.value, confidence, source: c.source });
const distinct = (cs: readonly Candidate[]): string[] => [...new Set(cs.map((c) => c.value))];

/** Label-only confidence: lower when candidates of the same label rank disagree. */
function labelledConfidence(chosen: Candidate, all: readonly Candidate[], amounts = false): number {
  const rivals = all.filter(
    (c) => c.rank === chosen.rank && (amounts ? !new Dec(c.value).eq(chosen.value) : c.value !== chosen.value),
  );
  return rivals.length > 0 ? CONFLICTED : (LABELLED[chosen.source] ?? 0.8);
}

interface AmountChoice {
  subtotal?: ExtractedField;
  tax?: ExtractedField;
  total?: ExtractedField;
  linesConfirmed: boolean;
  evidence: string[];
}

/** Subtotal, tax and total: the combination the arithmetic proves, else each by its best label. */
export function chooseAmounts(
  c: Pick<HeaderCandidates, 'subtotal' | 'tax' | 'total'>,
  lines: readonly ExtractedLine[],
): AmountChoice {
  const lineSum = lines.length ? lines.reduce((s, l) => s.plus(l.amount.value), new Dec(0)) : undefined;
  const byPriority = (cs: Candidate[], last: boolean): Candidate[] =>
    [...cs].sort((a, b) => a.rank - b.rank || (last ? b.order - a.order : a.order - b.order));
  const totals = byPriority(c.total, true);
  const repaired = new Set<Candidate>();
  const withLostDecimals = (cs: Candidate[]): Candidate[] => {
    const variants = cs.flatMap((x) => {
      const v = lostDecimalMark(x.value);
      if (!v) return [];
      const variant = { ...x, value: v };
      repaired.add(variant);
      return [variant];
    });
    return [...cs, ...variants];
  };
  const subs = withLostDecimals(byPriority(c.subtotal, true));
  const taxes = withLostDecimals(byPriority(c.tax, true));
  const evidence: string[] = [];
  for (const total of totals) {
    for (const sub of [...subs, undefined]) {
      const subValue = sub ? new Dec(sub.value) : lineSum;
      if (!subValue) continue;
      for (const tax of [...taxes, undefined]) {
        const taxValue = tax ? new Dec(tax.value) : new Dec(0);
        // Within a cent: each amount was rounded on its own ("leur somme peut différer du montant total") — agreement, not proof.
        const gap = subValue.plus(taxValue).minus(total.value).abs();
        if (gap.gt('0.01')) continue;
        const proof = gap.isZero() ? CONFIRMED : ROUNDED;
        // A printed non-zero tax that is left out of the sum is no proof of anything.
        if (!tax && taxes.some((t) => !new Dec(t.value).isZero())) continue;
        // Lines equal to the total with no tax, beside a printed subtotal that differs: the lines are priced with tax.
        if (!sub && !tax && subs.length > 0) continue;
        // Nothing but a total equal to the lines: no tax was printed (or it is included); that is evidence, not proof.
        const provenBy = `${sub ? 'subtotal' : 'the lines'} ${subValue.toFixed(2)} + tax ${taxValue.toFixed(2)} = total ${total.value}`;
        evidence.push(provenBy);
        for (const x of [sub, tax])
          if (x && repaired.has(x))
            evidence.push(`${x.value} read with its decimal mark restored (printed or recognised without one)`);
        const linesConfirmed = lineSum !== undefined && lineSum.eq(subValue);
        // A value whose decimal mark was restored is proven by the sum, but was not read as printed.
        const chosen = (x: Candidate): ExtractedField =>
          repaired.has(x)
            ? { value: x.value, confidence: Math.min(proof, ROUNDED), source: 'derived' }
            : field(x, proof);
        return {
          total: field(total, proof),
          subtotal: sub
            ? chosen(sub)
            : { value: subValue.toFixed(2), confidence: tax ? proof : DERIVED, source: 'derived' },
          ...(tax
            ? { tax: chosen(tax) }
            : sub && taxes.length === 0
              ? { tax: { value: '0.00', confidence: DERIVED, source: 'derived' } }
              : {}),
          linesConfirmed,
          evidence,
        };
      }
    }
  }
  const total = pick(c.total, true);
  // Subtotal and tax from the total's own page when it prints them (a later page may explain a sample bill).
  const samePage = (cs: Candidate[]): Candidate[] =>
    total && cs.some((x) => x.row.page === total.row.page) ? cs.filter((x) => x.row.page === total.row.page) : cs;
  const sub = pick(samePage(c.subtotal), true);
  // The tax is a part of the total: a larger "tax" is another number behind a tax word (a VAT registration number).
  const below = (x: Candidate): boolean =>
    !total || new Dec(total.value).lte(0) || new Dec(x.value).abs().lt(new Dec(total.value));
  const tax = pick(samePage(c.tax.filter(below)), true);
  const out: AmountChoice = { linesConfirmed: false, evidence };
  if (total) out.total = field(total, labelledConfidence(total, c.total, true));
  if (sub) out.subtotal = field(sub, labelledConfidence(sub, c.subtotal, true));
  else if (lineSum) out.subtotal = { value: lineSum.toFixed(2), confidence: DERIVED, source: 'derived' };
  if (tax) out.tax = field(tax, labelledConfidence(tax, c.tax, true));
  else if (out.subtotal && out.total) {
    const derived = new Dec(out.total.value).minus(out.subtotal.value);
    if (derived.gte(0))
      out.tax = {
        value: derived.toFixed(2),
        confidence: Math.min(DERIVED, out.total.confidence, out.subtotal.confidence),
        source: 'derived',
      };
  }
  if (lineSum && out.subtotal && lineSum.eq(out.subtotal.value)) {
    out.linesConfirmed = true;
    evidence.push(`the lines add up to the subtotal ${out.subtotal.value}`);
  }
  return out;
}

/**
 * An amount recognised without its decimal mark ("975" for 9.75, OCR drops small dots): the
 * reading with two decimals, tried only where the document's own arithmetic can prove it.
 */
function lostDecimalMark(value: string): string | undefined {
  return /^-?\d{3,}$/.test(value) ? new Dec(value).div(100).toFixed(2) : undefined;
}

/** The invoice number: repeated agreement raises it, a rival number lowers it. */
function chooseNumber(cs: readonly Candidate[]): ExtractedField | undefined {
  const best = pick(cs);
  if (!best) return undefined;
  const same = cs.filter((c) => c.value === best.value).length;
  const rivals = cs.filter((c) => c.rank === best.rank && c.value !== best.value);
  const generic = best.label.replace(/[\s:#.]/g, '') === '';
  const confidence = rivals.length
    ? CONFLICTED
    : generic || best.rank >= TITLE_RANK
      ? 0.8
      : same > 1
        ? 0.95
        : best.source === 'label-below'
          ? 0.88
          : 0.92;
  return field(best, confidence);
}

function chooseDate(cs: readonly Candidate[], fallback?: Candidate): ExtractedField | undefined {
  const labelled = pick(cs);
  // A bare "Date" loses to the date printed beside the invoice number.
  const best = labelled && !(fallback && GENERIC_DATE_LABEL.test(labelled.label)) ? labelled : (fallback ?? labelled);
  if (!best) return undefined;
  const rivals = cs.filter((c) => c.rank === best.rank && c.value !== best.value);
  const confidence = rivals.length
    ? CONFLICTED
    : GENERIC_DATE_LABEL.test(best.label) || best === fallback
      ? 0.86
      : 0.93;
  return field(best, confidence);
}

/** Every header field chosen from its candidates, the lines confirmed when the sums agree. */
export function chooseFields(
  c: HeaderCandidates,
  lines: ExtractedLine[],
): { fields: Fields; lines: ExtractedLine[]; evidence: string[] } {
  const amounts = chooseAmounts(c, lines);
  const fields: Fields = {
    invoiceNumber: chooseNumber(c.invoiceNumber),
    // A date no label names is the invoice's only when nothing else is: never more than a guess.
    invoiceDate:
      chooseDate(c.invoiceDate, c.numberLineDate) ?? (c.unlabelledDate && field(c.unlabelledDate, UNLABELLED_DATE)),
    dueDate: chooseDate(c.dueDate),
    poNumber: pick(c.poNumber) && field(pick(c.poNumber)!, 0.88),
    subtotal: amounts.subtotal,
    tax: amounts.tax,
    total: amounts.total,
    taxId:
      pick(c.taxId) &&
      field(pick(c.taxId)!, pick(c.taxId)!.source === 'pattern' ? 0.85 : distinct(c.taxId).length > 1 ? 0.8 : 0.93),
    bankAccount: pick(c.bankAccount) && field(pick(c.bankAccount)!, 0.88),
    bankRouting: pick(c.bankRouting) && field(pick(c.bankRouting)!, 0.88),
    currency: c.currency,
    iban: c.iban,
    remitTo: c.remitTo,
  };
  const { invoiceDate, dueDate } = fields;
  if (invoiceDate && dueDate && dueDate.value < invoiceDate.value) fields.dueDate = { ...dueDate, confidence: 0.4 };
  // Lines that do not add up to the amounts printed are an incomplete or misread table: no line is sure then.
  const lineSum = lines.reduce((s, l) => s.plus(l.amount.value), new Dec(0));
  // Lines priced with tax add up to the total instead: that agrees too.
  const printed = [amounts.subtotal, amounts.total].filter(
    (f): f is ExtractedField => f !== undefined && f.source !== 'derived',
  );
  const contradicted = !amounts.linesConfirmed && printed.length > 0 && printed.every((f) => !lineSum.eq(f.value));
  const confirmedLines = amounts.linesConfirmed
    ? lines.map((l) => ({ ...l, amount: { ...l.amount, confidence: Math.max(l.amount.confidence, 0.98) } }))
    : contradicted
      ? lines.map((l) => ({ ...l, amount: { ...l.amount, confidence: Math.min(l.amount.confidence, UNCHECKED_LINE) } }))
      : lines;
  return {
    fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Fields,
    lines: confirmedLines,
    evidence: amounts.evidence,
  };
}
