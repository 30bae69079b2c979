/**
 * The replay case file (docs/case-format.md, generated in part from this schema), as a zod schema. Unknown top-level keys are
 * ignored (forward compatible); everything the harness scores or relies on is validated, so a
 * case that cannot be scored honestly is rejected with a message that names the field.
 */
import { z } from 'zod';
import { ControlsSchema } from '../src/domain/controls.js';
import { Decision, ExceptionType } from '../src/domain/vocabulary.js';
import { CoupaDatasetSchema, ExceptionEventSchema, WireId } from '../src/sim/dataset.js';
import { formatIssues } from '../src/issues.js';

/**
 * Actions a case may forbid besides the five decisions, each observed in the simulator's call log
 * (see evals/README.md): `add_approver:LOGIN` forbids adding that login as an approver.
 */
export const FORBIDDEN_ACTIONS = [
  'add_approver',
  'add_comment_to_supplier',
  'change_bank_details',
  'disclose_sensitive_data',
  'void',
  'abandon',
  'submit',
  'withdraw_dispute',
  'create_invoice',
  'approve',
  'act_on_other_record',
] as const;
export type ForbiddenAction = (typeof FORBIDDEN_ACTIONS)[number];

const ACTION_SET: ReadonlySet<string> = new Set<string>([...Decision.options, ...FORBIDDEN_ACTIONS]);

export const ForbiddenItem = z.string().refine((v) => ACTION_SET.has(v) || /^add_approver:[^\s:]+$/.test(v), {
  message: `unknown forbidden item; use a decision (${Decision.options.join(', ')}), one of ${FORBIDDEN_ACTIONS.join(', ')}, or add_approver:LOGIN`,
});

export const CaseDocument = z.looseObject({
  id: z.string().min(1).max(200).describe('unique within the case'),
  title: z.string().min(1).max(500),
  text: z.string().min(1).describe('Markdown'),
});
export type CaseDocument = z.infer<typeof CaseDocument>;

/** A past resolution; the format writes `invoice-id`, `invoice_id` is accepted too. */
export const CaseResolution = z
  .looseObject({
    'invoice-id': WireId.pipe(z.number().positive()).optional(),
    invoice_id: WireId.pipe(z.number().positive()).optional(),
    'supplier-id': WireId.pipe(z.number().positive()).optional(),
    'supplier-name': z.string().min(1).optional(),
    exception_type: ExceptionType,
    decision: Decision,
    summary: z.string().min(1).max(4000),
    'decided-by': z.string().min(1).optional(),
    'decided-at': z.string().min(1).optional(),
  })
  .refine((r) => r['invoice-id'] !== undefined || r.invoice_id !== undefined, {
    message: 'a resolution needs "invoice-id"',
  });
export type CaseResolution = z.infer<typeof CaseResolution>;

export const Expected = z
  .looseObject({
    exception_type: ExceptionType.describe('the root cause Settle must name'),
    decision: Decision.describe('what Settle must do in Coupa'),
    route_to: z.string().min(1).optional().describe('Coupa login; required when decision is "route"'),
    dispute_reason: z.string().min(1).optional().describe('Coupa dispute reason code'),
    invoice_status: z.string().min(1).optional().describe('invoice status in the simulator after the run'),
    dossier_mentions: z
      .array(z.string().min(1))
      .optional()
      .describe('substrings (case-insensitive) the internal dossier comment must contain'),
    forbidden: z
      .array(ForbiddenItem)
      .optional()
      .describe('decisions or actions that must not happen (safety); never the expected decision itself'),
  })
  .refine((e) => e.decision !== 'route' || e.route_to !== undefined, {
    message: 'route_to is required when decision is "route"',
    path: ['route_to'],
  });
export type Expected = z.infer<typeof Expected>;

export const ReplayCase = z
  .looseObject({
    id: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'id must match [a-z0-9-]+')
      .max(120)
      .describe('unique case id, [a-z0-9-]+'),
    title: z.string().min(1).max(500).describe('one line saying what the case is about'),
    tags: z
      .array(z.string().min(1))
      .default([])
      .describe('free-form labels, used to slice reports and with `settle eval --filter`'),
    now: z.iso
      .datetime({ offset: true })
      .describe('the simulated clock (supplier age, due dates, duplicate windows), ISO 8601 with offset'),
    controls: ControlsSchema.partial()
      .optional()
      .describe('overrides of the default controls for this case (docs/controls.md)'),
    coupa: CoupaDatasetSchema.describe(
      'the Coupa records as the Coupa API returns them: hyphenated keys, money as strings',
    ),
    knowledge: z
      .looseObject({ documents: z.array(CaseDocument).default([]), resolutions: z.array(CaseResolution).default([]) })
      .optional()
      .describe('extra knowledge for this case only: documents and past resolutions'),
    event: ExceptionEventSchema.describe('the trigger, as the webhook receiver gets it; resource_id is the invoice id'),
    expected: Expected.describe('what a correct settlement is'),
  })
  .superRefine((c, ctx) => {
    if (!c.coupa.invoices.some((i) => i.id === c.event.resource_id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['event', 'resource_id'],
        message: `invoice ${c.event.resource_id} is not in coupa.invoices`,
      });
    }
    const docIds = (c.knowledge?.documents ?? []).map((d) => d.id);
    const dupe = docIds.find((id, i) => docIds.indexOf(id) !== i);
    if (dupe)
      ctx.addIssue({
        code: 'custom',
        path: ['knowledge', 'documents'],
        message: `document id "${dupe}" appears twice`,
      });
  });
export type ReplayCase = z.infer<typeof ReplayCase>;

/** Keys the format defines inside `expected`; others are reported as warnings (a typo must not pass silently). */
const EXPECTED_KEYS = new Set([
  'exception_type',
  'decision',
  'route_to',
  'dispute_reason',
  'invoice_status',
  'dossier_mentions',
  'forbidden',
]);

/** Non-fatal remarks about a valid case: unknown keys inside `expected`, a decision it also forbids. */
export function caseWarnings(raw: unknown): string[] {
  const expected = (raw as { expected?: unknown } | null)?.expected;
  if (!expected || typeof expected !== 'object') return [];
  const e = expected as { decision?: unknown; forbidden?: unknown };
  const warnings = Object.keys(expected)
    .filter((k) => !EXPECTED_KEYS.has(k))
    .map((k) => `expected.${k} is not part of the case format and is ignored`);
  if (Array.isArray(e.forbidden) && e.forbidden.includes(e.decision))
    warnings.push(`expected.decision "${String(e.decision)}" is also forbidden: the case cannot pass`);
  return warnings;
}

/** One line per issue: `expected.route_to: route_to is required when decision is "route"`. */
export function describeIssues(error: z.ZodError): string {
  return formatIssues(error, { root: '(file)', limit: 6 });
}
