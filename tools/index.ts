/**
 * The tool registry: one list that MCP listing, the agent, the README table and the schema
 * snapshots all read. Order is the order a model sees them: read, analysis, write, review.
 */
import type { Decision } from '../src/domain/vocabulary.js';
import { isWriteClass, type ToolDefinition } from '../src/guard/tool.js';
import { addComment } from './add-comment.js';
import { attachSupplierDocument } from './attach-supplier-document.js';
import { analyzeMatch } from './analyze-match.js';
import { checkDuplicates } from './check-duplicates.js';
import { checkSupplierTool } from './check-supplier.js';
import { checkTaxTool } from './check-tax.js';
import { classifyException } from './classify-exception.js';
import { correctTaxRate } from './correct-tax-rate.js';
import { requestSupplierChange } from './request-supplier-change.js';
import { decideProposal } from './decide-proposal.js';
import { extractInvoice } from './extract-invoice.js';
import { disputeInvoice } from './dispute-invoice.js';
import { findSimilarResolutions } from './find-similar-resolutions.js';
import { getContract } from './get-contract.js';
import { getInvoice } from './get-invoice.js';
import { getPurchaseOrder } from './get-purchase-order.js';
import { getSupplier } from './get-supplier.js';
import { grirOpenItems } from './grir-open-items.js';
import { proposeAdjustment } from './propose-adjustment.js';
import { proposeGrirClearing } from './propose-grir-clearing.js';
import { holdInvoice } from './hold-invoice.js';
import { listProposals } from './list-proposals.js';
import { listReceipts } from './list-receipts.js';
import { recordResolution } from './record-resolution.js';
import { requestInformation } from './request-information.js';
import { resolveException } from './resolve-exception.js';
import { routeToApprover } from './route-to-approver.js';
import { searchInvoices } from './search-invoices.js';
import { searchPolicies } from './search-policies.js';

export const TOOLS: readonly ToolDefinition[] = [
  getInvoice,
  getPurchaseOrder,
  listReceipts,
  getSupplier,
  getContract,
  searchInvoices,
  searchPolicies,
  findSimilarResolutions,
  analyzeMatch,
  checkDuplicates,
  checkTaxTool,
  checkSupplierTool,
  classifyException,
  extractInvoice,
  addComment,
  routeToApprover,
  resolveException,
  disputeInvoice,
  holdInvoice,
  requestInformation,
  recordResolution,
  listProposals,
  decideProposal,
  grirOpenItems,
  proposeGrirClearing,
  proposeAdjustment,
  correctTaxRate,
  requestSupplierChange,
];

/** Each decision of the agent's → the write tool that carries it out, as the tools declare it. */
export const DECISION_TOOL: ReadonlyMap<Decision, string> = new Map(
  TOOLS.flatMap((t) => (t.decision ? [[t.decision, t.name] as const] : [])),
);

/** The write tool's name → the decision it carries out (add_comment and the rest settle nothing). */
export const DECISION_OF_TOOL: ReadonlyMap<string, Decision> = new Map(
  [...DECISION_TOOL].map(([decision, tool]) => [tool, decision]),
);

/** The tools that carry out a decision (the agent's primary actions). */
export const DECISION_TOOLS: ReadonlySet<string> = new Set(DECISION_TOOL.values());

/** Every tool that writes, except the review tools a person decides proposals with. */
export const AGENT_WRITE_TOOLS: ReadonlySet<string> = new Set(
  TOOLS.filter((t) => isWriteClass(t.guardClass) && t.guardClass !== 'review').map((t) => t.name),
);

/**
 * Tools only Settle's own system identities call through the guard (audited, idempotent, mode-
 * checked like any write) — held by no role, so never listed to a model or an MCP client.
 */
export const SYSTEM_TOOLS: readonly ToolDefinition[] = [attachSupplierDocument] as unknown as readonly ToolDefinition[];
