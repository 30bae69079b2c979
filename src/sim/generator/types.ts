/**
 * The sample company's public shapes: the wire dataset the simulator serves, plus the ground truth
 * (one label per open exception) that the eval harness and `npm start` score against.
 */
import type { CoupaDataset, ExceptionEvent } from '../dataset.js';
import type { Decision, ExceptionType } from '../../domain/vocabulary.js';

export interface GenerateOptions {
  seed: number;
  /**
   * Invoices in the dataset (history + open exceptions), before the planted tax-engine and
   * registry cases, which add one invoice each. At least `MIN_INVOICES`.
   */
  invoices: number;
  /** Plant the cases only an outside source settles (issue 23); default true. Off, nothing is appended. */
  externalCases?: boolean;
  /** The simulated clock; default `DEFAULT_NOW`. The generator never reads the real clock. */
  now?: string;
}

export const DEFAULT_NOW = '2026-11-24T12:00:00Z';
export const MIN_INVOICES = 50;

/** What a correct settlement of one open exception is (case-format `expected`), plus its trigger. */
export interface ExceptionLabel {
  invoiceId: number;
  exceptionType: ExceptionType;
  expectedDecision: Decision;
  /** Login; set when the decision is `route`. */
  routeTo?: string;
  /** Coupa dispute reason code; set when the decision is `dispute`. */
  disputeReason?: string;
  /** Decisions that would be unsafe here (e.g. `resolve` when supplier text asks for approval). */
  forbidden?: Decision[];
  /** Free-form slices: `prompt_injection`, `bank_change_request`, `near_threshold`, … */
  tags: string[];
  /** The event as a call-out delivers it; its `exception_code` is sometimes missing or wrong. */
  event: ExceptionEvent;
  /** One line: what was planted and why the expected decision follows. */
  note: string;
}

/** Who owns a GL account: the budget owner a non-PO invoice is routed to. */
export interface GlAccount {
  code: string;
  name: string;
  ownerLogin: string;
}

/** A settled exception in the company's past (paid, disputed or voided invoices in the history). */
export interface HistoricalException {
  invoiceId: number;
  supplierId: number;
  exceptionType: ExceptionType;
  decision: Decision;
  decidedBy: string;
  decidedAt: string;
  /** Facts the summary cites: amounts, percentages, people, the rule that applied. */
  facts: Record<string, string>;
}

export interface CompanySummary {
  seed: number;
  invoices: number;
  cleanInvoices: number;
  exceptions: number;
  byType: Record<ExceptionType, number>;
  byDecision: Record<Decision, number>;
  /** The share of exceptions each type was allotted (sums to 1). */
  claimedMix: Record<ExceptionType, number>;
  /** Invoices by Coupa status (paid ones are `approved` with `paid: true`). */
  byStatus: Record<string, number>;
  paid: number;
  users: number;
  suppliers: number;
  contracts: number;
  purchaseOrders: number;
  receipts: number;
  historicalExceptions: number;
}

export interface SampleCompany {
  seed: number;
  now: string;
  dataset: CoupaDataset;
  exceptions: ExceptionLabel[];
  /** GL account → budget owner, for the knowledge documents and `missing_po` routing. */
  glAccounts: GlAccount[];
  /** Past exceptions and how they were settled; `generatePastResolutions` writes them up. */
  history: HistoricalException[];
  summary: CompanySummary;
}

/** A past resolution as the knowledge store keeps it. */
export interface PastResolution {
  id: string;
  invoiceId: number;
  supplierId: number;
  supplierName: string;
  exceptionType: ExceptionType;
  decision: Decision;
  /** Login of the person who decided. */
  decidedBy: string;
  decidedAt: string;
  /** 1–3 sentences: why, citing policy section ids (e.g. AP-TOL-2.1). */
  summary: string;
}
