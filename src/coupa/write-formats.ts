/**
 * The request formats of every write Settle makes, one function each. Where Coupa's documentation
 * does not confirm a format (docs/coupa-compatibility.md marks those rows "unconfirmed"), a
 * tenant's integration engineer corrects it here, in one place; nothing else builds write bodies.
 */
import { toWire } from './wire.js';

type Json = ReturnType<typeof toWire>;

/** A request body (wire JSON) and, for the few actions that take them, query parameters. */
export interface WriteRequest {
  json: Json;
  query?: URLSearchParams;
}

/**
 * `PUT /api/invoices/:id/add_approver`. UNCONFIRMED: Compass lists the action without its
 * parameters; receipt requests take `?approver_id=` (Compass receipt-requests API), so Settle sends
 * the id both as that query parameter and in the body.
 */
export function addApproverRequest(userId: number): WriteRequest {
  return { query: new URLSearchParams({ approver_id: String(userId) }), json: toWire({ approverId: userId }) };
}

/**
 * `PUT /api/invoices/:id/dispute`. Compass documents the XML body `<invoice-header><dispute-reason>
 * <code>…</code></dispute-reason>`; this is its JSON rendering (no root node in JSON). The
 * supplier-facing `comment` beside it is UNCONFIRMED.
 */
export function disputeRequest(reasonCode: string, comment?: string): WriteRequest {
  return { json: toWire({ disputeReason: { code: reasonCode }, ...(comment !== undefined ? { comment } : {}) }) };
}

/** One failed tolerance marked resolved, with the justification Coupa keeps as `resolution-strategy`. */
export interface ToleranceResolution {
  headerIds: readonly number[];
  lines: ReadonlyArray<{ id: number; toleranceIds: readonly number[] }>;
  justification: string;
}

/**
 * `PUT /api/invoices/:id` marking failed tolerances resolved. The `failed-tolerances` element and
 * its writable `resolved` / `resolution-strategy` attributes are in Coupa's R39 Swagger; that the
 * update is nested this way under the header and its lines is UNCONFIRMED.
 */
export function toleranceResolutionRequest(r: ToleranceResolution): WriteRequest {
  const mark = { resolved: true, resolutionStrategy: r.justification };
  return {
    json: toWire({
      failedTolerances: r.headerIds.map((id) => ({ id, ...mark })),
      invoiceLines: r.lines.map((l) => ({ id: l.id, failedTolerances: l.toleranceIds.map((id) => ({ id, ...mark })) })),
    }),
  };
}

/** `POST /api/invoices/:id/comments` (Compass comments API; `to-supplier` per the Swagger Comment). */
export function commentRequest(text: string, toSupplier: boolean): WriteRequest {
  return { json: toWire({ comments: text, toSupplier }) };
}

/** `PUT /api/invoices/:id/abandon`. UNCONFIRMED: third-party tools send `comment`; Compass documents no body. */
export function abandonRequest(comment?: string): WriteRequest {
  return { json: comment ? { comment } : {} };
}

/** Status actions Compass lists without a body (`submit`, `void`, `withdraw_dispute`, `revalidate_tolerances`). */
export function emptyActionRequest(): WriteRequest {
  return { json: {} };
}
