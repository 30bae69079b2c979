/**
 * Delivering the digest: POST to Slack and/or Teams incoming webhooks, and a daily schedule for
 * `serve` on pg-boss's cron (stored in Postgres, so several `serve` processes send ONE digest).
 */
import type PgBoss from 'pg-boss';
import type { DigestData } from './digest.js';
import { toSlackBlocks, toTeamsMessage } from './digest-format.js';

export interface DigestTargets {
  slackUrl?: string | undefined;
  teamsUrl?: string | undefined;
}

export interface Delivery {
  target: 'slack' | 'teams';
  status: number;
}

/** Thrown when a webhook answers non-2xx (the body is kept short: it may echo our payload). */
export class DigestDeliveryError extends Error {
  override name = 'DigestDeliveryError';
  constructor(
    readonly target: Delivery['target'],
    readonly status: number,
    detail: string,
  ) {
    super(`${target} webhook answered ${status}${detail ? `: ${detail.slice(0, 200)}` : ''}`);
  }
}

async function post(
  target: Delivery['target'],
  url: string,
  payload: unknown,
  fetchImpl: typeof fetch,
): Promise<Delivery> {
  const response = await fetchImpl(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok) throw new DigestDeliveryError(target, response.status, await response.text().catch(() => ''));
  return { target, status: response.status };
}

/** Send to every configured target; each is attempted even if another fails. */
export async function sendDigest(
  data: DigestData,
  targets: DigestTargets,
  fetchImpl: typeof fetch = fetch,
): Promise<Delivery[]> {
  const sends: Array<Promise<Delivery>> = [];
  if (targets.slackUrl) sends.push(post('slack', targets.slackUrl, toSlackBlocks(data), fetchImpl));
  if (targets.teamsUrl) sends.push(post('teams', targets.teamsUrl, toTeamsMessage(data), fetchImpl));
  const results = await Promise.allSettled(sends);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<Delivery>).value);
}

export const DIGEST_QUEUE = 'settle-digest';

export interface DailyDigestOptions {
  /** Cron expression (default 08:00 every day). */
  cron?: string;
  /** IANA time zone of the cron (default UTC). */
  tz?: string;
  run: () => Promise<void>;
}

/**
 * Schedule the daily digest. Needs a queue created with `schedule: true`; the cron row lives in
 * Postgres, and whichever process fetches the tick runs `run` once.
 */
export async function scheduleDailyDigest(boss: PgBoss, options: DailyDigestOptions): Promise<void> {
  await boss.createQueue(DIGEST_QUEUE, { name: DIGEST_QUEUE, retryLimit: 3, retryDelay: 300, expireInSeconds: 300 });
  await boss.schedule(DIGEST_QUEUE, options.cron ?? '0 8 * * *', {}, { tz: options.tz ?? 'UTC' });
  await boss.work(DIGEST_QUEUE, async () => {
    await options.run();
  });
}
