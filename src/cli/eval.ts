/**
 * `settle eval`: replay a folder of historical cases (docs/case-format.md) against Settle and score
 * every run from the simulator's call log and state. Progress goes to stderr, the table and the
 * accuracy line to stdout. Exits non-zero when a case file could not be loaded, no case ran, any run
 * was unsafe or `--min-accuracy` is not met.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { DIALECTS, isDialect, type Dialect } from '../sim/dialects.js';
import type { Command } from 'commander';
import { llmConfigured } from '../llm/chat-model.js';
import { loadConfig } from '../config.js';
import { Mode } from '../domain/controls.js';
import { UserError } from '../errors.js';
import { caseJsonSchema, schemaText } from './json-schemas.js';
import { defaultConcurrency, runHarness, type HarnessOutput } from '../../evals/harness.js';
import { renderReport } from '../../evals/report-html.js';
import { formatFailures, formatHeadline, formatTable } from '../../evals/table.js';
import { dataPath } from '../paths.js';
import { evalLabels } from '../../evals/labels.js';
import { formatGrirEval, runGrirEval, type GrirEvalOutput } from '../../evals/grir-harness.js';
import { checkCalibration } from '../domain/reliability.js';
import { eceTable, reliabilityText } from '../shadow/calibration-text.js';

export const DEFAULT_CASES_DIR = dataPath('evals', 'cases');
/** The GR/IR cases (evals/grir-harness.ts), replayed after the exception cases and reported beside them. */
export const DEFAULT_GRIR_CASES_DIR = dataPath('evals', 'grir');

interface EvalFlags {
  cases: string;
  brain: string;
  mode?: string;
  dialect?: string;
  trials: string;
  filter?: string;
  json?: string;
  report?: string;
  minAccuracy?: string;
  concurrency?: string;
  schema?: boolean;
  grirCases: string | false;
}

function positiveInt(flag: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UserError(`${flag} takes a positive integer, got "${value}"`);
  return Number(value);
}

/** `0.95`, `95` or `95%` → 0.95. */
export function parseAccuracy(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(value.trim());
  if (!m) throw new UserError(`--min-accuracy takes a share (0.95) or a percentage (95%), got "${value}"`);
  const n = Number(m[1]);
  const share = m[2] === '%' || n > 1 ? n / 100 : n;
  if (share > 1) throw new UserError(`--min-accuracy cannot exceed 100%, got "${value}"`);
  return share;
}

function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Why the run must not pass a CI gate, one line each; empty when it may. A case file that could not
 * be loaded and a run where no case ran fail on their own: a gate that passes on a truncated or
 * empty folder checks nothing.
 */
export function evalFailures(output: HarnessOutput, minAccuracy: number | undefined): string[] {
  const reasons: string[] = [];
  if (output.invalid.length > 0)
    reasons.push(`${output.invalid.length} case file(s) could not be loaded (listed above on stderr)`);
  if (output.summary.runs === 0) reasons.push('no case ran (empty folder, or --filter matched nothing)');
  if (output.summary.unsafe > 0)
    reasons.push(`${output.summary.unsafe} unsafe case(s): ${output.summary.unsafe_cases.join(', ')}`);
  if (minAccuracy !== undefined && output.summary.runs > 0 && output.summary.accuracy < minAccuracy) {
    reasons.push(
      `accuracy ${(output.summary.accuracy * 100).toFixed(1)}% is below --min-accuracy ${(minAccuracy * 100).toFixed(1)}%`,
    );
  }
  return reasons;
}

/**
 * How well the agent's confidence matched this run's outcomes: ECE and the reliability diagram of
 * the raw score, and of a calibration fitted on the other folds of the same run (held back).
 */
export function calibrationSection(output: HarnessOutput): string {
  const labels = evalLabels(output.cases);
  if (labels.length < 2) return 'Confidence: too few runs with a verdict to judge calibration.';
  const check = checkCalibration(labels);
  return [
    'Confidence against outcomes (a run is right when it passed every check; calibrated = fitted on the other 4 of 5 folds):',
    eceTable(check.overall, check.by_type),
    reliabilityText('Reliability, raw confidence', check.overall.raw),
    reliabilityText('Reliability, calibrated (held back)', check.overall.calibrated),
    'Store a calibration from this run with `settle calibrate fit --labels FILE` (FILE from --json).',
  ].join('\n');
}

/** The GR/IR cases, unless left out or their folder is absent; progress on stderr. */
async function grirEval(flags: EvalFlags): Promise<GrirEvalOutput | undefined> {
  if (flags.grirCases === false || !existsSync(flags.grirCases)) return undefined;
  progress(`settle eval: GR/IR cases from ${flags.grirCases}…`);
  const out = await runGrirEval(flags.grirCases, { filter: flags.filter });
  return out.cases > 0 ? out : undefined;
}

/** Exit status: 1 when any of `evalFailures` applies. */
export function evalExitCode(output: HarnessOutput, minAccuracy: number | undefined): number {
  return evalFailures(output, minAccuracy).length > 0 ? 1 : 0;
}

export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('Replay historical exception cases against Settle and score every decision (see evals/README.md)')
    .option('--cases <dir>', 'folder of case files (*.json, docs/case-format.md)', DEFAULT_CASES_DIR)
    .option(
      '--brain <brain>',
      'planner | llm (llm needs SETTLE_MODEL and OPENAI_API_KEY or OPENAI_BASE_URL)',
      'planner',
    )
    .option('--mode <mode>', 'run every case in this mode instead of its own (monitor | assisted | autonomous)')
    .option(
      '--dialect <name>',
      `serve the cases' Coupa records in a variant shape: ${DIALECTS.join(' | ')} (default coupa)`,
    )
    .option('--trials <k>', 'run each case K times; reports pass^k next to pass@1', '1')
    .option(
      '--grir-cases <dir>',
      'folder of GR/IR case files, replayed after the exception cases',
      DEFAULT_GRIR_CASES_DIR,
    )
    .option('--no-grir-cases', 'leave the GR/IR cases out')
    .option('--filter <tag>', 'only cases carrying this tag (e.g. injection, ci, price_variance)')
    .option('--json <file>', 'write the results as JSON (docs/case-format.md "Output")')
    .option('--report <file>', 'write a self-contained HTML report')
    .option('--min-accuracy <x>', 'exit non-zero below this accuracy (0.95 or 95%)')
    .option('--concurrency <n>', `parallel slots, one database each (default: cores, ${defaultConcurrency()})`)
    .option('--schema', 'print the JSON Schema of a case file (docs/case-format.md) and exit')
    .action(async (flags: EvalFlags) => {
      if (flags.schema) return void process.stdout.write(schemaText(caseJsonSchema()));
      if (!existsSync(flags.cases)) {
        throw new UserError(
          `no cases folder ${flags.cases}: pass --cases DIR, a folder of case files (docs/case-format.md)`,
        );
      }
      if (flags.brain !== 'planner' && flags.brain !== 'llm')
        throw new UserError(`--brain takes planner or llm, got "${flags.brain}"`);
      const mode = flags.mode === undefined ? undefined : Mode.safeParse(flags.mode);
      if (mode && !mode.success)
        throw new UserError(`--mode takes monitor, assisted or autonomous, got "${flags.mode}"`);
      if (flags.dialect !== undefined && !isDialect(flags.dialect))
        throw new UserError(`--dialect takes ${DIALECTS.join(', ')}, got "${flags.dialect}"`);
      const dialect = flags.dialect as Dialect | undefined;
      const trials = positiveInt('--trials', flags.trials);
      const concurrency = flags.concurrency === undefined ? undefined : positiveInt('--concurrency', flags.concurrency);
      const minAccuracy = flags.minAccuracy === undefined ? undefined : parseAccuracy(flags.minAccuracy);
      const config = loadConfig();
      if (flags.brain === 'llm' && !llmConfigured(config)) {
        throw new UserError('--brain llm needs a model: set SETTLE_MODEL and OPENAI_API_KEY (or OPENAI_BASE_URL)');
      }

      const started = Date.now();
      const output = await runHarness({
        casesDir: flags.cases,
        config,
        brain: flags.brain,
        mode: mode?.data,
        dialect,
        trials,
        filter: flags.filter,
        ...(concurrency ? { concurrency } : {}),
        onLoaded: ({ cases, invalid, runs, concurrency: slots }) => {
          for (const bad of invalid) progress(`settle eval: invalid case file ${bad.error}`);
          progress(`settle eval: ${cases} case(s), ${runs} run(s) on ${slots} slot(s); opening databases…`);
        },
        onResult: (r, done, total) => {
          const verdict = r.verdict ? `${r.verdict.exception_type}/${r.verdict.decision}` : 'no verdict';
          const status = r.unsafe ? 'UNSAFE' : r.passed ? 'pass' : 'FAIL';
          progress(
            `[${done}/${total}] ${status.padEnd(6)} ${r.id} → ${verdict} (${r.coupa_calls} calls, ${r.ms} ms, ${Math.round((Date.now() - started) / 1000)} s)`,
          );
        },
      });

      console.log(formatTable(output));
      const failures = formatFailures(output);
      if (failures) console.log(`\n${failures}`);
      console.log(`\n${calibrationSection(output)}`);
      if (flags.json) writeFileSync(flags.json, `${JSON.stringify(output, null, 2)}\n`);
      if (flags.report) writeFileSync(flags.report, renderReport(output));
      console.log(`\n${formatHeadline(output)}`);
      const grir = await grirEval(flags);
      if (grir) console.log(formatGrirEval(grir));
      if (output.invalid.length)
        console.log(`${output.invalid.length} invalid case file(s) skipped (listed above on stderr)`);
      const gateFailures = evalFailures(output, minAccuracy);
      if (grir && grir.passed < grir.cases) gateFailures.push(`${grir.cases - grir.passed} GR/IR case(s) failed`);
      for (const reason of gateFailures) console.error(`settle eval: ${reason}`);
      process.exitCode = gateFailures.length > 0 ? 1 : 0;
    });
}
