/**
 * Extraction as a pipeline of stages, each with one job:
 *   read (text layer, OCR, embedded XML — read-document.ts)
 *   → structured e-invoice, when the document carries one (einvoice/): exact, preferred
 *   → language and number style (language.ts, vocabulary.ts, numbers.ts)
 *   → layout: rows and the line table (rows.ts, extract-lines.ts)
 *   → candidates per field, each with its evidence (extract-header.ts, extract-supplier.ts)
 *   → cross-checks that choose among candidates and set the confidence (cross-check.ts).
 * A new language is a file in languages/; a new e-invoice syntax is one reader in einvoice/.
 */
import { Dec } from '../domain/money.js';
import { eInvoiceToExtraction, readEInvoice } from './einvoice/index.js';
import { IngestError } from './errors.js';
import { headerCandidates } from './extract-header.js';
import { extractLines } from './extract-lines.js';
import { extractSupplier } from './extract-supplier.js';
import { chooseFields } from './cross-check.js';
import { pick, type Candidate } from './labels.js';
import { guessLanguage } from './language.js';
import { ownCompanyCheck, SAMPLE_OWN_COMPANY, type OwnCompany, type OwnCompanyCheck } from './own-company.js';
import { detectNumberStyle } from './numbers.js';
import type { DocumentText, ExtractedField, ExtractedInvoice, ExtractedLine, Row, ValidationProblem } from './types.js';
import { supportedLanguages, vocabularyFor } from './vocabulary.js';

const scale = (f: ExtractedField, k: number): ExtractedField => ({
  ...f,
  confidence: Math.round(f.confidence * k * 1000) / 1000,
});

function scaleLine(line: ExtractedLine, k: number): ExtractedLine {
  return Object.fromEntries(
    Object.entries(line).map(([key, f]) => [key, scale(f as ExtractedField, k)]),
  ) as ExtractedLine;
}

/** The first e-invoice among the XML the document carries; a malformed one is a finding, not a failure. */
function structured(doc: DocumentText): { invoice?: ExtractedInvoice; findings: ValidationProblem[] } {
  const findings: ValidationProblem[] = [];
  for (const xml of doc.xml ?? []) {
    try {
      const inv = readEInvoice(xml.text);
      if (inv) return { invoice: eInvoiceToExtraction(inv, xml.embedded), findings };
    } catch (error) {
      findings.push({
        code: 'einvoice_unreadable',
        severity: 'warning',
        message: `the attached ${xml.name} is not well-formed XML (${(error as Error).message.split('\n')[0]}); the printed page was read instead`,
      });
    }
  }
  return { findings };
}

/** Amounts as printed in any convention: "1.589,80", "1,589.80", "1589.80", "1 589,80". */
function printedForms(amount: string): string[] {
  const v = new Dec(amount).abs();
  const [whole, frac = '00'] = v.toFixed(2).split('.');
  const grouped = (sep: string): string => whole!.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  return [
    ...new Set([
      `${whole}.${frac}`,
      `${whole},${frac}`,
      `${grouped(',')}.${frac}`,
      `${grouped('.')},${frac}`,
      `${grouped(' ')},${frac}`,
      `${grouped(' ')}.${frac}`,
    ]),
  ];
}

/** Where the visible page contradicts the XML it carries: the number or the total is not printed on it. */
function visibleDisagreements(rows: readonly Row[], xml: ExtractedInvoice): ValidationProblem[] {
  if (rows.length === 0) return [];
  const text = rows.map((r) => r.text).join('\n');
  const compact = text.replace(/\s+/g, '');
  const out: ValidationProblem[] = [];
  const number = xml.fields.invoiceNumber?.value;
  if (number && !compact.includes(number.replace(/\s+/g, ''))) {
    out.push({
      code: 'einvoice_visual_mismatch',
      severity: 'error',
      field: 'invoiceNumber',
      message: `the embedded XML says invoice ${number}, which is not printed on the page`,
    });
  }
  const total = xml.fields.total?.value;
  if (total && !printedForms(total).some((f) => text.includes(f) || compact.includes(f.replace(/\s/g, '')))) {
    out.push({
      code: 'einvoice_visual_mismatch',
      severity: 'error',
      field: 'total',
      message: `the embedded XML says the total is ${total}, which is not printed on the page`,
    });
  }
  return out;
}

/**
 * With several different tax ids printed (the supplier's and the customer's), the one in the
 * supplier's own block: within three rows of a row that prints the supplier's name.
 */
function taxIdBesideName(rows: readonly Row[], candidates: readonly Candidate[], name: string): Candidate | undefined {
  if (new Set(candidates.map((c) => c.value)).size < 2) return undefined;
  const key = name.toLowerCase().slice(0, 16);
  const named = rows.flatMap((r, i) => (r.text.toLowerCase().includes(key) ? [i] : []));
  const distance = (c: Candidate): number => {
    const at = rows.indexOf(c.row);
    return Math.min(...named.filter((i) => rows[i]!.page === c.row.page).map((i) => Math.abs(i - at)), Infinity);
  };
  // The id the labels chose stands when it is itself in the supplier's block.
  const chosen = pick(candidates);
  if (chosen && distance(chosen) <= 3) return undefined;
  const ranked = candidates
    .map((c) => ({ c, d: distance(c) }))
    .filter((x) => x.d <= 3)
    .sort((a, b) => a.d - b.d);
  const best = ranked[0];
  // Two different ids equally close say nothing.
  return best && !ranked.some((x) => x.d === best.d && x.c.value !== best.c.value) ? best.c : undefined;
}

/** The printed page: language → number style → table → candidates → cross-checks. */
function extractPrinted(doc: DocumentText, own: OwnCompanyCheck): ExtractedInvoice {
  const text = doc.rows.map((r) => r.text).join('\n');
  if (text.replace(/\s/g, '').length < 10) {
    throw new IngestError(
      'no_text',
      doc.kind === 'pdf-text'
        ? 'the PDF has no text'
        : 'no text was recognised in the image (blank, too faint or not a document)',
    );
  }
  const language = guessLanguage(text);
  if (!language.code && language.share >= 0.4) {
    const names = supportedLanguages().map((l) => l.name);
    throw new IngestError(
      'unsupported_language',
      `the document appears to be in ${language.language}; invoices in ${names.slice(0, -1).join(', ')} and ${names.at(-1)} are read automatically — route it to a person`,
    );
  }
  const vocab = vocabularyFor(language.code ?? 'en');
  const style = detectNumberStyle(
    doc.rows.map((r) => r.text),
    vocab.language.decimal,
  );
  const table = extractLines(doc.rows, style, vocab);
  const rest = doc.rows.filter((r) => !table.rows.has(r));
  const candidates = headerCandidates(rest, style, vocab, doc.rows);
  // The customer's own VAT id and IBAN are printed too (as the buyer's): never the supplier's.
  candidates.taxId = candidates.taxId.filter((c) => !own.isOwnTaxId(c.value));
  if (candidates.iban && own.isOwnIban(candidates.iban.value)) delete candidates.iban;
  const chosen = chooseFields(candidates, table.lines);
  // A line item's description is never the supplier's name: the table's rows are not searched for it.
  const supplier = extractSupplier(doc.rows, vocab, own, table.rows);
  if (supplier.field) chosen.fields.supplierName = supplier.field;
  const besideName = supplier.field && taxIdBesideName(doc.rows, candidates.taxId, supplier.field.value);
  if (besideName) {
    chosen.fields.taxId = { value: besideName.value, confidence: 0.88, source: besideName.source };
    supplier.evidence.push(
      `tax id ${besideName.value}: printed beside the supplier's name (another tax id on the page is the customer's)`,
    );
  }
  if (!chosen.fields.invoiceNumber && !chosen.fields.total && chosen.lines.length === 0) {
    throw new IngestError(
      'not_an_invoice',
      'no invoice number, total or line items were found; the document does not look like an invoice',
    );
  }
  // OCR'd text is only as sure as the recogniser was.
  const k = doc.kind === 'pdf-text' ? 1 : 0.6 + 0.4 * doc.textConfidence;
  return {
    fields: Object.fromEntries(Object.entries(chosen.fields).map(([key, f]) => [key, scale(f, k)])),
    lines: chosen.lines.map((l) => scaleLine(l, k)),
    format: 'printed',
    language: vocab.language.name,
    findings: [],
    evidence: [...chosen.evidence, ...supplier.evidence],
  };
}

/**
 * Extract an invoice from a read document; throws `IngestError` when it is not one we can read.
 * `ownCompany`: the customer's own details, never taken for the supplier's.
 */
export function extractInvoice(doc: DocumentText, ownCompany: OwnCompany = SAMPLE_OWN_COMPANY): ExtractedInvoice {
  const xml = structured(doc);
  if (xml.invoice) {
    const findings = [...xml.findings, ...(xml.invoice.findings ?? []), ...visibleDisagreements(doc.rows, xml.invoice)];
    return { ...xml.invoice, findings };
  }
  if (doc.kind === 'xml') {
    throw new IngestError(
      'unsupported_type',
      xml.findings[0]?.message ??
        'the XML is not an e-invoice read here (UBL, CII / Factur-X / ZUGFeRD / XRechnung, cXML)',
    );
  }
  const printed = extractPrinted(doc, ownCompanyCheck(ownCompany));
  return { ...printed, findings: [...xml.findings, ...(printed.findings ?? [])] };
}
