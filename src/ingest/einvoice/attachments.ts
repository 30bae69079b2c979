/**
 * The XML a PDF carries: Factur-X / ZUGFeRD embed the invoice as an attached file in a PDF/A-3
 * (factur-x.xml, zugferd-invoice.xml, ZUGFeRD-invoice.xml, xrechnung.xml). pdf.js lists them.
 */
import type { PdfDocument } from '../read-pdf.js';

export interface EmbeddedFile {
  name: string;
  text: string;
}

/** Attachments larger than this are not an invoice's XML. */
const MAX_XML_BYTES = 5 * 2 ** 20;

/** Every attached file whose name ends in .xml, decoded as UTF-8. */
export async function embeddedXml(doc: PdfDocument): Promise<EmbeddedFile[]> {
  const attachments = ((await doc.getAttachments().catch(() => null)) ?? {}) as Record<
    string,
    { filename?: string; content?: Uint8Array }
  >;
  const out: EmbeddedFile[] = [];
  for (const [key, a] of Object.entries(attachments)) {
    const name = a.filename ?? key;
    if (!/\.xml$/i.test(name) || !a.content || a.content.length > MAX_XML_BYTES) continue;
    out.push({ name, text: new TextDecoder('utf-8').decode(a.content) });
  }
  // The Factur-X name first: a PDF may carry other XML (order copies, metadata).
  return out.sort(
    (a, b) => Number(/factur-x|zugferd|xrechnung/i.test(b.name)) - Number(/factur-x|zugferd|xrechnung/i.test(a.name)),
  );
}
