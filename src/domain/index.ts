/**
 * Settle's deterministic AP checks (pure: no I/O, the clock is an argument). Start with
 * `assessInvoice`; the pieces are exported for tools that show one check at a time.
 */
export { assessInvoice, type Assessment } from './assess.js';
export { checkUnplannedCharges } from './charges.js';
export { collectFindings, exceptionTypeOf, GATE_ONLY_KINDS } from './classify.js';
export { invoiceCurrency, resolveLines, supplierTexts, type InvoiceContext, type ResolvedLine } from './context.js';
export {
  ControlsOverrides,
  ControlsSchema,
  DEFAULT_CONTROLS,
  Mode,
  resolveControls,
  type Controls,
} from './controls.js';
export {
  budgetOwner,
  decide,
  poRequester,
  type DecideInput,
  type DecisionOutcome,
  type DisputeReason,
} from './decide.js';
export {
  AMOUNT_BAND_PCT,
  DUPLICATE_THRESHOLD,
  POSSIBLE_DUPLICATE,
  duplicateFindings,
  findDuplicateCandidates,
  scoreDuplicate,
  type DuplicateCandidate,
  type DuplicateScore,
} from './duplicates.js';
export {
  EXCEPTION_TYPE_OF,
  FINDING_KINDS,
  finding,
  riskRank,
  sortByRisk,
  type Finding,
  type FindingKind,
} from './findings.js';
export { readHint, type HintReading } from './hint.js';
export { compareInvoiceNumbers, normaliseInvoiceNumber, type NumberMatch } from './invoice-number.js';
export { matchInvoice, matchLevelOf, type MatchLevel } from './match.js';
export {
  CurrencyMismatchError,
  Dec,
  Money,
  MoneyParseError,
  decimalOr,
  formatPct,
  formatQty,
  minorUnits,
  parseDecimal,
} from './money.js';
export { consumesPo, invoicedOn, receivedOn } from './po-usage.js';
export { checkReadProblems, isMaterial, readProblemsOf } from './read-problems.js';
export { checkRequiredData } from './required-data.js';
export { checkSupplier } from './supplier.js';
export { checkRegistries, maskIban, registryFactsOf, type RegistryFacts } from './registry-check.js';
export type { BankRegistryAnswer, RegistryEvidence, TinAnswer, VatRegistryAnswer } from './registry-evidence.js';
export {
  SUPPLIER_NAME_SIMILARITY,
  companyNameSimilarity,
  linkSuppliers,
  normaliseCompanyName,
  normaliseTaxId,
  supplierFacts,
  type SupplierFacts,
  type SupplierLink,
} from './supplier-identity.js';
export { EU_VAT_RATES, checkTax, checkVatId, isEuVatInvoice } from './tax.js';
export {
  checkTaxAgainstEngine,
  describeJurisdictions,
  describeSource,
  shipFromOf,
  shipToOf,
  taxQuoteRequestOf,
} from './tax-engine-check.js';
export type {
  TaxAddress,
  TaxEngineFailure,
  TaxEvidence,
  TaxJurisdiction,
  TaxQuote,
  TaxQuoteLine,
  TaxQuoteRequest,
} from './tax-quote.js';
export {
  BANK_CHANGE_PATTERNS,
  INSTRUCTION_PATTERNS,
  findAccountMentions,
  findBankChangeLanguage,
  findInstructions,
  isValidIban,
  maskAccount,
} from './text-signals.js';
export {
  checkAmountLimit,
  checkSupplierAge,
  checkTolerance,
  invoiceTotal,
  type ControlApplied,
  type ToleranceVerdict,
} from './tolerance.js';
export { Decision, ExceptionType } from './vocabulary.js';
