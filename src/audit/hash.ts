/**
 * The chain's hash: SHA-256 (hex) over the RFC 8785 canonical JSON of every row field except
 * `hash` itself, `prevHash` included. An auditor can recompute it from an exported line with any
 * JCS implementation: drop `hash`, canonicalize, SHA-256.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AuditRow } from './entry.js';

/** The `prevHash` of row #1. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields the hash covers: the whole row but its own hash. */
export type HashedFields = Omit<AuditRow, 'hash'>;

/** SHA-256 hex of the canonical JSON of a row (its `hash` field, if present, is ignored). */
export function hashRow(row: HashedFields | AuditRow): string {
  const {
    seq,
    at,
    actor,
    actorKind,
    tool,
    input,
    decision,
    reason,
    coupaCalls,
    resultSummary,
    idempotencyKey,
    invoiceId,
    prevHash,
  } = row;
  // Listed explicitly so a field added to the row later cannot slip into (or out of) old hashes.
  const fields: HashedFields = {
    seq,
    at,
    actor,
    actorKind,
    tool,
    input,
    decision,
    reason,
    coupaCalls,
    resultSummary,
    idempotencyKey,
    invoiceId,
    prevHash,
  };
  const canonical = canonicalize(fields);
  if (canonical === undefined) throw new Error('audit row has no JSON form');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
