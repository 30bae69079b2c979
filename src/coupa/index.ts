/** The Coupa client's public surface: import from here, not from the individual modules. */
export { createCoupaClient, type CoupaClient, type CoupaClientOptions } from './client.js';
export {
  query,
  CoupaQuery,
  MAX_LIMIT,
  type FieldSpec,
  type Operator,
  type FilterValue,
  type Attribute,
} from './query.js';
export {
  createRateLimiter,
  UNLIMITED,
  COUPA_RATE_LIMIT,
  type RequestLimiter,
  type RateLimitOptions,
} from './limiter.js';
export type { CallEvent, CallStats } from './http.js';
export type { ReceiptFilter, ReadOptions } from './reads.js';
export type { DraftInvoiceInput } from './actions.js';
export type { Attachment } from './attachments.js';
export type { Projection, Row } from './resources.js';
export {
  CoupaError,
  CoupaHttpError,
  CoupaAuthError,
  CoupaNotFoundError,
  CoupaTimeoutError,
  CoupaNetworkError,
  CoupaUnknownOutcomeError,
  CoupaRecordError,
} from './errors.js';
