/**
 * Everything the exception page shows about one invoice: the records side by side (read fresh from
 * Coupa), the deterministic assessment, the agent's latest verdict, the proposals, the cited policy
 * clauses from the knowledge store, the audit trail, and what people already decided.
 */
import type { Runtime } from '../app/runtime.js';
import type { AuditRow } from '../audit/index.js';
import { assessInvoice, type Assessment, type InvoiceContext } from '../domain/index.js';
import type { Identity } from '../guard/identity.js';
import type { Proposal } from '../guard/proposals.js';
import { loadInvoiceContext } from '../../tools/shared/invoice-context.js';
import { latestSettlementOf, reviewDecisionsOf, type ReviewDecision, type SettlementRow } from './review-store.js';

export interface PolicyClause {
  document: string;
  sectionId: string;
  title: string;
  /** The clause text, or null when the knowledge store no longer has it. */
  text: string | null;
}

export interface ExceptionView {
  invoiceId: number;
  context: InvoiceContext | null;
  assessment: Assessment | null;
  /** Why the assessment could not run (records unreadable), if so. */
  assessmentError?: string;
  settlement: SettlementRow | undefined;
  proposals: Proposal[];
  clauses: PolicyClause[];
  /** Null when the identity may not read the audit trail. */
  audit: AuditRow[] | null;
  decisions: Array<Omit<ReviewDecision, 'waitingSince'>>;
}

/** The clause text of each cited section, from the knowledge store's chunks (parts joined in order). */
async function clausesOf(
  runtime: Runtime,
  citations: ReadonlyArray<{ document: string; section_id: string; title?: string | undefined }>,
): Promise<PolicyClause[]> {
  return Promise.all(
    citations.map(async (c) => {
      const { rows } = await runtime.db.query<{ text: string; title: string; document_id: string }>(
        `select text, title, document_id from knowledge_chunks where section_id = $1 and kind = 'policy' order by document_id, chunk_key`,
        [c.section_id],
      );
      // Prefer the cited document; a section id is unique across the policy pack in practice.
      const cited = rows.filter((r) => r.document_id === c.document);
      const parts = cited.length > 0 ? cited : rows;
      return {
        document: c.document,
        sectionId: c.section_id,
        title: c.title ?? parts[0]?.title ?? c.section_id,
        text: parts.length > 0 ? dedupeParts(parts.map((r) => r.text)) : null,
      };
    }),
  );
}

/** Sub-chunks overlap; keep each distinct part once. */
function dedupeParts(parts: string[]): string {
  return [...new Set(parts)].join('\n\n');
}

/** Load the exception page's data as `identity` sees it. */
export async function loadException(runtime: Runtime, identity: Identity, invoiceId: number): Promise<ExceptionView> {
  const ctx = await runtime.contextFor(identity);
  const [context, settlement, proposals, decisions] = await Promise.all([
    loadInvoiceContext(ctx, invoiceId, { fresh: true }),
    latestSettlementOf(runtime.db, invoiceId),
    runtime.proposals.list({ invoiceId, limit: 50 }),
    reviewDecisionsOf(runtime.db, invoiceId),
  ]);
  let assessment: Assessment | null = null;
  let assessmentError: string | undefined;
  if (context) {
    try {
      assessment = assessInvoice(context, ctx.controls, ctx.now());
    } catch (error) {
      assessmentError = (error as Error).message;
    }
  }
  const clauses = await clausesOf(runtime, settlement?.verdict.policy_citations ?? []);
  const audit = identity.scopes.has('audit:read') ? await runtime.audit.list({ invoiceId, limit: 200 }) : null;
  return {
    invoiceId,
    context,
    assessment,
    ...(assessmentError ? { assessmentError } : {}),
    settlement,
    proposals,
    clauses,
    audit,
    decisions,
  };
}
