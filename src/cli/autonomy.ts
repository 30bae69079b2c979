/**
 * `settle autonomy list|promote|check`: the autonomy rules in force (runtime changes first, then
 * the controls file's), a change by a person with the approver role (audited under their name),
 * and the rolling-window check that demotes slices whose agreement fell below their threshold.
 */
import { InvalidArgumentError, type Command } from 'commander';
import Table from 'cli-table3';
import { loadConfig } from '../config.js';
import { UserError } from '../errors.js';
import { AutonomyRule, Mode } from '../domain/controls.js';
import { ExceptionType } from '../domain/vocabulary.js';
import { createAuditLog } from '../audit/index.js';
import { controlsRules, describeRule } from '../guard/autonomy.js';
import { loadTokenDirectory } from '../mcp/auth.js';
import { openRunnerRuntime } from '../app/runner-runtime.js';
import { loadControls } from '../app/runtime.js';
import { changeSliceMode } from '../app/autonomy-actions.js';
import { runDemotionCheck } from '../app/autonomy-check.js';
import { createAutonomyStore } from '../shadow/autonomy-store.js';
import { formatIssues } from '../issues.js';

const list = (v: string, prev: string[] = []): string[] => [
  ...prev,
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

function parseExceptionType(v: string, prev: string[] = []): string[] {
  for (const t of list(v))
    if (!ExceptionType.safeParse(t).success)
      throw new InvalidArgumentError(`"${t}" is not an exception type (${ExceptionType.options.join(', ')})`);
  return list(v, prev);
}

interface PromoteFlags {
  type?: string[];
  supplier?: string[];
  tag?: string;
  min?: string;
  max?: string;
  mode: string;
  as: string;
  reason?: string;
  name?: string;
}

function ruleFrom(flags: PromoteFlags): AutonomyRule {
  const parsed = AutonomyRule.safeParse({
    ...(flags.name ? { name: flags.name } : {}),
    ...(flags.type?.length ? { exception_type: flags.type.length === 1 ? flags.type[0] : flags.type } : {}),
    ...(flags.supplier?.length ? { supplier: flags.supplier.length === 1 ? flags.supplier[0] : flags.supplier } : {}),
    ...(flags.tag ? { supplier_tag: flags.tag } : {}),
    ...(flags.min ? { amount_min: flags.min } : {}),
    ...(flags.max ? { amount_max: flags.max } : {}),
    mode: flags.mode,
  });
  if (!parsed.success) throw new UserError(`invalid rule: ${formatIssues(parsed.error, { root: 'rule' })}`);
  return parsed.data;
}

export function registerAutonomyCommand(program: Command): void {
  const autonomy = program
    .command('autonomy')
    .description('Earned autonomy per slice (exception type, supplier, amount): list, promote, check');
  autonomy
    .command('list')
    .description('The autonomy rules in force, first match wins')
    .action(async () => {
      const config = loadConfig();
      const controls = loadControls(config, undefined);
      const runtime = await openRunnerRuntime(config, { queue: false });
      try {
        const rules = [...(await createAutonomyStore(runtime.db).rules()), ...controlsRules(controls)];
        const table = new Table({ head: ['#', 'rule', 'source'], style: { head: [], border: [], compact: true } });
        rules.forEach((r, i) =>
          table.push([i + 1, r.rule.name ? `${r.rule.name}: ${describeRule(r.rule)}` : describeRule(r.rule), r.source]),
        );
        console.log(rules.length ? table.toString() : 'No autonomy rules.');
        console.log(`Everything else: global mode ${controls.mode}.`);
      } finally {
        await runtime.close();
      }
    });
  autonomy
    .command('promote')
    .description('Set the mode of a slice (a promotion, or a demotion when the mode is lower); audited under --as')
    .option('--type <types>', 'exception type(s), comma-separated', parseExceptionType)
    .option('--supplier <ids>', 'supplier id(s) or number(s), comma-separated', list)
    .option('--tag <tag>', 'a supplier tag from the controls (supplier_tags)')
    .option('--min <amount>', 'invoice total at least')
    .option('--max <amount>', 'invoice total below')
    .option('--name <name>', 'a short name for the rule')
    .requiredOption('--mode <mode>', `the slice's mode (${Mode.options.join(', ')})`)
    .requiredOption(
      '--as <login>',
      'the approver making the change (must hold the approver role in SETTLE_TOKENS_FILE / SETTLE_MCP_TOKENS)',
    )
    .option('--reason <text>', 'why (e.g. the report figures)')
    .action(async (flags: PromoteFlags) => {
      const config = loadConfig();
      const rule = ruleFrom(flags);
      const identity = loadTokenDirectory({ file: config.tokensFile, inline: config.mcpTokens }).byLogin(flags.as);
      if (!identity)
        throw new UserError(`"${flags.as}" is not a configured person (SETTLE_TOKENS_FILE / SETTLE_MCP_TOKENS)`);
      const controls = loadControls(config, undefined);
      const runtime = await openRunnerRuntime(config, { queue: false });
      try {
        const change = await changeSliceMode(
          { store: createAutonomyStore(runtime.db), audit: createAuditLog(runtime.db), controls },
          identity,
          rule,
          flags.reason ?? '',
        );
        console.log(
          `${change.kind}: ${describeRule(change.rule)} — by ${change.changedBy}, in force for the next tool call.`,
        );
      } finally {
        await runtime.close();
      }
    });
  autonomy
    .command('check')
    .description('Demote autonomous slices whose agreement over the rolling window fell below their threshold')
    .option(
      '--window <days>',
      'rolling window in days',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of days');
        return n;
      },
      30,
    )
    .action(async (opts: { window: number }) => {
      const config = loadConfig();
      const controls = loadControls(config, undefined);
      const runtime = await openRunnerRuntime(config, { queue: false });
      try {
        const demoted = await runDemotionCheck({ db: runtime.db, controls, now: new Date(), windowDays: opts.window });
        console.log(
          demoted.length
            ? demoted.map((d) => `demoted to assisted: ${describeRule(d.rule.rule)} — ${d.reason}`).join('\n')
            : 'Every autonomous slice is within its threshold.',
        );
      } finally {
        await runtime.close();
      }
    });
}
