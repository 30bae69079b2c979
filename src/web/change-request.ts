/**
 * "Change the action": the form a person submits (decision, target, note) validated with zod and
 * mapped to exactly one write tool call. The guard validates the tool's own schema again.
 */
import { z } from 'zod';
import { Decision } from '../domain/vocabulary.js';
import { DisputeReason } from '../../tools/dispute-invoice.js';
import { formatIssues } from '../issues.js';

const optionalText = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z.string().trim().max(2_000).optional(),
);

export const ChangeRequest = z
  .object({
    invoice_id: z.coerce.number().int().positive(),
    decision: Decision,
    /** Approver login (route), dispute reason code (dispute), or what is missing, one per line or comma (request_info). */
    target: optionalText,
    /** Justification, routing reason, supplier message or dossier — what the chosen tool needs in words. */
    note: z.string().trim().min(20, 'write at least 20 characters explaining the decision').max(2_000),
    proposal_id: optionalText,
    /** A uuid rendered into the form: the idempotency key of this submission. */
    submission: z.uuid(),
  })
  .superRefine((c, ctx) => {
    if (c.decision === 'route' && !c.target)
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'routing needs the approver login' });
    if (c.decision === 'dispute' && !DisputeReason.safeParse(c.target).success) {
      ctx.addIssue({
        code: 'custom',
        path: ['target'],
        message: `a dispute needs a reason code: ${DisputeReason.options.join(', ')}`,
      });
    }
    if (c.decision === 'request_info' && !c.target)
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'say what is missing' });
  });
export type ChangeRequest = z.infer<typeof ChangeRequest>;

/**
 * The write tool and arguments a change request stands for, and its idempotency key: the
 * submission, in the reserved `review:` namespace (passed to the guard as a system key).
 */
export function toolCallFor(c: ChangeRequest): { tool: string; args: Record<string, unknown>; key: string } {
  const base = { invoice_id: c.invoice_id };
  const key = `review:${c.submission}`;
  switch (c.decision) {
    case 'resolve':
      return { tool: 'resolve_exception', args: { ...base, justification: c.note }, key };
    case 'route':
      return { tool: 'route_to_approver', args: { ...base, approver_login: c.target, reason: c.note }, key };
    case 'dispute':
      return { tool: 'dispute_invoice', args: { ...base, reason_code: c.target, supplier_message: c.note }, key };
    case 'hold':
      return { tool: 'hold_invoice', args: { ...base, dossier: c.note }, key };
    case 'request_info':
      return {
        tool: 'request_information',
        args: {
          ...base,
          missing: (c.target ?? '')
            .split(/[\n,]/)
            .map((s) => s.trim())
            .filter(Boolean)
            .slice(0, 10),
          supplier_message: c.note,
        },
        key,
      };
  }
}

/** The one-line reason a change request was refused, for the page. */
export function describeIssues(error: z.ZodError): string {
  return formatIssues(error, { root: 'form' });
}
