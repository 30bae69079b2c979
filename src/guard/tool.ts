/**
 * A tool is data first: name, description written for a model, strict zod schemas, annotations,
 * and a guard class that says how the guard treats it. The handler is attached in the same file
 * but runs only after the guard has said yes. MCP listing, the agent, the README tool table and
 * schema snapshots all read the same registry.
 */
import type { z } from 'zod';
import type { ToolContext } from './context.js';
import type { Scope } from './identity.js';
import type { Decision } from '../domain/vocabulary.js';

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

/** The classes that write to Coupa: they may be sliced by autonomy, proposed, or shadowed. */
export type CoupaWriteClass = 'comment' | 'state';

/**
 * What a tool declares about itself beyond its class. The guard, MCP listing, the agent, the README
 * table and the snapshots read these; nothing else is kept by hand.
 */
interface ToolFacts<I extends z.ZodType> {
  name: string;
  title: string;
  description: string;
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
  checkControls?(input: z.output<I>, ctx: ToolContext): Promise<ControlCheck>;
  /** Invoice the call is about, for proposals and audit (derived from input). */
  invoiceIdOf?(input: z.output<I>): number | undefined;
  /**
   * The text this call would show the supplier, if any: the guard checks it (src/guard/supplier-text.ts)
   * before the call executes or becomes a proposal.
   */
  supplierTextOf?(input: z.output<I>): string | undefined;
}

/**
 * The class, and what may refine its hints. Only a Coupa write carries out a decision of the agent's;
 * only a state change may be declared not destructive; only a read may stay inside Settle's own store.
 */
type ClassFacts =
  | {
      guardClass: 'read';
      /** Reads only Settle's own store (policies, past resolutions), never Coupa. */ ownStoreOnly?: true;
      decision?: never;
      nonDestructive?: never;
    }
  | { guardClass: 'analysis' | 'memory' | 'review'; ownStoreOnly?: never; decision?: never; nonDestructive?: never }
  | {
      guardClass: 'comment';
      /** The agent's decision this write carries out. */ decision?: Decision;
      ownStoreOnly?: never;
      nonDestructive?: never;
    }
  | {
      guardClass: 'state';
      decision?: Decision;
      /** Declared not destructive: the change adds (an approver) or can be set back the same way (a line's tax rate). */
      nonDestructive?: true;
      ownStoreOnly?: never;
    };

/** A tool as written in its file: data, class and handler. `defineTool` derives the rest. */
export type ToolDeclaration<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> = ToolFacts<I> &
  ClassFacts & {
    inputSchema: I;
    outputSchema: O;
    handler(input: z.output<I>, ctx: ToolContext): Promise<ToolResult<z.output<O>>>;
  };

/**
 * A tool in the registry: its declaration plus the MCP hints its class gives it. Methods (not
 * function-typed fields) so a tool of any schema is a `ToolDefinition` without a cast; the guard
 * parses the input with the tool's own schema before any of them runs.
 */
export interface ToolDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> extends ToolFacts<I> {
  guardClass: GuardClass;
  inputSchema: I;
  outputSchema: O;
  annotations: ToolAnnotations;
  decision?: Decision;
  handler(input: z.output<I>, ctx: ToolContext): Promise<ToolResult<z.output<O>>>;
}

/** The MCP hints a class gives: writes are never read-only, and every write is safe to repeat. */
const CLASS_HINTS: Record<GuardClass, ToolAnnotations> = {
  read: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  analysis: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  // Server-side idempotency keys make every write safe to repeat.
  comment: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  state: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  // Settle's own knowledge store, never Coupa.
  memory: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  review: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
};

/** The hints of a declared tool: its class's, refined only by what the class allows it to say. */
export function annotationsOf(
  tool: Pick<ToolDeclaration, 'guardClass' | 'ownStoreOnly' | 'nonDestructive'>,
): ToolAnnotations {
  const hints = { ...CLASS_HINTS[tool.guardClass] };
  if (tool.ownStoreOnly) hints.openWorldHint = false;
  if (tool.nonDestructive) hints.destructiveHint = false;
  return hints;
}

/** Makes a registry entry from a declaration; a malformed declaration fails to compile here. */
export function defineTool<I extends z.ZodType, O extends z.ZodType>(
  tool: ToolDeclaration<I, O>,
): ToolDefinition<I, O> {
  const { ownStoreOnly: _own, nonDestructive: _nonDestructive, ...rest } = tool;
  return { ...rest, annotations: annotationsOf(tool) };
}

export function isWriteClass(guardClass: GuardClass): boolean {
  return guardClass === 'comment' || guardClass === 'state' || guardClass === 'memory' || guardClass === 'review';
}

/** Writes to Coupa itself: the classes autonomy slices, a mode turns into proposals, shadow records. */
export function isCoupaWriteClass(guardClass: GuardClass): guardClass is CoupaWriteClass {
  return guardClass === 'comment' || guardClass === 'state';
}

/** A typed error a tool throws to give the caller a short, actionable message. */
export class ToolError extends Error {
  override name = 'ToolError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
