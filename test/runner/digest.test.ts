/**
 * The digest: computed from settlements in a throwaway Postgres, posted to a local HTTP receiver
 * standing in for Slack and Teams, which checks the payload formats.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDigest, parseSince } from '../../src/runner/digest.js';
import { DigestDeliveryError, sendDigest } from '../../src/runner/digest-send.js';
import { recordSettlement } from '../../src/runner/settlements.js';
import { createTestDatabase, type TestDatabase } from './pg-helper.js';

const NOW = new Date('2026-03-10T08:00:00Z');
const hoursAgo = (h: number): Date => new Date(NOW.getTime() - h * 3_600_000);

let tdb: TestDatabase;
let receiver: Server;
let receiverUrl: string;
const received: Array<{ path: string; contentType: string | undefined; body: Record<string, unknown> }> = [];

beforeAll(async () => {
  tdb = await createTestDatabase();
  const rows = [
    {
      invoiceId: 1,
      supplierId: 10,
      supplierName: 'Acme Corp',
      exceptionType: 'price_variance',
      decision: 'resolve',
      executed: true,
      rootCause: 'price_increase',
      settledAt: hoursAgo(2),
    },
    {
      invoiceId: 2,
      supplierId: 10,
      supplierName: 'Acme Corp',
      exceptionType: 'missing_receipt',
      decision: 'route',
      executed: true,
      rootCause: 'receipt_not_entered',
      routeTo: 'jlee',
      settledAt: hoursAgo(20),
    },
    {
      invoiceId: 3,
      supplierId: 11,
      supplierName: '<!channel> *Evil* [x](http://evil)',
      exceptionType: 'duplicate',
      decision: 'hold',
      executed: true,
      rootCause: 'resubmitted',
      settledAt: hoursAgo(5),
    },
    {
      invoiceId: 4,
      supplierId: 12,
      supplierName: 'Bolt Ltd',
      exceptionType: 'price_variance',
      decision: 'resolve',
      executed: false,
      rootCause: 'price_increase',
      settledAt: hoursAgo(1),
    },
    // Invoice 5 was first routed, then (re-triggered) resolved: only the latest counts.
    {
      invoiceId: 5,
      supplierId: 12,
      supplierName: 'Bolt Ltd',
      exceptionType: 'missing_receipt',
      decision: 'route',
      executed: true,
      rootCause: 'receipt_not_entered',
      routeTo: 'kim',
      settledAt: hoursAgo(10),
    },
    {
      invoiceId: 5,
      supplierId: 12,
      supplierName: 'Bolt Ltd',
      exceptionType: 'missing_receipt',
      decision: 'resolve',
      executed: true,
      rootCause: 'receipt_not_entered',
      settledAt: hoursAgo(3),
    },
    // Outside the 24 h window, but still waiting: listed under waiting, not counted as new.
    {
      invoiceId: 6,
      supplierId: 13,
      supplierName: 'Old Co',
      exceptionType: 'missing_po',
      decision: 'route',
      executed: true,
      rootCause: 'no_po',
      routeTo: 'pat',
      settledAt: hoursAgo(72),
    },
  ];
  for (const row of rows) await recordSettlement(tdb.db, { ...row, verdict: { summary: `invoice ${row.invoiceId}` } });
  receiver = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        body: JSON.parse(data) as Record<string, unknown>,
      });
      res.statusCode = req.url === '/broken' ? 500 : 200;
      res.end(req.url === '/broken' ? 'no' : 'ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
  await tdb?.drop();
});

describe('digest', () => {
  it('counts the latest settlement per invoice in the window', async () => {
    const d = await computeDigest(tdb.db, { since: parseSince('24h', NOW), until: NOW });
    expect(d.newExceptions).toBe(5);
    expect(d.autoResolved).toBe(2); // invoices 1 and 5 (4 was not executed)
    expect(d.byType).toEqual([
      { key: 'missing_receipt', count: 2 },
      { key: 'price_variance', count: 2 },
      { key: 'duplicate', count: 1 },
    ]);
    expect(d.byRootCause[0]).toEqual({ key: 'price_increase', count: 2 });
    // Waiting for people, oldest first: routed 6 (3 days), routed 2, held 3, unexecuted 4.
    expect(d.waiting.map((w) => w.invoiceId)).toEqual([6, 2, 3, 4]);
    expect(d.waitingTotal).toBe(4);
    expect(d.topSuppliers.slice(0, 2)).toEqual([
      { key: 'Acme Corp', count: 2 },
      { key: 'Bolt Ltd', count: 2 },
    ]);
  });

  it('posts Slack Block Kit and a Teams Adaptive Card, escaping supplier text', async () => {
    const d = await computeDigest(tdb.db, { since: parseSince('24h', NOW), until: NOW });
    const sent = await sendDigest(d, { slackUrl: `${receiverUrl}/slack`, teamsUrl: `${receiverUrl}/teams` });
    expect(sent.map((s) => s.target).sort()).toEqual(['slack', 'teams']);

    const slack = received.find((r) => r.path === '/slack')!;
    expect(slack.contentType).toBe('application/json');
    expect(slack.body.text).toMatch(/5 new exceptions, 2 auto-resolved, 4 waiting/);
    type Block = { type: string; text?: { type: string }; fields?: Array<{ type: string }> };
    const blocks = slack.body.blocks as Block[];
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Settle daily digest' } });
    for (const block of blocks) {
      expect(['header', 'section', 'divider', 'context']).toContain(block.type);
      if (block.type === 'section') expect(block.text?.type ?? block.fields?.[0]?.type).toBe('mrkdwn');
    }
    const slackText = JSON.stringify(blocks);
    expect(slackText).toContain('&lt;!channel&gt;');
    expect(slackText).not.toContain('<!channel>');
    expect(slackText).toMatch(/invoice 6 · Old Co · missing_po · route → pat · 3d/);

    const teams = received.find((r) => r.path === '/teams')!;
    expect(teams.body.type).toBe('message');
    type CardElement = { type: string; text?: string; facts?: unknown };
    const [attachment] = teams.body.attachments as Array<{ contentType: string; content: { body: CardElement[] } }>;
    expect(attachment!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(attachment!.content).toMatchObject({
      type: 'AdaptiveCard',
      version: '1.4',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    });
    const body = attachment!.content.body;
    for (const element of body) expect(['TextBlock', 'FactSet']).toContain(element.type);
    expect(body.find((e) => e.type === 'FactSet')?.facts).toEqual([
      { title: 'New exceptions', value: '5' },
      { title: 'Auto-resolved', value: '2' },
      { title: 'Waiting for people', value: '4' },
    ]);
    const evil = body.find((e) => e.type === 'TextBlock' && String(e.text).startsWith('invoice 3'));
    expect(evil?.text).toContain('\\[x\\]\\(http://evil\\)');
  });

  it('reports a webhook that refuses the post', async () => {
    const d = await computeDigest(tdb.db, { since: parseSince('24h', NOW), until: NOW });
    await expect(sendDigest(d, { slackUrl: `${receiverUrl}/broken` })).rejects.toBeInstanceOf(DigestDeliveryError);
  });

  it('parses --since windows and rejects nonsense', () => {
    expect(parseSince('90m', NOW).toISOString()).toBe('2026-03-10T06:30:00.000Z');
    expect(parseSince('7d', NOW).toISOString()).toBe('2026-03-03T08:00:00.000Z');
    expect(parseSince('2026-03-01T00:00:00Z').toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(() => parseSince('yesterday')).toThrow(/--since/);
  });
});
