/**
 * What a tool handler may use. Fixed by the deployment (or the eval case), never supplied by the
 * model: the acting identity, the controls, the clock, Settle's own Coupa credentials.
 */
import type { Controls, Mode } from '../domain/controls.js';
import type { RegistryFacts } from '../domain/registry-check.js';
import type { RegistryEvidence } from '../domain/registry-evidence.js';
import type { TaxEvidence, TaxQuoteRequest } from '../domain/tax-quote.js';
import type { KnowledgeStore } from '../knowledge/index.js';
import type { RecordSource } from '../coupa/record-source.js';
import type { Identity } from './identity.js';
import type { ProposalStore } from './proposals.js';
import type { SupplierRequests } from '../requests/service.js';
import type { Db } from '../db/connection.js';

/** What the deployment gives every tool call; the guard adds the caller, the mode and `decideProposal`. */
export interface ToolServices {
  /** The controls in force; the guard sets their `mode` to the current one for each call. */
  controls: Controls;
  /** The clock (the simulated one in evals): supplier age, duplicate windows. */
  now(): Date;
  records: RecordSource;
  /** Coupa logins Settle itself writes as: its own dossier comments are not supplier text. */
  ownLogins: ReadonlySet<string>;
  knowledge: KnowledgeStore;
  proposals: ProposalStore;
  /** GL account code → budget-owner login, from the coding guide in the knowledge store. */
  glOwners(): Promise<ReadonlyMap<string, string>>;
  /** The GR/IR book's store and the tenant it belongs to (absent where no book is kept). */
  grir?: { db: Db; source: string };
  /**
   * Asks the configured tax engine (src/tax/) for a quote; a failure comes back as evidence, never
   * thrown. Absent: no engine is consulted and the tax check uses the invoice's own rate.
   */
  taxEvidence?: (request: TaxQuoteRequest) => Promise<TaxEvidence>;
  /** Asks the registries (src/registry/) about the supplier's identifiers; used when `verify_supplier_registries` is on. */
  verifySupplier?: (facts: RegistryFacts) => Promise<RegistryEvidence>;
  /** Pending supplier requests and outbound mail (absent: the Coupa comment only, as before). */
  supplierRequests?: SupplierRequests | undefined;
}

export interface ToolContext extends ToolServices {
  identity: Identity;
  mode: Mode;
  /** Approve or reject a proposal as this identity (the guard executes it exactly once). */
  decideProposal(
    proposalId: string,
    decision: 'approve' | 'reject',
    reason: string,
  ): Promise<{ isError: boolean; text: string }>;
}

export type ContextFactory = (identity: Identity) => Promise<ToolContext>;
