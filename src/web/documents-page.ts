/**
 * Supplier documents that ingestion did not post: the list, and one document with its page images
 * beside the values read from it, what stopped it, and the form to mark it handled. Everything
 * extracted is supplier-written text and is shown as such.
 */
import type { ExtractedField, ReviewDocument, ValidationProblem } from '../ingest/index.js';
import { MIN_CONFIDENCE } from '../ingest/index.js';
import { age, label, percent } from './format.js';
import { html, type SafeHtml } from './html.js';
import { BASE } from './layout.js';
import { supplierText } from './untrusted-text.js';

export const DOCUMENTS = `${BASE}/documents`;

const FIELD_LABELS: Record<string, string> = {
  supplierName: 'Supplier',
  invoiceNumber: 'Invoice number',
  invoiceDate: 'Invoice date',
  dueDate: 'Due date',
  currency: 'Currency',
  poNumber: 'PO number',
  subtotal: 'Subtotal',
  tax: 'Tax',
  total: 'Total',
  remitTo: 'Remit-to',
  iban: 'IBAN',
  bankAccount: 'Bank account',
  bankRouting: 'Bank routing',
  taxId: 'Tax id',
};

const READER_KINDS: Record<string, string> = {
  'pdf-text': 'Text PDF',
  'pdf-scanned': 'Scanned PDF (OCR)',
  image: 'Image (OCR)',
  xml: 'E-invoice XML',
};

/** A value the supplier printed: text, never markup (the caption says whose words these are). */
const asRead = (value: string): SafeHtml => html`<span class="supplier-text">${value}</span>`;

const SEVERITY_TEXT: Record<ValidationProblem['severity'], string> = {
  fraud: 'Fraud signal',
  error: 'Blocks posting',
  warning: 'Warning',
};

function statusBadge(doc: ReviewDocument): SafeHtml {
  return doc.status === 'failed'
    ? html`<span class="badge doc-failed">Unreadable</span>`
    : html`<span class="badge doc-review">Needs review</span>`;
}

function problemsOf(doc: ReviewDocument): ValidationProblem[] {
  // Fraud signals first: they decide what a person must do before anything else.
  const rank = { fraud: 0, error: 1, warning: 2 } as const;
  return [...doc.problems].sort((a, b) => rank[a.severity] - rank[b.severity]);
}

function row(doc: ReviewDocument, now: number): SafeHtml {
  const problems = problemsOf(doc);
  const first = problems[0];
  return html`<tr>
    <td><a href="${DOCUMENTS}/${doc.id}">${doc.fileName}</a></td>
    <td>${statusBadge(doc)}</td>
    <td>
      ${first ? html`${first.severity === 'fraud' ? html`<span class="badge doc-fraud">Fraud signal</span> ` : ''}${first.message}` : (doc.error ?? '—')}${problems.length > 1 ? html` <span class="muted">(+${problems.length - 1} more)</span>` : ''}
    </td>
    <td>
      ${doc.extracted?.fields.supplierName ? supplierText(doc.extracted.fields.supplierName.value) : html`<span class="muted">—</span>`}
    </td>
    <td class="num">${age(now - doc.updatedAt.getTime())}</td>
  </tr>`;
}

/** The list of documents waiting for a person, newest first. */
export function documentsListBody(docs: readonly ReviewDocument[], now: number): SafeHtml {
  const table =
    docs.length === 0
      ? html`<p class="empty">
          No supplier document is waiting: everything ingested was posted as a draft or has been handled.
        </p>`
      : html`<table class="documents">
          <caption>
            ${docs.length} waiting, newest first
          </caption>
          <thead>
            <tr>
              <th scope="col">Document</th>
              <th scope="col">Status</th>
              <th scope="col">Why it was not posted</th>
              <th scope="col">Supplier (as read)</th>
              <th scope="col" class="num">Age</th>
            </tr>
          </thead>
          <tbody>
            ${docs.map((d) => row(d, now))}
          </tbody>
        </table>`;
  return html`<h1>Supplier documents</h1>
    <p class="lede">
      Invoices <code>settle ingest</code> read but did not post to Coupa: a value read with low confidence, a check
      against Coupa that failed, or a file it could not read. Open one to compare the document with what was read.
    </p>
    ${table}`;
}

function fieldRow(name: string, field: ExtractedField | undefined, problemFields: ReadonlySet<string>): SafeHtml {
  const low = field !== undefined && field.confidence < MIN_CONFIDENCE;
  const flagged = problemFields.has(name);
  return html`<tr${low || flagged ? html` class="variance"` : ''}>
  <th scope="row">${FIELD_LABELS[name] ?? label(name)}</th>
  <td>${field ? asRead(field.value) : html`<span class="muted">not found</span>`}</td>
  <td class="num">${field ? percent(field.confidence) : '—'}${low ? html`<span class="why">below ${percent(MIN_CONFIDENCE)}</span>` : ''}</td>
  <td class="small muted">${field ? label(field.source) : ''}</td>
</tr>`;
}

function extractedSection(doc: ReviewDocument): SafeHtml {
  const x = doc.extracted;
  if (!x)
    return html`<section aria-labelledby="values-h">
      <h2 id="values-h">Values read</h2>
      <p class="muted">Nothing could be read from this file.</p>
    </section>`;
  const problemFields = new Set(doc.problems.map((p) => p.field).filter((f): f is string => !!f));
  const names = Object.keys(FIELD_LABELS);
  const lines =
    x.lines.length === 0
      ? html`<p class="muted">No lines were read.</p>`
      : html`<table class="doc-lines">
          <caption>
            ${x.lines.length} line${x.lines.length === 1 ? '' : 's'} as read (confidence of the amount)
          </caption>
          <thead>
            <tr>
              <th scope="col">Description</th>
              <th scope="col" class="num">Quantity</th>
              <th scope="col" class="num">Unit price</th>
              <th scope="col" class="num">Amount</th>
              <th scope="col">PO line</th>
              <th scope="col" class="num">Confidence</th>
            </tr>
          </thead>
          <tbody>
            ${x.lines.map(
              (l, i) =>
                html`<tr>
                  <td>${asRead(l.description.value)}</td>
                  <td class="num">${l.quantity?.value ?? '—'}</td>
                  <td class="num">${l.unitPrice?.value ?? '—'}</td>
                  <td class="num">${l.amount.value}</td>
                  <td>
                    ${doc.refs?.orderLineIds[i] ? html`order line ${doc.refs.orderLineIds[i]}` : html`<span class="muted">${l.poLine?.value ?? 'not matched'}</span>`}
                  </td>
                  <td class="num">${percent(l.amount.confidence)}</td>
                </tr>`,
            )}
          </tbody>
        </table>`;
  return html`<section aria-labelledby="values-h">
    <h2 id="values-h">Values read</h2>
    <table class="doc-fields">
      <caption>
        Header fields as printed by the supplier, with how sure the reader was (below ${percent(MIN_CONFIDENCE)} blocks
        posting)
      </caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Value</th>
          <th scope="col" class="num">Confidence</th>
          <th scope="col">Read from</th>
        </tr>
      </thead>
      <tbody>
        ${names.map((n) => fieldRow(n, x.fields[n as keyof typeof x.fields], problemFields))}
      </tbody>
    </table>
    ${lines}
  </section>`;
}

function matchedSection(doc: ReviewDocument): SafeHtml {
  const r = doc.refs;
  if (!r) return html``;
  const matchedLines = r.orderLineIds.filter((id) => id !== null).length;
  return html`<section aria-labelledby="matched-h">
    <h2 id="matched-h">Matched in Coupa</h2>
    <dl class="facts">
      <div>
        <dt>Supplier</dt>
        <dd>${r.supplierId ? `${r.supplierName ?? ''} (id ${r.supplierId})` : 'no match'}</dd>
      </div>
      <div>
        <dt>Remit-to</dt>
        <dd>${r.remitToAddressId ? `address ${r.remitToAddressId}` : 'no match'}</dd>
      </div>
      <div>
        <dt>Purchase order</dt>
        <dd>${r.poNumber ?? (r.purchaseOrderId ? `id ${r.purchaseOrderId}` : 'no match')}</dd>
      </div>
      <div>
        <dt>Lines matched to PO lines</dt>
        <dd>${matchedLines} of ${r.orderLineIds.length}</dd>
      </div>
    </dl>
  </section>`;
}

function problemsSection(doc: ReviewDocument): SafeHtml {
  const problems = problemsOf(doc);
  return html`<section aria-labelledby="problems-h" class="panel">
    <h2 id="problems-h">Why it was not posted</h2>
    ${
      problems.length
        ? html`<ul class="problems">
            ${problems.map((p) => html`<li class="problem-${p.severity}"><span class="badge doc-${p.severity}">${SEVERITY_TEXT[p.severity]}</span> ${p.message}${p.field ? html` <span class="muted small">(${FIELD_LABELS[p.field] ?? p.field})</span>` : ''}</li>`)}
          </ul>`
        : html`<p>${doc.error ?? 'No reason was recorded.'}</p>`
    }
    ${problems.some((p) => p.severity === 'fraud') ? html`<p class="note">Bank details that differ from the supplier master are never updated from a document. Confirm the change with the supplier through a known contact before anything is paid.</p>` : ''}
  </section>`;
}

function handleForm(doc: ReviewDocument, csrf: string): SafeHtml {
  return html`<section aria-labelledby="handle-h" class="panel">
    <h2 id="handle-h">Mark handled</h2>
    <p class="muted small">
      When you have dealt with this document (entered it in Coupa by hand, asked the supplier for a corrected copy, or
      rejected it), say what you did. It leaves this list, and the same file is not ingested again.
    </p>
    <form method="post" action="${DOCUMENTS}/${doc.id}/handled" class="stack">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <label for="handled-note">What you did</label>
      <textarea id="handled-note" name="note" rows="3" required minlength="3" maxlength="2000"></textarea>
      <button type="submit" class="primary">Mark handled</button>
    </form>
  </section>`;
}

function pagesSection(doc: ReviewDocument, previewPages: number): SafeHtml {
  const download = html`<p>
    <a href="${DOCUMENTS}/${doc.id}/original" download>Download the original file</a>
    <span class="muted small"
      >(${doc.contentType}${doc.pages ? `, ${doc.pages} page${doc.pages === 1 ? '' : 's'}` : ''})</span
    >
  </p>`;
  const images =
    previewPages === 0
      ? html`<p class="muted">This file cannot be shown as pages here.</p>`
      : Array.from(
          { length: previewPages },
          (_, i) =>
            html`<img
              class="doc-page"
              src="${DOCUMENTS}/${doc.id}/pages/${i + 1}.png"
              alt="Page ${i + 1} of ${doc.fileName}"
              loading="lazy"
            />`,
        );
  const more =
    doc.pages && doc.pages > previewPages && previewPages > 0
      ? html`<p class="muted small">Showing the first ${previewPages} of ${doc.pages} pages.</p>`
      : '';
  return html`<section aria-labelledby="document-h" class="doc-view">
    <h2 id="document-h">The document</h2>
    ${download} ${images} ${more}
  </section>`;
}

/** One document: the page images on the left, the values read and the problems on the right. */
export function documentBody(doc: ReviewDocument, previewPages: number, canHandle: boolean, csrf: string): SafeHtml {
  return html`<p><a href="${DOCUMENTS}">← Supplier documents</a></p>
    <h1>${doc.fileName}</h1>
    <dl class="facts">
      <div>
        <dt>Status</dt>
        <dd>${statusBadge(doc)}</dd>
      </div>
      <div>
        <dt>Read as</dt>
        <dd>${doc.readerKind ? (READER_KINDS[doc.readerKind] ?? label(doc.readerKind)) : '—'}</dd>
      </div>
      <div>
        <dt>Last processed</dt>
        <dd>${doc.updatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</dd>
      </div>
    </dl>
    ${problemsSection(doc)}
    <div class="side-by-side">
      ${pagesSection(doc, previewPages)}
      <div>${extractedSection(doc)} ${matchedSection(doc)}</div>
    </div>
    ${canHandle ? handleForm(doc, csrf) : ''}`;
}
