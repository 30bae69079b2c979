/**
 * `settle digest [--since 24h] [--slack URL] [--teams URL] [--dry-run]`: the exception digest,
 * posted to Slack (Block Kit) and/or Teams (Adaptive Card); `--dry-run` prints the payloads.
 */
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { UserError } from '../errors.js';
import { computeDigest, parseSince } from '../runner/digest.js';
import { toSlackBlocks, toTeamsMessage } from '../runner/digest-format.js';
import { sendDigest } from '../runner/digest-send.js';
import { openRunnerRuntime } from '../app/runner-runtime.js';

function httpUrl(flag: string): (value: string) => string {
  return (value) => {
    if (!/^https?:\/\/\S+$/.test(value)) throw new UserError(`${flag} takes an http(s) URL, got "${value}"`);
    return value;
  };
}

export function registerDigestCommand(program: Command): void {
  program
    .command('digest')
    .description(
      'Post the exception digest (new, auto-resolved, waiting for people, top suppliers) to Slack and/or Teams',
    )
    .option('--since <window>', 'window: 24h, 90m, 7d or an ISO date', '24h')
    .option('--slack <url>', 'Slack incoming webhook URL (default SETTLE_SLACK_WEBHOOK_URL)', httpUrl('--slack'))
    .option('--teams <url>', 'Teams incoming webhook URL (default SETTLE_TEAMS_WEBHOOK_URL)', httpUrl('--teams'))
    .option('--dry-run', 'print the Slack and Teams payloads instead of posting them')
    .action(async (opts: { since: string; slack?: string; teams?: string; dryRun?: boolean }) => {
      let since: Date;
      try {
        since = parseSince(opts.since);
      } catch (error) {
        throw new UserError((error as Error).message);
      }
      const config = loadConfig();
      const targets = {
        slackUrl: opts.slack ?? config.slackWebhookUrl,
        teamsUrl: opts.teams ?? config.teamsWebhookUrl,
      };
      if (!opts.dryRun && !targets.slackUrl && !targets.teamsUrl) {
        throw new UserError(
          'nowhere to post: pass --slack/--teams, set SETTLE_SLACK_WEBHOOK_URL/SETTLE_TEAMS_WEBHOOK_URL, or use --dry-run',
        );
      }
      const runtime = await openRunnerRuntime(config, { queue: false });
      try {
        const digest = await computeDigest(runtime.db, { since });
        if (opts.dryRun) {
          process.stdout.write(
            `${JSON.stringify({ slack: toSlackBlocks(digest), teams: toTeamsMessage(digest) }, null, 2)}\n`,
          );
          return;
        }
        const sent = await sendDigest(digest, targets);
        process.stderr.write(`settle: digest posted (${sent.map((d) => `${d.target} ${d.status}`).join(', ')})\n`);
      } finally {
        await runtime.close();
      }
    });
}
