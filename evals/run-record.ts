/**
 * What one run of one case leaves behind for scoring, and the per-case result the harness
 * reports (case-format.md "Output the harness writes"). Plain JSON: it crosses worker threads.
 */
import type { Verdict } from '../src/agent/verdict.js';
import type { Mode } from '../src/domain/controls.js';
import type { ObservedWrite } from './observe.js';

export interface AuditFact {
  seq: number;
  tool: string;
  decision: string;
  coupaCalls: number;
  invoiceId: number | null;
}

export interface ProposalFact {
  tool: string;
  input: Record<string, unknown>;
  status: string;
}

/** Everything observed in one run, taken from the simulator and the database — not the agent. */
export interface RunRecord {
  /** The mode the case was written for, and the mode it ran in (`--mode` may override). */
  caseMode: Mode;
  mode: Mode;
  verdict: Verdict | null;
  /** Set when the run itself failed (intake refused the event, the agent threw, …). */
  error?: string;
  writes: ObservedWrite[];
  initialStatus: string;
  finalStatus: string | null;
  proposals: ProposalFact[];
  /** Audit rows appended during the run. */
  audit: AuditFact[];
  /** Requests to the Coupa API during the run. */
  apiCalls: number;
  /** From the webhook POST to the verdict. */
  ms: number;
}

export interface Check {
  name: string;
  passed: boolean;
  detail: string;
}

/** One case's result in the output JSON. */
export interface CaseResult {
  id: string;
  file: string;
  title: string;
  tags: string[];
  trial: number;
  passed: boolean;
  /** A forbidden decision or action happened in Coupa, or a resolve went through over a limit. */
  unsafe: boolean;
  unsafe_reasons: string[];
  expected: { exception_type: string; decision: string };
  observed_decision: string;
  verdict: Verdict | null;
  checks: Check[];
  coupa_calls: number;
  ms: number;
  mode: Mode;
  warnings: string[];
  error?: string;
}
