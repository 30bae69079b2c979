/**
 * The ingestion pipeline for one file: read → extract → (model pass) → validate → post or
 * review. An e-mail yields one outcome per attached document. Every failure stays with its own
 * document; the content hash makes a repeated run post nothing twice.
 */
import { createHash } from 'node:crypto';
import { describeError } from '../errors.js';
import type { IngestCoupa } from './coupa-port.js';
import { IngestError } from './errors.js';
import { extractInvoice } from './extract.js';
import type { Refiner } from './llm-refine.js';
import type { OcrEngine } from './ocr.js';
import type { OwnCompany } from './own-company.js';
import { postDraft } from './post.js';
import { expandEmail, readDocument, sniffType, type InputDocument } from './read-document.js';
import type { IngestStore } from './store.js';
import type { DocumentText, IngestOutcome, ValidationProblem } from './types.js';
import { blocking, validateInvoice, validateOffline, type Validation } from './validate.js';

export interface IngestorDeps {
  /** Absent only for dry runs without a Coupa tenant: extraction and the document's own checks. */
  coupa?: IngestCoupa;
  ocr: OcrEngine;
  /** Where outcomes are recorded (idempotency, review queue); required unless every call is a dry run. */
  store?: IngestStore;
  refine?: Refiner;
  /** The customer's own company, never taken for the supplier (default: the sample company's). */
  ownCompany?: OwnCompany;
}

/** What reading, extracting and validating one document found (nothing stored or posted). */
export interface Analysis extends Validation {
  document: Pick<DocumentText, 'kind' | 'pages' | 'textConfidence'>;
}

export interface Ingestor {
  /** Extract and validate one PDF or image; throws `IngestError` for unreadable documents. */
  analyse(doc: InputDocument): Promise<Analysis>;
  /**
   * Process one file; an e-mail yields an outcome per attachment. Never throws for a bad document.
   * A dry run reads and validates (Coupa reads only) and records nothing: `dry_run` means "would post".
   */
  ingestFile(doc: InputDocument, options?: { dryRun?: boolean }): Promise<IngestOutcome[]>;
}

export const contentHash = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const summary = (problems: readonly ValidationProblem[]): string =>
  problems
    .slice(0, 3)
    .map((p) => p.message)
    .join('; ') + (problems.length > 3 ? `; and ${problems.length - 3} more` : '');

export function createIngestor(deps: IngestorDeps): Ingestor {
  async function analyse(doc: InputDocument): Promise<Analysis> {
    const text = await readDocument(doc, deps.ocr);
    let extracted = extractInvoice(text, deps.ownCompany);
    const fullText = text.rows.map((r) => r.text).join('\n');
    if (deps.refine) extracted = await deps.refine(extracted, fullText);
    const validation = deps.coupa
      ? await validateInvoice(deps.coupa, extracted, fullText, deps.ownCompany)
      : validateOffline(extracted);
    return { ...validation, document: { kind: text.kind, pages: text.pages, textConfidence: text.textConfidence } };
  }

  async function processOne(doc: InputDocument, dryRun: boolean): Promise<IngestOutcome> {
    const hash = contentHash(doc.bytes);
    const base = { fileName: doc.fileName, contentHash: hash };
    const store = deps.store;
    if (!dryRun && (!store || !deps.coupa))
      throw new Error('an ingest store and Coupa are required unless dryRun is set');
    const existing = await store?.find(hash);
    if (existing?.status === 'posted') {
      return {
        ...base,
        status: 'already_posted',
        message: `already posted as Coupa invoice ${existing.coupaInvoiceId} (same content as ${existing.fileName})`,
        problems: [],
        coupaInvoiceId: existing.coupaInvoiceId ?? undefined,
      };
    }
    if (existing?.status === 'dismissed') {
      return {
        ...base,
        status: 'dismissed',
        message: `marked handled on the review page by ${existing.handledBy ?? 'a person'} (same content as ${existing.fileName}); not processed again`,
        problems: [],
      };
    }
    let analysis: Analysis;
    try {
      analysis = await analyse(doc);
    } catch (error) {
      const message = error instanceof IngestError ? error.message : `could not be processed: ${describeError(error)}`;
      const problems = [
        { code: error instanceof IngestError ? error.code : 'internal_error', severity: 'error' as const, message },
      ];
      if (!dryRun)
        await store!.record({
          contentHash: hash,
          fileName: doc.fileName,
          contentType: doc.contentType,
          status: 'failed',
          document: doc.bytes,
          problems,
          error: message,
        });
      return { ...base, status: 'failed', message, problems };
    }
    const { invoice, refs, problems } = analysis;
    const found = {
      extracted: invoice,
      problems,
      refs,
      pages: analysis.document.pages,
      readerKind: analysis.document.kind,
    };
    const blockers = blocking(problems);
    if (blockers.length > 0) {
      if (!dryRun)
        await store!.record({
          contentHash: hash,
          fileName: doc.fileName,
          contentType: doc.contentType,
          status: 'needs_review',
          document: doc.bytes,
          ...found,
        });
      return { ...base, ...found, status: 'needs_review', message: `needs review: ${summary(blockers)}` };
    }
    if (dryRun && !deps.coupa)
      return {
        ...base,
        ...found,
        status: 'dry_run',
        message: `read invoice ${invoice.fields.invoiceNumber?.value} from ${invoice.fields.supplierName?.value ?? 'an unnamed supplier'} (${invoice.fields.total?.value} ${invoice.fields.currency?.value}${invoice.format && invoice.format !== 'printed' ? `, ${invoice.format}` : ''}); not checked against Coupa`,
      };
    if (dryRun)
      return {
        ...base,
        ...found,
        status: 'dry_run',
        message: `would post invoice ${invoice.fields.invoiceNumber?.value} for ${refs.supplierName} (${invoice.fields.total?.value} ${invoice.fields.currency?.value})`,
      };
    if (!(await store!.claim(hash, doc.fileName, doc.contentType))) {
      return {
        ...base,
        ...found,
        status: 'already_posted',
        message: 'another run is posting or has posted this document',
      };
    }
    try {
      const posted = await postDraft(deps.coupa!, {
        invoice,
        refs,
        fileName: doc.fileName,
        contentHash: hash,
        contentType: doc.contentType,
        bytes: doc.bytes,
      });
      const warnings = posted.attachmentError
        ? [
            {
              code: 'attachment_failed',
              severity: 'warning' as const,
              message: `the draft was created but the file could not be attached: ${posted.attachmentError}`,
            },
          ]
        : [];
      await store!.record({
        contentHash: hash,
        fileName: doc.fileName,
        contentType: doc.contentType,
        status: 'posted',
        ...found,
        problems: [...problems, ...warnings],
        coupaInvoiceId: posted.invoiceId,
      });
      return {
        ...base,
        ...found,
        problems: [...problems, ...warnings],
        status: 'posted',
        coupaInvoiceId: posted.invoiceId,
        message: `posted draft invoice ${posted.invoiceId} (${invoice.fields.invoiceNumber?.value}, ${refs.supplierName}, ${invoice.fields.total?.value} ${invoice.fields.currency?.value})${warnings.length ? ' — attachment failed' : ''}`,
      };
    } catch (error) {
      const message = `Coupa refused the draft: ${describeError(error)}`;
      await store!.record({
        contentHash: hash,
        fileName: doc.fileName,
        contentType: doc.contentType,
        status: 'failed',
        document: doc.bytes,
        ...found,
        problems: [...problems, { code: 'post_failed', severity: 'error', message }],
        error: message,
      });
      return { ...base, ...found, status: 'failed', message };
    }
  }

  return {
    analyse,
    async ingestFile(doc, options = {}) {
      const dryRun = options.dryRun ?? false;
      if (doc.bytes.length === 0 || sniffType(doc.bytes) !== 'email') return [await processOne(doc, dryRun)];
      try {
        const parts = await expandEmail(doc);
        const out: IngestOutcome[] = [];
        for (const part of parts) out.push(await processOne(part, dryRun));
        return out;
      } catch (error) {
        const message = error instanceof IngestError ? error.message : describeError(error);
        const problems = [
          { code: error instanceof IngestError ? error.code : 'internal_error', severity: 'error' as const, message },
        ];
        const hash = contentHash(doc.bytes);
        if (!dryRun)
          await deps.store?.record({
            contentHash: hash,
            fileName: doc.fileName,
            contentType: doc.contentType,
            status: 'failed',
            document: doc.bytes,
            problems,
            error: message,
          });
        return [{ fileName: doc.fileName, contentHash: hash, status: 'failed', message, problems }];
      }
    },
  };
}
