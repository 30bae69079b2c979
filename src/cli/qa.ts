/** `settle qa report [--json FILE]`: how the agent's autonomous settlements fare in sampled human review. */
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { withStoreRuntime } from '../app/runner-runtime.js';
import { createQaStore } from '../shadow/qa-store.js';
import { buildQaReport, qaReportText } from '../shadow/qa-report.js';
import { writeJsonFile } from './json-file.js';

export function registerQaCommand(program: Command): void {
  const qa = program.command('qa').description('Quality assurance of autonomous settlements: sampled human review');
  qa.command('report')
    .description('QA agreement per exception type, with 95% intervals, false releases and what waits for review')
    .option('--json <file>', 'also write the report as JSON')
    .action(async (opts: { json?: string }) => {
      await withStoreRuntime(loadConfig(), async (runtime) => {
        const report = buildQaReport(await createQaStore(runtime.db).list());
        console.log(qaReportText(report));
        if (opts.json) await writeJsonFile(opts.json, report);
      });
    });
}
