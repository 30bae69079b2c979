/**
 * The verdict: what Settle decided about one exception and why — stored, shown to people, and
 * scored by the eval harness. It is assembled from the tool-call trace (what the guard actually
 * did), never from the brain's own account of what it did.
 */
import { z } from 'zod';
import { Decision, ExceptionType } from '../domain/vocabulary.js';

export const Outcome = z.enum(['executed', 'proposed', 'shadow', 'not_actionable', 'failed']);
export type Outcome = z.infer<typeof Outcome>;

export const EvidenceItem = z.object({ source: z.string(), detail: z.string() });
export const PolicyCitation = z.object({ document: z.string(), section_id: z.string(), title: z.string().optional() });
export const ActionTaken = z.object({
  tool: z.string(),
  outcome: z.enum(['executed', 'replayed', 'proposed', 'shadow', 'denied', 'error']),
  detail: z.string(),
});

export const Verdict = z.object({
  invoice_id: z.number().int(),
  invoice_number: z.string().nullable(),
  supplier: z.object({ id: z.number().nullable(), name: z.string().nullable() }),
  exception_type: ExceptionType,
  decision: Decision,
  /** Whether the decision's Coupa effect happened (`executed`), waits for a person (`proposed`) or was only recorded (`shadow`). */
  outcome: Outcome,
  executed: z.boolean(),
  route_to: z.string().nullable(),
  dispute_reason: z.string().nullable(),
  root_cause: z.string(),
  rule: z.string().nullable(),
  evidence: z.array(EvidenceItem),
  policy_citations: z.array(PolicyCitation),
  suggested_coding: z.object({ account: z.string(), owner: z.string().nullable(), basis: z.string() }).nullable(),
  flags: z.array(z.string()),
  actions: z.array(ActionTaken),
  proposal_ids: z.array(z.string()),
  /** Probability the decision is right: calibrated on labelled outcomes when a calibration is in force, else the raw score. */
  confidence: z.number().min(0).max(1),
  /** The agent's raw confidence score (a heuristic per decision rule), when `confidence` was calibrated. */
  confidence_raw: z.number().min(0).max(1).optional(),
  /** The calibration that turned the raw score into `confidence`. */
  calibration: z.string().optional(),
  brain: z.enum(['planner', 'llm']),
  model: z.string().nullable(),
  fell_back: z.boolean(),
  tool_calls: z.number().int(),
  coupa_calls: z.number().int(),
  tokens: z.number().int(),
  /** Model input (prompt) and output (completion) tokens: with SETTLE_MODEL_PRICE_IN/OUT, the model cost. */
  tokens_in: z.number().int().optional(),
  tokens_out: z.number().int().optional(),
  duration_ms: z.number().int(),
  mode: z.string(),
  settled_at: z.string(),
  /** Invoice gross total (decimal text) and currency the decision was taken on. */
  invoice_total: z.string().nullable().optional(),
  currency: z.string().nullable().optional(),
  /** The autonomy rule that gave the primary action its mode, when one did. */
  autonomy_rule: z.string().nullable().optional(),
  /** Fingerprint of the facts decided on: a re-run with the same facts has nothing new to do. */
  facts: z.string().nullable(),
});
export type Verdict = z.infer<typeof Verdict>;
