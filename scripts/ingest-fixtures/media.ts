/**
 * The other media: PDF pages rendered to PNG (as a scanner or phone would deliver them), scanned
 * PDFs (a page image, no text layer), e-mails carrying PDFs, and the bad inputs ingestion must
 * refuse one by one.
 */
import { createCanvas } from '@napi-rs/canvas';
import { openPdf, renderPng } from '../../src/ingest/read-pdf.js';
import { renderPdf } from './layouts.js';

/** Page 1 of a PDF as PNG at `scale` × 72 dpi, drawn the way ingestion draws scans for OCR. */
export async function pdfToPng(pdf: Uint8Array, scale = 2): Promise<Buffer> {
  const doc = await openPdf(pdf);
  try {
    return Buffer.from(await renderPng(await doc.getPage(1), scale));
  } finally {
    await doc.destroy();
  }
}

/** A PDF whose only page is `png`: what a scanner produces (no text layer). */
export function scannedPdf(png: Buffer): Promise<Buffer> {
  return renderPdf((doc) => void doc.image(png, 0, 0, { width: 595.28 }), { margin: 0 });
}

/** A white image: no text for OCR to find. */
export function blankPng(): Buffer {
  const canvas = createCanvas(1240, 1754);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  return canvas.toBuffer('image/png');
}

function base64Lines(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/.{1,76}/g, '$&\r\n').trimEnd();
}

export interface MailPart {
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
}

/** A multipart e-mail (RFC 5322/2046) with a text body and attachments; `.eml` parts nest as message/rfc822. */
export function buildEmail(options: { from: string; subject: string; body: string; date: string; attachments: MailPart[] }): Buffer {
  const boundary = `----=_settle_${Buffer.from(options.subject).toString('hex').slice(0, 16)}`;
  const parts = options.attachments.map((a) =>
    a.contentType === 'message/rfc822'
      ? [`--${boundary}`, 'Content-Type: message/rfc822', `Content-Disposition: attachment; filename="${a.fileName}"`, '', Buffer.from(a.bytes).toString('utf8')].join('\r\n')
      : [`--${boundary}`, `Content-Type: ${a.contentType}; name="${a.fileName}"`, 'Content-Transfer-Encoding: base64',
        `Content-Disposition: attachment; filename="${a.fileName}"`, '', base64Lines(a.bytes)].join('\r\n'));
  const text = [
    `From: ${options.from}`, 'To: ap@northwind-example.com', `Subject: ${options.subject}`, `Date: ${options.date}`,
    `Message-ID: <${boundary.slice(14)}@fixtures.invalid>`, 'MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${boundary}"`, '',
    `--${boundary}`, 'Content-Type: text/plain; charset=utf-8', '', options.body, ...parts, `--${boundary}--`, '',
  ].join('\r\n');
  return Buffer.from(text, 'utf8');
}

/** A Polish invoice: well-formed, but not in a language the extractor reads (German, French, Dutch… are read). */
export function polishInvoicePdf(): Promise<Buffer> {
  return renderPdf((doc) => {
    doc.font('Helvetica-Bold').fontSize(16).text('Kowalski Maszyny Sp. z o.o.', 40, 40);
    doc.font('Helvetica').fontSize(10);
    ['Faktura VAT', 'Numer faktury: FV-2026-0815', 'Data wystawienia: 03.11.2026', 'Numer zamowienia: 20001', 'Termin platnosci: 03.12.2026',
      'Nazwa towaru lub uslugi  Ilosc  Cena netto  Wartosc netto', 'Serwis maszyny  1  1.000,00  1.000,00', 'Wartosc netto  1.000,00', 'Stawka VAT 23%  230,00',
      'Razem do zaplaty  1.230,00', 'Sprzedawca: Kowalski Maszyny  Nabywca: Klient  Prosimy o zaplate na rachunek bankowy ponizej.', 'Dziekujemy za wspolprace. Faktura oraz kwota netto i brutto dla nabywcy.']
      .forEach((line, i) => doc.text(line, 40, 80 + i * 16, { lineBreak: false }));
  });
}

/** A 200-page PDF (a catalogue mailed to the invoice inbox). */
export function longPdf(pages: number): Promise<Buffer> {
  return renderPdf((doc) => {
    for (let p = 1; p <= pages; p++) {
      if (p > 1) doc.addPage();
      doc.fontSize(12).text(`Product catalogue page ${p} of ${pages}: list prices for the coming season.`, 40, 40);
    }
  });
}

/** A PDF cut short and overwritten in the middle: no readable structure left. */
export function corruptPdf(valid: Buffer): Buffer {
  const cut = Buffer.from(valid.subarray(0, Math.floor(valid.length * 0.4)));
  cut.fill(0x41, 200, Math.min(cut.length, 1200));
  return cut;
}
