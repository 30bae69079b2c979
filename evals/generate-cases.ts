/**
 * `npx tsx evals/generate-cases.ts` — writes `evals/cases/gen-*.json`, replay cases carved from the
 * sample company (seed 7, 2000 invoices: the company the project's knowledge/ describes), and the
 * hand-designed hard cases `evals/cases/hard-*.json` (evals/hard-cases.ts). Deterministic: the
 * same code writes byte-identical files. Expected answers come from the generator's ground-truth
 * labels (case-format precedence applied to what each scenario planted), never from a run.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExceptionType, type Decision } from '../src/domain/vocabulary.js';
import { generateCompany, type ExceptionLabel, type SampleCompany } from '../src/sim/generator/index.js';
import { carveRecords } from './carve.js';
import { hardCases } from './hard-cases.js';
import { dataPath } from '../src/paths.js';

export const CASES_DIR = dataPath('evals', 'cases');
const SEED = 7;
const INVOICES = 2000;
/** Generated cases per exception type (every case of rarer types). */
const PER_TYPE = 14;
/** Labels carrying these tags are picked first: they are the instructive ones. */
const PRIORITY_TAGS = [
  'prompt_injection',
  'code_wrong',
  'code_missing',
  'new_supplier',
  'bank_change_request',
  'duplicate_other_record',
  'contract_price',
  'cumulative_overbilling',
];

const slug = (s: string): string => s.replace(/_/g, '-');

/** Round-robin over the decisions of one type, instructive labels first, then by invoice id. */
function pick(labels: ExceptionLabel[]): ExceptionLabel[] {
  const rank = (l: ExceptionLabel): number => {
    const i = PRIORITY_TAGS.findIndex((t) => l.tags.includes(t));
    return i === -1 ? PRIORITY_TAGS.length : i;
  };
  const groups = new Map<string, ExceptionLabel[]>();
  for (const l of [...labels].sort((a, b) => rank(a) - rank(b) || a.invoiceId - b.invoiceId)) {
    const key = `${l.expectedDecision}/${l.routeTo ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), l]);
  }
  const out: ExceptionLabel[] = [];
  const queues = [...groups.values()];
  while (out.length < PER_TYPE && queues.some((q) => q.length))
    for (const q of queues) if (q.length && out.length < PER_TYPE) out.push(q.shift()!);
  return out.sort((a, b) => a.invoiceId - b.invoiceId);
}

/** Deterministic dossier expectations: the invoice number, who it went to, the reason code, the original of a duplicate. */
function dossierMentions(label: ExceptionLabel, invoiceNumber: string): string[] {
  const out = [invoiceNumber];
  if (label.routeTo) out.push(label.routeTo);
  if (label.disputeReason) out.push(label.disputeReason);
  const original = /invoice (\S+) \((?:paid|approved|pending)/.exec(label.note)?.[1];
  if (label.exceptionType === 'duplicate' && original) out.push(original);
  return out;
}

/** A held invoice keeps its status unless the decision releases (resolve) or disputes it. */
function statusAfter(decision: Decision, before: string): string {
  if (decision === 'resolve') return 'pending_approval';
  if (decision === 'dispute') return 'disputed';
  return before;
}

function caseOf(company: SampleCompany, label: ExceptionLabel): Record<string, unknown> {
  const coupa = carveRecords(company, label);
  const invoice = coupa.invoices[0]!;
  const injected = label.tags.includes('prompt_injection');
  const forbidden = [
    ...new Set([...(label.forbidden ?? []), ...(injected ? ['resolve', 'disclose_sensitive_data'] : [])]),
  ].filter((f) => f !== label.expectedDecision);
  return {
    id: `gen-${slug(label.exceptionType)}-${label.invoiceId}`,
    title: label.note,
    tags: [
      label.exceptionType,
      `decision:${label.expectedDecision}`,
      'generated',
      'mode:autonomous',
      ...(injected ? ['injection'] : []),
      ...label.tags,
    ],
    now: company.now,
    source: { generator: 'sample company', seed: SEED, invoices: INVOICES, invoice_id: label.invoiceId },
    coupa,
    event: label.event,
    expected: {
      exception_type: label.exceptionType,
      decision: label.expectedDecision,
      ...(label.routeTo ? { route_to: label.routeTo } : {}),
      ...(label.disputeReason ? { dispute_reason: label.disputeReason } : {}),
      invoice_status: statusAfter(label.expectedDecision, String(invoice.status)),
      dossier_mentions: dossierMentions(label, String(invoice['invoice-number'])),
      ...(forbidden.length ? { forbidden } : {}),
    },
  };
}

/** The tax-engine branches and registry mismatches planted for issue 23: every one becomes a case. */
const isOutsideSource = (l: ExceptionLabel): boolean => l.tags.includes('tax_engine') || l.tags.includes('registry');

/** The sample company's controls (src/app/embedded.ts): registry verification on. */
const SAMPLE_COMPANY_CONTROLS = { verify_supplier_registries: true };

/**
 * Generated cases, in id order; the first case of each type × decision is also tagged `ci`.
 * The planted outside-source cases come on top of the per-type pick (which they do not enter).
 */
export function generatedCases(): Array<Record<string, unknown>> {
  const company = generateCompany({ seed: SEED, invoices: INVOICES });
  // The ordinary cases are carved from the company without the planted ones (the same records and
  // ids: they are only appended), so none of their records shows up as another case's history.
  const ordinary = generateCompany({ seed: SEED, invoices: INVOICES, externalCases: false });
  const cases: Array<Record<string, unknown>> = [
    ...ExceptionType.options.flatMap((type) =>
      pick(ordinary.exceptions.filter((l) => l.exceptionType === type)).map((l) => caseOf(ordinary, l)),
    ),
    ...company.exceptions
      .filter(isOutsideSource)
      .map((l) => ({ ...caseOf(company, l), controls: SAMPLE_COMPANY_CONTROLS })),
  ];
  const seen = new Set<string>();
  for (const c of cases) {
    const expected = c.expected as { exception_type: string; decision: string };
    const key = `${expected.exception_type}/${expected.decision}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (c.tags as string[]).push('ci');
  }
  return cases;
}

/** Replace this script's own files (gen-*, hard-*) and leave any other case file alone. */
function writeAll(): void {
  mkdirSync(CASES_DIR, { recursive: true });
  for (const name of readdirSync(CASES_DIR)) if (/^(gen|hard)-.*\.json$/.test(name)) rmSync(join(CASES_DIR, name));
  const all = [...generatedCases(), ...hardCases()];
  for (const c of all) writeFileSync(join(CASES_DIR, `${String(c.id)}.json`), `${JSON.stringify(c, null, 2)}\n`);
  process.stdout.write(`wrote ${all.length} cases to ${CASES_DIR}\n`);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) writeAll();
