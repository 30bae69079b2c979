/**
 * `settle shadow report [--json FILE] [--since DATE]`: how often the agent's shadow decisions
 * matched the people's — per exception type, supplier and amount band, with 95% intervals, the
 * disagreements by kind, the false auto-release value, and a recommended mode per type.
 */
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { UserError } from '../errors.js';
import { withStoreRuntime } from '../app/runner-runtime.js';
import { parseSince } from '../runner/digest.js';
import { buildShadowReport } from '../shadow/report.js';
import { shadowReportText } from '../shadow/report-text.js';
import { createShadowStore } from '../shadow/store.js';
import { writeJsonFile } from './json-file.js';

export function registerShadowCommand(program: Command): void {
  const shadow = program
    .command('shadow')
    .description('Shadow mode: the agent decides, writes nothing, and is compared with what people decided');
  shadow
    .command('report')
    .description(
      "Agreement between the agent's shadow decisions and the people's, per exception type, supplier and amount band",
    )
    .option('--json <file>', 'also write the report as JSON')
    .option('--since <date>', 'only cases decided since: an ISO date, or 24h, 7d …')
    .option(
      '--suppliers <n>',
      'suppliers listed in the table (most cases first)',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n <= 0) throw new UserError(`--suppliers takes a positive integer, got "${v}"`);
        return n;
      },
      10,
    )
    .action(async (opts: { json?: string; since?: string; suppliers: number }) => {
      let since: Date | null = null;
      if (opts.since) {
        try {
          since = parseSince(opts.since);
        } catch (error) {
          throw new UserError((error as Error).message);
        }
      }
      await withStoreRuntime(loadConfig(), async (runtime) => {
        const report = buildShadowReport(await createShadowStore(runtime.db).list(since ? { since } : {}), since);
        console.log(shadowReportText(report, { suppliers: opts.suppliers }));
        if (opts.json) await writeJsonFile(opts.json, report);
      });
    });
}
