/**
 * `settle sim --seed 7 --invoices 2000 --port 4010`: serve the deterministic sample company on the
 * Coupa simulator (or, with `--dump FILE`, write its dataset as JSON and exit).
 */
import type { Command } from 'commander';
import { generateCompany } from '../sim/generator/index.js';
import { DIALECTS } from '../sim/dialects.js';
import {
  dumpDataset,
  parseDialect,
  parseEventsUrl,
  parseInvoices,
  parsePort,
  parseSeed,
  serveSampleCompany,
  type ServeOptions,
} from './sim-serve.js';

type SimFlags = Omit<ServeOptions, 'keepRunning'> & { dump?: string };

export function registerSimCommand(program: Command): void {
  program
    .command('sim')
    .description(
      'Serve the sample company on the Coupa simulator (OAuth, REST API, invoice state machine) until Ctrl-C',
    )
    .option('--seed <n>', 'generator seed; the same seed gives the same company', parseSeed, 7)
    .option('--invoices <n>', 'invoices in the company (history and open exceptions)', parseInvoices, 2000)
    .option('--port <n>', 'port to listen on (0 picks a free one)', parsePort, 4010)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--no-rate-limit', "disable Coupa's 25 requests/s limit (bulk loads, benchmarks)")
    .option(
      '--events-url <url>',
      'POST an exception event here when an invoice enters a hold, as a Coupa call-out would',
      parseEventsUrl,
    )
    .option('--dialect <name>', `serve the company's records in a variant shape: ${DIALECTS.join(' | ')}`, parseDialect)
    .option('--dump <file>', 'write the dataset (the `coupa` object of a replay case) as JSON to FILE and exit')
    .action(async (flags: SimFlags) => {
      if (flags.dump) {
        const company = generateCompany({ seed: flags.seed, invoices: flags.invoices });
        await dumpDataset(company, flags.dump);
        process.stdout.write(
          `wrote ${company.summary.invoices} invoices (${company.summary.exceptions} open exceptions, seed ${flags.seed}) to ${flags.dump}\n`,
        );
        return;
      }
      await serveSampleCompany({ ...flags, keepRunning: true });
    });
}
