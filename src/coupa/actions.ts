/**
 * The write half of the client: comments, approvers, disputes, tolerance resolution and the
 * invoice status actions. Every write goes through `writeReconciled`, each with the re-read that
 * proves whether a write of unknown outcome applied, so nothing is ever done twice.
 */
import { z } from 'zod';
import { collectAttachments, postAttachment, type Attachment } from './attachments.js';
import type { Transport } from './http.js';
import { query } from './query.js';
import { idSegment, type CoupaReads } from './reads.js';
import { resendIsHarmless, writeReconciled, type OutcomeProbe, type ReconcileOptions } from './reconcile.js';
import { RESOURCES, collect, parseRecord, type ReadProblemSink } from './resources.js';
import type { Comment, Invoice, InvoiceStatus } from './schemas.js';
import { toWire } from './wire.js';
import {
  abandonRequest,
  addApproverRequest,
  commentRequest,
  disputeRequest,
  emptyActionRequest,
  toleranceResolutionRequest,
  type WriteRequest,
} from './write-formats.js';

/** A draft invoice to create (camelCase; converted to the wire on send). */
export const DraftInvoiceInput = z.looseObject({
  invoiceNumber: z.string().min(1).max(40),
  invoiceDate: z.string(),
  currency: z.looseObject({ code: z.string() }),
  supplier: z.looseObject({ id: z.number().int() }),
  invoiceLines: z.array(z.looseObject({ description: z.string(), price: z.string() })).min(1),
});
export type DraftInvoiceInput = z.input<typeof DraftInvoiceInput>;

export interface CoupaActions {
  /** Comment on an invoice; `toSupplier` makes it visible to the supplier. */
  addComment(invoiceId: number, comment: { text: string; toSupplier?: boolean }): Promise<Comment>;
  /**
   * An internal comment on a purchase order (`POST /api/comments`, `commentable-type` OrderHeader):
   * where GR/IR clearings are noted for the buyer.
   */
  addPurchaseOrderComment(purchaseOrderId: number, text: string): Promise<Comment>;
  /** Add a user to the invoice's approval chain (`add_approver`). */
  addApprover(invoiceId: number, userId: number): Promise<Invoice>;
  /** Dispute with the supplier, with an active dispute reason code. */
  dispute(invoiceId: number, dispute: { reasonCode: string; comment?: string }): Promise<Invoice>;
  /** Mark every unresolved failed tolerance (header and lines) resolved, then revalidate. */
  resolveFailedTolerances(invoiceId: number, justification: string, current?: Invoice): Promise<Invoice>;
  /** Re-run Coupa's tolerance checks (`revalidate_tolerances`). */
  revalidateTolerances(invoiceId: number): Promise<Invoice>;
  /** Set invoice lines' tax rate (Coupa's expectation), e.g. after a tax engine showed it wrong. Amounts are untouched. */
  setLineTaxRates(invoiceId: number, lines: ReadonlyArray<{ id: number; taxRate: string }>): Promise<Invoice>;
  submit(invoiceId: number): Promise<Invoice>;
  abandon(invoiceId: number, options?: { comment?: string }): Promise<Invoice>;
  void(invoiceId: number): Promise<Invoice>;
  withdrawDispute(invoiceId: number): Promise<Invoice>;
  /** Create a draft invoice (`POST /invoices`). */
  createDraftInvoice(draft: DraftInvoiceInput): Promise<Invoice>;
  /** Attach a file to an invoice (multipart `attachment[file]`). */
  attachFile(invoiceId: number, filename: string, bytes: Uint8Array, contentType: string): Promise<Attachment>;
}

export function createActions(
  transport: Transport,
  reads: CoupaReads,
  onReadProblem?: ReadProblemSink,
  reconcile: ReconcileOptions = {},
): CoupaActions {
  const invoicePath = (id: number): string => `${RESOURCES.invoice.path}/${idSegment(id)}`;
  const asInvoice = (body: unknown): Invoice => parseRecord(RESOURCES.invoice, body, { onReadProblem });

  /** Status actions are confirmed by the status they produce; no baseline needed. */
  const statusProbe =
    (id: number, applied: (s: InvoiceStatus | string) => boolean): OutcomeProbe<Invoice> =>
    async () =>
    async () => {
      const invoice = await reads.getInvoice(id);
      return applied(invoice.status) ? invoice : undefined;
    };

  function invoiceAction(
    id: number,
    action: string,
    probe: OutcomeProbe<Invoice>,
    request: WriteRequest = emptyActionRequest(),
  ): Promise<Invoice> {
    const send = async (): Promise<Invoice> =>
      asInvoice(await transport.request({ method: 'PUT', path: `${invoicePath(id)}/${action}`, ...request }));
    return writeReconciled(send, probe, reconcile);
  }

  async function resolveFailedTolerances(
    invoiceId: number,
    justification: string,
    current?: Invoice,
  ): Promise<Invoice> {
    // The caller may pass the invoice it has just read, saving a call; otherwise read it now.
    const invoice = current && current.id === invoiceId ? current : await reads.getInvoice(invoiceId);
    const header = invoice.failedTolerances.filter((t) => !t.resolved && t.id !== undefined);
    const lines = invoice.invoiceLines
      .map((line) => ({
        id: line.id,
        failedTolerances: line.failedTolerances.filter((t) => !t.resolved && t.id !== undefined),
      }))
      .filter((line) => line.id !== undefined && line.failedTolerances.length > 0);
    const targetIds = new Set([...header, ...lines.flatMap((l) => l.failedTolerances)].map((t) => t.id));
    if (targetIds.size > 0) {
      const request = toleranceResolutionRequest({
        headerIds: header.map((t) => t.id as number),
        lines: lines.map((l) => ({ id: l.id as number, toleranceIds: l.failedTolerances.map((t) => t.id as number) })),
        justification,
      });
      const send = async (): Promise<Invoice> =>
        asInvoice(await transport.request({ method: 'PUT', path: invoicePath(invoiceId), ...request }));
      // Applied once every targeted tolerance reads back as resolved.
      const probe: OutcomeProbe<Invoice> = async () => async () => {
        const now = await reads.getInvoice(invoiceId);
        const all = [...now.failedTolerances, ...now.invoiceLines.flatMap((l) => l.failedTolerances)];
        return all.every((t) => !targetIds.has(t.id) || t.resolved) ? now : undefined;
      };
      await writeReconciled(send, probe, reconcile);
    }
    return revalidateTolerances(invoiceId);
  }

  function revalidateTolerances(invoiceId: number): Promise<Invoice> {
    // Re-running a tolerance check is idempotent: on an unknown outcome it is simply run again.
    return invoiceAction(invoiceId, 'revalidate_tolerances', resendIsHarmless());
  }

  async function addComment(invoiceId: number, comment: { text: string; toSupplier?: boolean }): Promise<Comment> {
    const toSupplier = comment.toSupplier ?? false;
    const send = async (): Promise<Comment> =>
      parseRecord(
        RESOURCES.comment,
        await transport.request({
          method: 'POST',
          path: `${invoicePath(invoiceId)}/comments`,
          ...commentRequest(comment.text, toSupplier),
        }),
        { onReadProblem },
      );
    // No baseline read before the write (it would cost a Coupa call on every comment): an identical
    // comment found afterwards counts as applied. If the same text was already on the invoice, not
    // posting it twice is the safe side of the ambiguity.
    const probe: OutcomeProbe<Comment> = async () => async () =>
      (await reads.listComments(invoiceId)).find((c) => c.comments === comment.text && c.toSupplier === toSupplier);
    return writeReconciled(send, probe, reconcile);
  }

  async function addApprover(invoiceId: number, userId: number): Promise<Invoice> {
    // Coupa refuses a second pending approval for the same approver, so a pending one found after
    // the write means it applied — no baseline read is needed.
    const probe: OutcomeProbe<Invoice> = async () => async () =>
      (await reads.listApprovals(invoiceId)).some(
        (a) => (a.approverId ?? a.approver?.id) === userId && a.status === 'pending_approval',
      )
        ? reads.getInvoice(invoiceId)
        : undefined;
    const send = async (): Promise<Invoice> =>
      asInvoice(
        await transport.request({
          method: 'PUT',
          path: `${invoicePath(invoiceId)}/add_approver`,
          ...addApproverRequest(userId),
        }),
      );
    return writeReconciled(send, probe, reconcile);
  }

  async function createDraftInvoice(draft: DraftInvoiceInput): Promise<Invoice> {
    const input = DraftInvoiceInput.parse(draft);
    const sameNumber = query()
      .where('invoice-number', input.invoiceNumber)
      .where(['supplier', 'id'], input.supplier.id);
    const probe: OutcomeProbe<Invoice> = async () => {
      const before = new Set((await collect(reads.listInvoices(sameNumber))).map((i) => i.id));
      return async () => (await collect(reads.listInvoices(sameNumber))).find((i) => !before.has(i.id));
    };
    const send = async (): Promise<Invoice> =>
      asInvoice(await transport.request({ method: 'POST', path: RESOURCES.invoice.path, json: toWire(input) }));
    return writeReconciled(send, probe, reconcile);
  }

  async function attachFile(
    invoiceId: number,
    filename: string,
    bytes: Uint8Array,
    contentType: string,
  ): Promise<Attachment> {
    const path = `${invoicePath(invoiceId)}/attachments`;
    const probe: OutcomeProbe<Attachment> = async () => {
      const before = new Set((await collectAttachments(transport, path)).map((a) => a.id));
      return async () =>
        (await collectAttachments(transport, path)).find((a) => !before.has(a.id) && a.fileFileName === filename);
    };
    return writeReconciled(() => postAttachment(transport, path, filename, bytes, contentType), probe, reconcile);
  }

  async function addPurchaseOrderComment(purchaseOrderId: number, text: string): Promise<Comment> {
    idSegment(purchaseOrderId); // a positive integer, or a TypeError before anything is sent
    const send = async (): Promise<Comment> =>
      parseRecord(
        RESOURCES.comment,
        await transport.request({
          method: 'POST',
          path: '/api/comments',
          json: toWire({
            comments: text,
            toSupplier: false,
            commentableType: 'OrderHeader',
            commentableId: purchaseOrderId,
          }),
        }),
        { onReadProblem },
      );
    // As for invoice comments: an identical comment on the PO found afterwards counts as applied.
    const probe: OutcomeProbe<Comment> = async () => async () => {
      for await (const c of reads.listCommentsOn('OrderHeader', [purchaseOrderId])) if (c.comments === text) return c;
      return undefined;
    };
    return writeReconciled(send, probe, reconcile);
  }

  function setLineTaxRates(invoiceId: number, lines: ReadonlyArray<{ id: number; taxRate: string }>): Promise<Invoice> {
    const send = async (): Promise<Invoice> =>
      asInvoice(
        await transport.request({
          method: 'PUT',
          path: invoicePath(invoiceId),
          json: toWire({ invoiceLines: lines.map((l) => ({ id: l.id, taxRate: l.taxRate })) }),
        }),
      );
    // Setting a value is idempotent: applied once every line reads back with its new rate.
    const probe: OutcomeProbe<Invoice> = async () => async () => {
      const now = await reads.getInvoice(invoiceId);
      return lines.every((l) =>
        now.invoiceLines.some((x) => x.id === l.id && x.taxRate != null && Number(x.taxRate) === Number(l.taxRate)),
      )
        ? now
        : undefined;
    };
    return writeReconciled(send, probe, reconcile);
  }

  return {
    addComment,
    addPurchaseOrderComment,
    addApprover,
    setLineTaxRates,
    dispute: (id, { reasonCode, comment }) =>
      invoiceAction(
        id,
        'dispute',
        statusProbe(id, (s) => s === 'disputed'),
        disputeRequest(reasonCode, comment),
      ),
    resolveFailedTolerances,
    revalidateTolerances,
    submit: (id) =>
      invoiceAction(
        id,
        'submit',
        statusProbe(id, (s) => s !== 'draft' && s !== 'new'),
      ),
    abandon: (id, options) =>
      invoiceAction(
        id,
        'abandon',
        statusProbe(id, (s) => s === 'abandoned'),
        abandonRequest(options?.comment),
      ),
    void: (id) =>
      invoiceAction(
        id,
        'void',
        statusProbe(id, (s) => s === 'voided'),
      ),
    withdrawDispute: (id) =>
      invoiceAction(
        id,
        'withdraw_dispute',
        statusProbe(id, (s) => s !== 'disputed'),
      ),
    createDraftInvoice,
    attachFile,
  };
}
