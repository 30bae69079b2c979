/**
 * Case isolation in a reused slot: what one case adds to the store (documents, past resolutions,
 * an overwritten project document, proposals, settings) is gone before the next case runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { parseCaseText, type LoadedCase } from '../evals/load-cases.js';
import { runCase } from '../evals/run-case.js';
import { openSlot, type EvalSlot } from '../evals/slot.js';

const config = loadConfig({});

function loadProjectCase(file: string, patch: (c: Record<string, unknown>) => void = () => undefined): LoadedCase {
  const raw = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'evals', 'cases', file), 'utf8')) as Record<
    string,
    unknown
  >;
  patch(raw);
  const loaded = parseCaseText(file, JSON.stringify(raw));
  if ('error' in loaded) throw new Error(loaded.error);
  return loaded;
}

describe('eval slot isolation', () => {
  let slot: EvalSlot;
  beforeAll(async () => {
    slot = await openSlot(config);
  }, 300_000);
  afterAll(async () => {
    await slot.close();
  });

  it("removes a case's documents and restores a project document it overwrote", async () => {
    const { rows: before } = await slot.db.query<{ id: string; content_hash: string }>(
      `select id, content_hash from knowledge_documents where kind = 'policy' order by id limit 1`,
    );
    const project = before[0]!;
    const kase = loadProjectCase('hard-mode-assisted-price-within.json', (c) => {
      c.knowledge = {
        documents: [
          { id: 'zebra-doc', title: 'Zebra', text: '# Zebra\n\nquokkazebra appears only in this case.' },
          { id: project.id, title: 'Overwritten', text: '# Overwritten\n\nA case replaced this policy.' },
        ],
        resolutions: [
          { 'invoice-id': 77, exception_type: 'price_variance', decision: 'resolve', summary: 'quokkazebra precedent' },
        ],
      };
    });
    const record = await runCase(slot, kase.case, config, { brain: 'planner', trial: 1 });
    expect(record.error).toBeUndefined();
    expect(record.proposals.length).toBeGreaterThan(0); // assisted mode stored a proposal
    const { rows: during } = await slot.db.query<{ content_hash: string }>(
      'select content_hash from knowledge_documents where id = $1',
      [project.id],
    );
    expect(during[0]?.content_hash).not.toBe(project.content_hash); // the case really did overwrite it
    expect((await slot.knowledge.search('quokkazebra', { limit: 5 })).some((c) => c.text.includes('quokkazebra'))).toBe(
      true,
    );

    // The next case starts from the reset: nothing of the previous one is visible.
    await slot.reset();
    expect(
      (await slot.knowledge.search('quokkazebra', { limit: 5 })).filter((c) => c.text.includes('quokkazebra')),
    ).toEqual([]);
    const { rows: after } = await slot.db.query<{ content_hash: string }>(
      'select content_hash from knowledge_documents where id = $1',
      [project.id],
    );
    expect(after[0]?.content_hash).toBe(project.content_hash);
    expect((await slot.db.query('select 1 from proposals')).rowCount).toBe(0);
    expect((await slot.db.query('select 1 from idempotency_keys')).rowCount).toBe(0);
    expect((await slot.db.query('select 1 from settlements')).rowCount).toBe(0);
  }, 120_000);

  it('reads only the audit rows of its own run', async () => {
    const kase = loadProjectCase('hard-event-bare.json');
    const first = await runCase(slot, kase.case, config, { brain: 'planner', trial: 1 });
    const second = await runCase(slot, kase.case, config, { brain: 'planner', trial: 2 });
    expect(second.audit.length).toBe(first.audit.length);
    expect(Math.min(...second.audit.map((a) => a.seq))).toBeGreaterThan(Math.max(...first.audit.map((a) => a.seq)));
    // The same decision both times: idempotency keys of the first run did not turn the second into replays.
    expect(second.writes.map((w) => w.action)).toEqual(first.writes.map((w) => w.action));
  }, 120_000);
});
