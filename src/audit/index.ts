/** The audit trail: append-only, hash-chained rows of every tool call. */
export { createAuditLog, AuditListOptions, AUDIT_LOCK_KEY, type AuditLog, type AuditLogOptions } from './audit-log.js';
export { AuditEntry, AuditActorKind, GuardDecision, AuditRowSchema, type AuditRow, type JsonValue } from './entry.js';
export { GENESIS_HASH, hashRow } from './hash.js';
export { verifyChain, readExport, type VerifyResult } from './verify.js';
export { writeJsonLines } from './export.js';
export {
  Checkpoint,
  appendCheckpoint,
  checkpointTap,
  readCheckpoints,
  signCheckpoint,
  type CheckpointReport,
} from './checkpoints.js';
export { createCheckpointer, type Checkpointer, type CheckpointerOptions } from './checkpointer.js';
export { loadOrCreateSigningKey, publicKeyFileOf, readPublicKey, type SigningKey } from './signing-key.js';
