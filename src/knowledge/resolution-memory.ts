/**
 * Resolution memory: each settled exception is written back as a past resolution the next search
 * can find. The agent's verdict is stored when it acts; a person's final decision on the same
 * invoice supersedes it (and any earlier record of that invoice), so search stops offering the
 * overruled reasoning as precedent.
 */
import type { Db } from '../db/connection.js';
import { resolutionDocument, toResolutionRecord } from './resolution-docs.js';
import { ResolutionInput, type Correction, type CorrectionPattern, type Embedder } from './types.js';
import { writeDocuments } from './writer.js';

export const MEMORY_ORIGIN = 'resolution-memory';

/**
 * Flag every non-human resolution whose invoice has a human resolution, for the given invoices
 * (all when omitted). Idempotent; runs after any write that may touch resolutions, because
 * re-ingesting a document rewrites its chunk metadata.
 */
export async function markSuperseded(db: Pick<Db, 'query'>, invoiceIds?: string[]): Promise<void> {
  if (invoiceIds !== undefined && invoiceIds.length === 0) return;
  await db.query(MARK_SUPERSEDED_SQL, [invoiceIds ?? null]);
}

const MARK_SUPERSEDED_SQL = `update knowledge_chunks c set metadata = c.metadata || '{"superseded": true}'::jsonb
     where c.kind = 'resolution'
       and ($1::text[] is null or c.metadata ->> 'invoice_id' = any($1::text[]))
       and coalesce(c.metadata ->> 'source', '') <> 'human'
       and coalesce((c.metadata ->> 'superseded')::boolean, false) = false
       and exists (select 1 from knowledge_chunks h
                   where h.kind = 'resolution' and h.metadata ->> 'source' = 'human'
                     and h.metadata ->> 'invoice_id' = c.metadata ->> 'invoice_id')
     returning c.document_id`;

/**
 * `markSuperseded` for one invoice, answering whether `documentId` is superseded afterwards — in
 * one statement (issue 16): flagged by this update, or already flagged before it.
 */
async function markSupersededOf(db: Pick<Db, 'query'>, invoiceId: string, documentId: string): Promise<boolean> {
  const { rows } = await db.query<{ superseded: boolean }>(
    `with marked as (${MARK_SUPERSEDED_SQL})
     select exists (select 1 from marked where document_id = $2)
         or exists (select 1 from knowledge_chunks where document_id = $2
                    and coalesce((metadata ->> 'superseded')::boolean, false)) as superseded`,
    [[invoiceId], documentId],
  );
  return rows[0]?.superseded ?? false;
}

/** The newest live correction of the agent on this pattern (metadata only: no search, no model). */
export async function findCorrection(db: Pick<Db, 'query'>, p: CorrectionPattern): Promise<Correction | undefined> {
  const { rows } = await db.query<{ m: Record<string, string> }>(
    `select metadata as m from knowledge_chunks
     where kind = 'resolution' and metadata ->> 'source' = 'human' and metadata ->> 'correction_of' = $1
       and metadata ->> 'exception_type' = $2 and metadata ->> 'supplier_id' = $3
       and coalesce((metadata ->> 'superseded')::boolean, false) = false
     order by metadata ->> 'decided_at' desc limit 1`,
    [p.agentDecision, p.exceptionType, String(p.supplierId)],
  );
  const m = rows[0]?.m;
  if (!m) return undefined;
  return { invoiceId: Number(m.invoice_id), decision: m.decision ?? '', routeTo: m.route_to ?? null, disputeReason: m.dispute_reason ?? null, decidedBy: m.decided_by ?? '', decidedAt: m.decided_at ?? '' };
}

/** Store one settled exception. Returns its document id and whether a human decision already overrules it. */
export async function recordResolution(
  db: Db,
  embedder: Embedder,
  input: ResolutionInput,
  clock: () => Date = () => new Date(),
): Promise<{ documentId: string; superseded: boolean }> {
  const r = ResolutionInput.parse(input);
  // One record per invoice and source: the agent re-settling an invoice replaces its own entry.
  const documentId = `resolution/invoice-${r.invoiceId}/${r.source}`;
  const correction = r.correction
    ? { correction_of: r.correction.agentDecision, ...(r.correction.routeTo ? { route_to: r.correction.routeTo } : {}), ...(r.correction.disputeReason ? { dispute_reason: r.correction.disputeReason } : {}) }
    : {};
  const doc = resolutionDocument(toResolutionRecord({ ...r, id: documentId, decidedAt: r.decidedAt ?? clock().toISOString() }), MEMORY_ORIGIN, r.source, correction);
  await writeDocuments(db, embedder, [doc]);
  return { documentId, superseded: await markSupersededOf(db, String(r.invoiceId), documentId) };
}
