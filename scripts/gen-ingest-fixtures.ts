/**
 * Invoice-ingestion fixtures from the sample company (seed 7, 2000 invoices: what `settle ingest`
 * meets on the embedded simulator). Writes, each set with a `truth.json` (file → ground truth):
 *   text/    30 text PDFs in four layouts
 *   images/  10 PNG scans (OCR) and 2 scanned PDFs (page image, no text layer)
 *   email/   5 .eml files with PDF attachments (one forwarded inside another e-mail)
 *   bad/     encrypted, corrupt, empty, 200-page, blank image, Polish (a language not read), bank-detail mismatch, one good
 *
 *   npx tsx scripts/gen-ingest-fixtures.ts [outDir]      (default test/fixtures/ingest)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAYOUTS, renderInvoice, type Layout } from './ingest-fixtures/layouts.js';
import {
  blankPng,
  buildEmail,
  corruptPdf,
  polishInvoicePdf,
  longPdf,
  pdfToPng,
  scannedPdf,
} from './ingest-fixtures/media.js';
import { pickTruths, type GroundTruth } from './ingest-fixtures/model.js';

export type { GroundTruth } from './ingest-fixtures/model.js';

export interface FixtureOptions {
  seed?: number;
  invoices?: number;
  /** Text PDFs (default 30), images (10), scanned PDFs (2), e-mails (5). */
  textPdfs?: number;
  images?: number;
  scans?: number;
  emails?: number;
}

export interface FixtureSummary {
  dir: string;
  counts: Record<'text' | 'images' | 'email' | 'bad', number>;
  bytes: number;
}

/** A different, still valid IBAN of the same country: the fraudster's account. */
function otherIban(iban: string): string {
  const bban = iban.slice(4, -4) + String((Number(iban.slice(-4)) + 1111) % 10000).padStart(4, '0');
  const numeric = (bban + iban.slice(0, 2) + '00').replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rem = 0;
  for (const d of numeric) rem = (rem * 10 + Number(d)) % 97;
  return `${iban.slice(0, 2)}${String(98 - rem).padStart(2, '0')}${bban}`;
}

/** Generate every fixture set under `dir`; deterministic for the same options and generator. */
export async function generateIngestFixtures(dir: string, options: FixtureOptions = {}): Promise<FixtureSummary> {
  const [nText, nImages, nScans, nEmails] = [
    options.textPdfs ?? 30,
    options.images ?? 10,
    options.scans ?? 2,
    options.emails ?? 5,
  ];
  // Truths are drawn for the full set whatever is skipped, so a file's invoice never depends on the options.
  const truths = pickTruths({ seed: options.seed ?? 7, invoices: options.invoices ?? 2000, count: 30 + 12 + 5 + 2 });
  const counts = { text: nText, images: nImages + nScans, email: nEmails, bad: 8 };
  let bytes = 0;
  const sets: Record<string, Record<string, GroundTruth>> = { text: {}, images: {}, email: {}, bad: {} };
  const write = (set: string, file: string, data: Uint8Array, truth?: GroundTruth): void => {
    mkdirSync(join(dir, set), { recursive: true });
    writeFileSync(join(dir, set, file), data);
    bytes += data.length;
    if (truth) sets[set]![file] = { ...truth, file };
  };
  const at = (i: number): GroundTruth => truths[i]!;
  const layoutOf = (i: number): Layout => LAYOUTS[i % LAYOUTS.length]!;
  const num = (i: number): string => String(i + 1).padStart(2, '0');

  for (let i = 0; i < Math.min(nText, 30); i++) {
    const t = at(i);
    write('text', `${num(i)}-${layoutOf(i)}.pdf`, await renderInvoice(t, layoutOf(i)), {
      ...t,
      layout: layoutOf(i),
      kind: 'text-pdf',
    });
  }
  for (let i = 0; i < 12; i++) {
    if (i < 10 ? i >= nImages : i - 10 >= nScans) continue;
    const t = at(30 + i);
    const png = await pdfToPng(await renderInvoice(t, layoutOf(i)));
    if (i < 10) write('images', `${num(i)}-${layoutOf(i)}.png`, png, { ...t, layout: layoutOf(i), kind: 'image' });
    else
      write('images', `${num(i)}-${layoutOf(i)}-scan.pdf`, await scannedPdf(png), {
        ...t,
        layout: layoutOf(i),
        kind: 'scanned-pdf',
      });
  }
  for (let i = 0; i < Math.min(nEmails, 5); i++) {
    const t = at(42 + i);
    const pdf = {
      fileName: `${t.invoiceNumber}.pdf`,
      contentType: 'application/pdf',
      bytes: await renderInvoice(t, layoutOf(i + 1)),
    };
    const mail = {
      from: `billing@${t.supplierName.toLowerCase().replace(/[^a-z]+/g, '')}.example`,
      subject: `Invoice ${t.invoiceNumber}`,
      date: `${t.invoiceDate}`,
      body: `Please find attached invoice ${t.invoiceNumber}.`,
    };
    const inner = buildEmail({ ...mail, attachments: [pdf] });
    // The last one arrives forwarded: the invoice sits in an e-mail attached to the e-mail.
    const eml =
      i === 4
        ? buildEmail({
            ...mail,
            subject: `Fwd: ${mail.subject}`,
            attachments: [{ fileName: 'original.eml', contentType: 'message/rfc822', bytes: inner }],
          })
        : inner;
    write('email', `${num(i)}-invoice.eml`, eml, { ...t, layout: layoutOf(i + 1), kind: 'email' });
  }
  const good = at(47);
  const goodPdf = await renderInvoice(good, 'classic');
  write('bad', 'good.pdf', goodPdf, { ...good, layout: 'classic', kind: 'text-pdf' });
  const victim = at(48);
  const forged = victim.iban
    ? { ...victim, iban: otherIban(victim.iban) }
    : {
        ...victim,
        bankAccount: `${victim.bankAccount!.slice(0, -4)}${String((Number(victim.bankAccount!.slice(-4)) + 4321) % 10000).padStart(4, '0')}`,
      };
  write('bad', 'bank-mismatch.pdf', await renderInvoice(forged, 'classic'), {
    ...forged,
    layout: 'classic',
    kind: 'text-pdf',
    expect: 'needs_review',
  });
  write(
    'bad',
    'encrypted.pdf',
    await renderInvoice(good, 'classic', { userPassword: 'secret', ownerPassword: 'owner' }),
  );
  write('bad', 'corrupt.pdf', corruptPdf(goodPdf));
  write('bad', 'empty.pdf', new Uint8Array());
  write('bad', 'catalogue-200-pages.pdf', await longPdf(200));
  write('bad', 'blank-scan.png', blankPng());
  write('bad', 'faktura-polish.pdf', await polishInvoicePdf());
  for (const [set, truth] of Object.entries(sets)) {
    if (Object.keys(truth).length > 0)
      writeFileSync(join(dir, set, 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
  }
  return { dir, counts, bytes };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = resolve(process.argv[2] ?? 'test/fixtures/ingest');
  const summary = await generateIngestFixtures(dir);
  console.log(
    `wrote ${Object.values(summary.counts).reduce((a, b) => a + b, 0)} fixtures (${(summary.bytes / 2 ** 20).toFixed(2)} MB) to ${dir}`,
  );
}
