/**
 * `settle ingest <file|folder> [--dry-run] [--json]`: supplier documents → draft invoices in
 * Coupa (or the review queue). Each file gets its own line and its own error; one bad file never
 * stops the folder. Without Coupa configured it runs against the embedded simulator — except a
 * dry run, which starts neither simulator nor database: it validates against a configured Coupa
 * (reads only) or, with none, reads and checks the documents alone.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { openRuntime, type OpenedRuntime } from '../app/embedded.js';
import { coupaClientFor } from '../app/runtime.js';
import { loadConfig } from '../config.js';
import { UserError, describeError } from '../errors.js';
import {
  CONTENT_TYPES,
  createIngestStore,
  createIngestor,
  createLlmRefiner,
  createOcrEngine,
  loadOwnCompany,
  sniffType,
  type IngestOutcome,
} from '../ingest/index.js';

/** Files a folder run picks up; anything else (notes, ground truth, archives) is skipped and counted. */
export const INGEST_EXTENSIONS = new Set([
  '.pdf',
  '.png',
  '.jpg',
  '.jpeg',
  '.tif',
  '.tiff',
  '.bmp',
  '.webp',
  '.eml',
  '.xml',
]);

/** The files to ingest under `target` (a file, or a folder walked recursively), sorted. */
export function collectFiles(target: string): { files: string[]; skipped: number } {
  let stat;
  try {
    stat = statSync(target);
  } catch {
    throw new UserError(`no such file or folder: ${target}`);
  }
  if (stat.isFile()) return { files: [target], skipped: 0 };
  const files: string[] = [];
  let skipped = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && INGEST_EXTENSIONS.has(extname(entry.name).toLowerCase())) files.push(path);
      else skipped += 1;
    }
  };
  walk(target);
  return { files, skipped };
}

const MARK: Record<IngestOutcome['status'], string> = {
  posted: 'posted',
  needs_review: 'review',
  failed: 'FAILED',
  already_posted: 'skipped',
  dismissed: 'handled',
  dry_run: 'dry-run',
};

interface IngestOptions {
  dryRun?: boolean;
  json?: boolean;
}

export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description(
      'Read supplier invoices (PDF, Factur-X/ZUGFeRD, UBL/Peppol/XRechnung or cXML XML, scan, image, .eml) and post clean ones to Coupa as draft invoices; the rest go to review',
    )
    .argument('<path>', 'a file, or a folder (processed recursively)')
    .option(
      '--dry-run',
      'extract and validate only: nothing is posted or recorded, no database or simulator is started (validated against Coupa only when one is configured)',
    )
    .option('--json', 'print the outcomes as JSON')
    .action(async (path: string, opts: IngestOptions) => {
      const target = resolve(path);
      const { files, skipped } = collectFiles(target);
      if (files.length === 0)
        throw new UserError(
          `no PDF, image, XML or .eml files in ${target}${skipped ? ` (${skipped} other file(s) skipped)` : ''}`,
        );
      const config = loadConfig();
      const ocr = createOcrEngine({ cachePath: join(config.dataDir, 'ocr') });
      let dryRun = opts.dryRun ?? false;
      // A dry run posts and records nothing, so it needs no database and no simulator.
      const opened: OpenedRuntime | undefined = dryRun ? undefined : await openRuntime(config);
      try {
        if (opened && (await opened.runtime.mode.get()) === 'monitor') {
          process.stderr.write('settle: monitor mode: nothing is posted to Coupa (running as --dry-run)\n');
          dryRun = true;
        }
        const coupa = opened?.runtime.coupa ?? (config.coupa ? coupaClientFor({ config }) : undefined);
        if (!coupa)
          process.stderr.write(
            'settle: no Coupa configured: the dry run reads and checks the documents only (supplier, PO and duplicates are not verified)\n',
          );
        const refine = createLlmRefiner(config);
        let ownCompany;
        try {
          ownCompany = loadOwnCompany(config.ownCompanyFile);
        } catch (error) {
          throw new UserError((error as Error).message);
        }
        const ingestor = createIngestor({
          ...(coupa ? { coupa } : {}),
          ocr,
          ownCompany,
          ...(opened ? { store: createIngestStore(opened.runtime.db) } : {}),
          ...(refine ? { refine } : {}),
        });
        const started = performance.now();
        const outcomes: IngestOutcome[] = [];
        for (const [i, file] of files.entries()) {
          const label = files.length === 1 ? basename(file) : file.slice(target.length + 1);
          let results: IngestOutcome[];
          try {
            const bytes = new Uint8Array(readFileSync(file));
            results = await ingestor.ingestFile(
              { fileName: label, bytes, contentType: CONTENT_TYPES[sniffType(bytes)] },
              { dryRun },
            );
          } catch (error) {
            results = [
              { fileName: label, contentHash: '', status: 'failed', message: describeError(error), problems: [] },
            ];
          }
          for (const r of results)
            process.stderr.write(`[${i + 1}/${files.length}] ${r.fileName}: ${MARK[r.status]} — ${r.message}\n`);
          outcomes.push(...results);
        }
        const count = (s: IngestOutcome['status']): number => outcomes.filter((o) => o.status === s).length;
        const seconds = (performance.now() - started) / 1000;
        if (files.length > 1)
          process.stderr.write(
            `settle: ${files.length} files in ${seconds.toFixed(1)} s (${(files.length / Math.max(seconds, 0.001)).toFixed(1)} files/s)\n`,
          );
        if (opts.json) console.log(JSON.stringify(outcomes, null, 2));
        else
          console.log(
            `${outcomes.length} document(s): ${count('posted')} posted, ${count('needs_review')} to review, ${count('failed')} failed, ${count('already_posted')} already posted${count('dismissed') ? `, ${count('dismissed')} already handled on the review page` : ''}${dryRun ? `, ${count('dry_run')} would post (dry run)` : ''}${skipped ? `; ${skipped} other file(s) skipped` : ''}`,
          );
        if (count('failed') > 0) process.exitCode = 1;
      } finally {
        await ocr.close();
        await opened?.close();
      }
    });
}
