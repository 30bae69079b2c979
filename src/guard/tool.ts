/**
 * A tool is data first: name, description written for a model, strict zod schemas, annotations,
 * and a guard class that says how the guard treats it. The handler is attached in the same file
 * but runs only after the guard has said yes. MCP listing, the agent, the README tool table and
 * schema snapshots all read the same registry.
 */
import type { z } from 'zod';
import type { ToolContext } from './context.js';
import type { Scope } from './identity.js';

/**
 * How the guard treats a tool:
 * - `read`: reads Coupa or the knowledge store; any mode.
 * - `analysis`: pure computation over records it reads; any mode.
 * - `comment`: writes a comment only (internal dossier, or a to-supplier message); executes in
 *   `assisted` and `autonomous`, becomes a proposal in `monitor`.
 * - `state`: changes the invoice's state in Coupa (resolve, route, dispute); executes only in
 *   `autonomous` and only within controls; a proposal otherwise.
 * - `memory`: writes Settle's own knowledge store, never Coupa; any mode.
 * - `review`: decides proposals; needs the approver scope.
 */
export type GuardClass = 'read' | 'analysis' | 'comment' | 'state' | 'memory' | 'review';

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** Outcome of a tool's own control check (re-derived from Coupa, never from the caller). */
export type ControlCheck =
  | { ok: true; evidence?: string[] }
  | { ok: false; control: string; reason: string; instead: string; evidence?: string[] };

export interface ToolResult<O> {
  /** Structured content, validated against the output schema. */
  data: O;
  /** A short human/model-readable line or two. */
  text: string;
  /** Coupa invoice id the call concerned, for the audit trail and proposals. */
  invoiceId?: number;
}

export interface ToolDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  description: string;
  inputSchema: I;
  outputSchema: O;
  annotations: ToolAnnotations;
  guardClass: GuardClass;
  /**
   * The scope a caller needs, when it differs from the class default (e.g. `list_proposals` is a
   * read — no idempotency key, no proposal — that only approvers may run).
   */
  requiredScope?: Scope;
  /**
   * A person always decides (supplier master change requests): in every mode the call becomes a
   * proposal, executed only as a person's approval.
   */
  alwaysPropose?: boolean;
  /** Optional control check for writes; runs after scope and mode checks, before execution. */
  checkControls?: (input: z.output<I>, ctx: ToolContext) => Promise<ControlCheck>;
  /** Invoice the call is about, for proposals and audit (derived from input). */
  invoiceIdOf?: (input: z.output<I>) => number | undefined;
  /**
   * The text this call would show the supplier, if any: the guard checks it (src/guard/supplier-text.ts)
   * before the call executes or becomes a proposal.
   */
  supplierTextOf?: (input: z.output<I>) => string | undefined;
  handler: (input: z.output<I>, ctx: ToolContext) => Promise<ToolResult<z.output<O>>>;
}

/** Identity function that keeps the generic types of a tool definition. */
export function defineTool<I extends z.ZodType, O extends z.ZodType>(tool: ToolDefinition<I, O>): ToolDefinition<I, O> {
  return tool;
}

export const READ_ANNOTATIONS: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};

export const WRITE_ANNOTATIONS: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: true, // server-side idempotency keys make every write safe to repeat
  openWorldHint: true,
};

export function isWriteClass(guardClass: GuardClass): boolean {
  return guardClass === 'comment' || guardClass === 'state' || guardClass === 'memory' || guardClass === 'review';
}

/** A typed error a tool throws to give the caller a short, actionable message. */
export class ToolError extends Error {
  override name = 'ToolError';
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}
