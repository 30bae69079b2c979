/**
 * The supplier, from evidence rather than position. Candidate names come from a supplier label
 * ("Sold by", "Verkäufer", "Titulaire du compte"), from names carrying a legal form (GmbH, B.V.,
 * SARL, Pvt. Ltd.) and from the largest text at the top; each gains weight from what can be
 * checked on the page — the e-mail or web domain, being printed more than once — and names in
 * the customer's own blocks (bill-to, delivery address) are excluded. Validation then matches
 * the name, VAT id and IBAN against Coupa's supplier master.
 */
import { findCandidates, labelRegex } from './labels.js';
import type { OwnCompanyCheck } from './own-company.js';
import type { Cell, ExtractedField, Row } from './types.js';
import type { ReadingVocabulary } from './vocabulary.js';

/** Legal forms spelled out ("BOUYGUES TELECOM - Société Anonyme au capital de …"): the name is the words before them. */
const SPELLED_FORM = String.raw`(?:Soci[ée]t[ée]\s+(?:Anonyme|par\s+actions\s+simplifi[ée]e|[àa]\s+responsabilit[ée]\s+limit[ée]e)|Sociedad\s+(?:An[óo]nima|Limitada)|Aktiengesellschaft|Gesellschaft\s+mit\s+beschr[äa]nkter\s+Haftung|Besloten\s+Vennootschap|Naamloze\s+Vennootschap|Societ[àa]\s+per\s+Azioni)`;
const LEGAL_FORM = String.raw`(?:${SPELLED_FORM}|GmbH(?:\s*&\s*Co\.?\s*KG)?|AG|KG|OHG|e\.\s?K\.|B\.\s?V\.?|BV|N\.\s?V\.?|NV|SAS|SARL|Sarl|S\.\s?[àa]\.?\s?r\.?\s?[lL]\.?|S\.A\.S?\.?|SA|S\.r\.l\.|SRL|Srl|S\.L\.U?\.?|SL|S\.p\.A\.|SpA|Ltd\.?|Limited|Inc\.?|LLC|LLP|Corp\.?|Corporation|plc|Pvt\.?\s*Ltd\.?|Private\s+Limited|Pty\.?\s*Ltd\.?)`;
const NAME_WITH_FORM = new RegExp(String.raw`((?:[\p{L}\d&'’.\-]+[ ,]{1,2}){0,5}?)(${LEGAL_FORM})(?![\p{L}])`, 'gu');
const LABEL_LIKE =
  /^[^:]{0,30}:|\b(?:invoice|date|due|po|order|number|total|tax|vat|iban|account|phone|tel|fax|e-?mail|page)\b|www\.|https?:|@/i;
/** The most a name chosen by position and form alone can score (below the 0.9 of a checked value). */
export const POSITIONAL_CAP = 0.85;
/** How many rows from the top the supplier's letterhead can reach. */
const TOP_ROWS = 10;

interface NameCandidate {
  name: string;
  score: number;
  evidence: string[];
}

const plain = (s: string): string =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(new RegExp(LEGAL_FORM, 'giu'), ' ')
    .replace(/[^a-z0-9]+/g, '');

const nameAcceptor = (text: string): string | undefined => {
  // "NUMERO:" is a label waiting for its value, not a name.
  if (/:\s*$/.test(text)) return undefined;
  const name = text.trim().replace(/[,;]+$/, '');
  return name.length >= 3 &&
    /\p{L}{2}/u.test(name) &&
    !/^[(#*]/.test(name) &&
    !/\d{3,}/.test(name) &&
    !LABEL_LIKE.test(name)
    ? name
    : undefined;
};

/** Cells of the customer's blocks (the label and a few rows under it). */
function customerCells(rows: readonly Row[], patterns: readonly string[]): Set<Cell> {
  const out = new Set<Cell>();
  rows.forEach((row, i) => {
    for (const label of row.cells.filter((c) => patterns.some((p) => labelRegex(p).test(c.text)))) {
      out.add(label);
      // "To: | iViveLabs Ltd": a bare label's value may sit beside it rather than under it.
      const beside = row.cells[row.cells.indexOf(label) + 1];
      if (
        beside &&
        /^[^:]{0,30}:?\s*$/.test(label.text) &&
        label.text.replace(labelRegex(patterns.find((p) => labelRegex(p).test(label.text))!), '').trim() === ''
      )
        out.add(beside);
      for (const next of rows.slice(i + 1, i + 6)) {
        if (next.page !== row.page) break;
        for (const c of next.cells) if (c.x < label.right + 60 && c.right > label.x - 2) out.add(c);
      }
    }
  });
  return out;
}

/** Second-level names of the e-mail and web domains printed outside the customer's blocks ("qualityhosting"). */
function domainsOf(rows: readonly Row[], excluded: Set<Cell>): string[] {
  const out = new Set<string>();
  for (const row of rows) {
    for (const cell of row.cells) {
      if (excluded.has(cell)) continue;
      for (const m of cell.text
        .toLowerCase()
        .matchAll(
          /(?:@|www\.|https?:\/\/(?:www\.)?|\b)([a-z0-9-]+(?:\.[a-z0-9-]+)*)\.(?:com|net|org|de|fr|nl|be|es|it|at|ch|co\.uk|uk|eu|in|io|pl)\b/g,
        )) {
        const parts = m[1]!.split('.');
        const label = parts.at(-1)!;
        if (
          !['example', 'localhost', 'gmail', 'yahoo', 'hotmail', 'outlook', 'fake'].includes(label) &&
          label.length >= 3
        )
          out.add(label.replace(/-/g, ''));
      }
    }
  }
  return [...out];
}

/** An account holder or payee may be a person or a factor: weaker than "Supplier:" or "Sold by". */
const labelWeight = (label: string): number =>
  /holder|inhaber|titulaire|kontoname|favou?r|payable|titular|intestatario/i.test(label) ? 2 : 3;

/** Names with a legal form in a cell: the whole lead-in at a cell's start ("Au bon moulin SARL"), else its capitalised words. */
function legalNames(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(NAME_WITH_FORM)) {
    let lead = m[1]!.trim();
    const before = text.slice(0, m.index).trim();
    if (before !== '' && !/[:\-–|•]$/.test(before)) {
      const words = lead.split(/\s+/);
      let k = words.length;
      while (k > 0 && /^[\p{Lu}\d&]/u.test(words[k - 1]!)) k -= 1;
      lead = words.slice(k).join(' ');
    }
    lead = lead.replace(/^(?:by|von|par|door|da|de|of|from|regd\.?\s*office:?)\s+/i, '').replace(/[,\s\-–]+$/, '');
    const spelled = new RegExp(`^${SPELLED_FORM}$`, 'iu').test(m[2]!);
    if (/\p{L}{2}/u.test(lead) && lead.split(/\s+/).length <= 6)
      out.push((spelled ? lead : `${lead} ${m[2]}`).replace(/\s+/g, ' ').trim());
  }
  return out;
}

/** The supplier name as printed, with a confidence and the evidence that chose it. */
export function extractSupplier(
  rows: readonly Row[],
  vocab: ReadingVocabulary,
  own?: OwnCompanyCheck,
  tableRows: ReadonlySet<Row> = new Set(),
): { field?: ExtractedField; evidence: string[] } {
  const excluded = customerCells(rows, vocab.labels.customer);
  for (const row of tableRows) for (const cell of row.cells) excluded.add(cell);
  const title = new RegExp(`^(?:${vocab.labels.title.join('|')})\\b`, 'iu');
  const candidates = new Map<string, NameCandidate>();
  const add = (name: string, score: number, why: string): void => {
    const key = plain(name);
    // The customer's own name, wherever it is printed, is never the supplier.
    if (key.length < 3 || own?.isOwnName(name)) return;
    const c = candidates.get(key) ?? { name, score: 0, evidence: [] };
    // The longest spelling is the one to show; each kind of evidence counts once.
    if (name.length > c.name.length) c.name = name;
    if (!c.evidence.includes(why)) {
      c.score += score;
      c.evidence.push(why);
    }
    candidates.set(key, c);
  };
  // A table's column heading ("UNIT PRICE", "Désignation") alone in its cell is never a name either.
  const isHeading = (text: string): boolean =>
    Object.values(vocab.table).some((ps) => ps.some((p) => labelRegex(p).exec(text)?.[0].length === text.length));
  const isLabel = (text: string): boolean =>
    Object.values(vocab.labels).some((ps) => ps.some((p) => labelRegex(p).test(text))) || isHeading(text);
  const accept = (text: string): string | undefined => (isLabel(text) ? undefined : nameAcceptor(text));
  for (const c of findCandidates(rows, vocab.labels.supplier, accept)) {
    if (![...excluded].some((e) => c.row.cells.includes(e) && e.text.includes(c.value)))
      add(legalNames(c.value)[0] ?? c.value, labelWeight(c.label), 'labelled as the supplier');
  }
  // "Verkäufer:" with its block under it, the name a few rows down; "… Titulaire du compte : NETPRESSE" inside a longer cell.
  const anywhere = new RegExp(`(?:^|[\\s–—|-])(?:${vocab.labels.supplier.join('|')})\\s*:\\s*(.+)$`, 'iu');
  const bareLabel = new RegExp(`^(?:${vocab.labels.supplier.join('|')})\\s*:?$`, 'iu');
  rows.forEach((row, i) => {
    for (const cell of row.cells) {
      if (excluded.has(cell)) continue;
      const inline = anywhere.exec(cell.text)?.[1];
      const value = inline ? accept(inline) : undefined;
      if (value) {
        add(legalNames(value)[0] ?? value, labelWeight(cell.text), 'labelled as the supplier');
        continue;
      }
      if (!bareLabel.test(cell.text.trim())) continue;
      const below = rows
        .slice(i + 1, i + 4)
        .filter((r) => r.page === row.page)
        .flatMap((r) => r.cells.filter((c) => c.x < cell.right + 40 && c.right > cell.x - 2));
      // "Nummer | : 12345676" is a key and its value, not a name.
      const name = below
        .filter(
          (c) =>
            !/^\s*:/.test(
              rows.find((r) => r.cells.includes(c))!.cells[rows.find((r) => r.cells.includes(c))!.cells.indexOf(c) + 1]
                ?.text ?? '',
            ),
        )
        .map((c) => accept(c.text))
        .find(Boolean);
      if (name) add(legalNames(name)[0] ?? name, labelWeight(cell.text), 'labelled as the supplier');
    }
  });
  const seen = new Map<string, number>();
  for (const row of rows) {
    for (const cell of row.cells) {
      if (excluded.has(cell)) continue;
      for (const name of legalNames(cell.text)) {
        add(name, 2, 'carries a legal form');
        seen.set(plain(name), (seen.get(plain(name)) ?? 0) + 1);
      }
    }
  }
  for (const [key, n] of seen) if (n > 1) add(candidates.get(key)!.name, 1, `printed ${n} times`);
  const first = rows[0]?.page ?? 1;
  const top = rows
    .filter((r) => r.page === first)
    .slice(0, TOP_ROWS)
    .flatMap((r) => r.cells)
    .filter((c) => !excluded.has(c) && !title.test(c.text) && accept(c.text));
  for (const c of top) add(nameAcceptor(c.text)!, 0, 'near the top');
  if (top.length > 0) {
    const tallest = Math.max(...top.map((c) => c.height));
    const best = top.find((c) => c.height >= tallest * 0.95)!;
    add(nameAcceptor(best.text)!, 1, 'largest text at the top');
  }
  for (const domain of domainsOf(rows, excluded).filter((d) => !own?.isOwnDomain(d))) {
    for (const c of candidates.values()) {
      const p = plain(c.name);
      if (p.length >= 3 && (p.includes(domain) || (domain.includes(p) && p.length >= 4)))
        add(c.name, 3, `matches the domain ${domain}`);
    }
  }
  const ranked = [...candidates.values()].sort((a, b) => b.score - a.score);
  const best = ranked[0];
  if (!best) return { evidence: [] };
  const runnerUp = ranked[1]?.score ?? 0;
  // Two independent kinds of evidence and a clear lead are needed for ≥ 0.9; one alone stays a guess.
  // Position (top, size, repetition) and a legal form are never enough for ≥ 0.9: a label naming
  // the supplier or the document's own web/e-mail domain must say so too.
  const checkable = best.evidence.some((e) => e.startsWith('labelled') || e.startsWith('matches the domain'));
  const confidence = Math.min(
    checkable ? 0.95 : POSITIONAL_CAP,
    0.55 + 0.07 * best.score + (best.score - runnerUp >= 2 ? 0.05 : 0),
  );
  return {
    field: { value: best.name, confidence: Math.round(confidence * 100) / 100, source: 'layout' },
    evidence: [`supplier "${best.name}": ${best.evidence.join(', ')}`],
  };
}
