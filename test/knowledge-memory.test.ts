/**
 * Resolution memory and metadata filters on PGlite + pgvector through `pg`: a settled exception is
 * searchable at once, a human's final decision supersedes the agent's, filters narrow by kind,
 * exception type and supplier.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { createKnowledgeStore, createLocalEmbedder, type KnowledgeStoreAdmin } from '../src/knowledge/index.js';

let db: Db;
let store: KnowledgeStoreAdmin;

beforeAll(async () => {
  db = await openDb();
  await migrate(db);
  store = await createKnowledgeStore({
    db,
    embedder: createLocalEmbedder(),
    now: () => new Date('2026-03-02T10:00:00Z'),
  });
  await store.ingestDocument({
    id: 'policies/tolerance',
    title: 'Tolerance policy',
    kind: 'policy',
    text: '## AP-TOL-2.1 Price variance\nUnit price up to 5% and $250 over the PO price may be resolved.\n\n## AP-TOL-2.2 Quantity\nNothing billed beyond received.',
  });
  const rows = [
    {
      invoiceId: 11,
      supplierId: 1,
      exceptionType: 'price_variance',
      decision: 'resolve',
      summary: 'Unit price 2% above PO 7001, within AP-TOL-2.1; resolved.',
    },
    {
      invoiceId: 12,
      supplierId: 2,
      exceptionType: 'price_variance',
      decision: 'route',
      summary: 'Unit price 9% above PO 7002, outside AP-TOL-2.1; routed to ap.review.',
    },
    {
      invoiceId: 13,
      supplierId: 1,
      exceptionType: 'quantity_variance',
      decision: 'dispute',
      summary: 'Billed 12 units of a 10-unit PO line; disputed INCORRECT-QUANTITY.',
    },
    {
      invoiceId: 14,
      supplierId: 3,
      exceptionType: 'duplicate',
      decision: 'hold',
      summary: 'Same bill as invoice INV-0042 already paid; held per AP-DUP-1.1.',
    },
  ] as const;
  for (const r of rows) await store.recordResolution({ ...r, decidedBy: 'settle-agent', source: 'agent' });
});
afterAll(async () => {
  await db?.close();
});

describe('resolution memory', () => {
  it('makes a recorded resolution searchable immediately, with its facts', async () => {
    const recorded = await store.recordResolution({
      invoiceId: 21,
      supplierId: 4,
      supplierName: 'Globex Ltd',
      exceptionType: 'tax_variance',
      decision: 'route',
      decidedBy: 'settle-agent',
      source: 'agent',
      summary: 'Billed VAT at 21% on a reverse-charge service; routed to ap.review.',
    });
    expect(recorded).toEqual({ documentId: 'resolution/invoice-21/agent', superseded: false });
    const [hit] = await store.search('VAT charged on a reverse charge service', { kind: 'resolution', limit: 1 });
    expect(hit).toMatchObject({ document: 'resolution/invoice-21/agent', kind: 'resolution', sectionId: null });
    expect(hit!.text).toContain('Globex Ltd');
    expect(hit!.metadata).toMatchObject({
      exception_type: 'tax_variance',
      decision: 'route',
      supplier_id: '4',
      invoice_id: '21',
      source: 'agent',
      decided_at: '2026-03-02T10:00:00.000Z',
    });
  });

  it("lets a human's final decision supersede the agent's for the same invoice", async () => {
    const human = await store.recordResolution({
      invoiceId: 11,
      supplierId: 1,
      exceptionType: 'price_variance',
      decision: 'route',
      decidedBy: 'ap.review',
      source: 'human',
      summary: 'Supplier is under 90 days old (AP-SUP-3.1): should have been routed, not resolved.',
    });
    expect(human.superseded).toBe(false);
    const hits = await store.search('price variance invoice 11', {
      kind: 'resolution',
      exceptionType: 'price_variance',
      limit: 10,
    });
    const documents = hits.map((h) => h.document);
    expect(documents).toContain('resolution/invoice-11/human');
    expect(documents).not.toContain('resolution/invoice-11/agent');
    const withHistory = await store.search('price variance invoice 11', {
      kind: 'resolution',
      includeSuperseded: true,
      limit: 10,
    });
    expect(withHistory.find((h) => h.document === 'resolution/invoice-11/agent')?.metadata).toMatchObject({
      superseded: true,
    });
  });

  it('marks a late agent record for an invoice a human already decided as superseded', async () => {
    const late = await store.recordResolution({
      invoiceId: 11,
      supplierId: 1,
      exceptionType: 'price_variance',
      decision: 'resolve',
      decidedBy: 'settle-agent',
      source: 'agent',
      summary: 'Re-run: 2% above PO.',
    });
    expect(late).toEqual({ documentId: 'resolution/invoice-11/agent', superseded: true });
  });

  it('keeps history of a human-decided invoice superseded when the history file is ingested or edited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'settle-memory-'));
    try {
      const line = (summary: string): string =>
        `${JSON.stringify({ id: 'res-11', invoice_id: 11, supplier_id: 1, exception_type: 'price_variance', decision: 'resolve', decided_by: 'ap.review', decided_at: '2026-01-05T00:00:00Z', summary })}\n`;
      for (const summary of ['History: 2% over PO, resolved.', 'History (edited): 2% over PO, resolved.']) {
        writeFileSync(join(dir, 'past.jsonl'), line(summary));
        await store.ingestDirectory(dir);
        const visible = await store.search('2% over PO resolved', { kind: 'resolution', limit: 20 });
        expect(visible.map((h) => h.document)).not.toContain('res-11');
        const all = await store.search('2% over PO resolved', {
          kind: 'resolution',
          includeSuperseded: true,
          limit: 20,
        });
        expect(all.find((h) => h.document === 'res-11')?.text).toContain(summary);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replaces, not duplicates, a repeated record from the same source', async () => {
    await store.recordResolution({
      invoiceId: 14,
      supplierId: 3,
      exceptionType: 'duplicate',
      decision: 'hold',
      decidedBy: 'settle-agent',
      source: 'agent',
      summary: 'Second look: copy of INV-0042, held.',
    });
    const { rows } = await db.query<{ text: string }>(
      `select text from knowledge_chunks where document_id = 'resolution/invoice-14/agent'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.text).toContain('Second look');
  });

  it('validates its input', async () => {
    await expect(
      store.recordResolution({
        invoiceId: 0,
        exceptionType: 'price_variance',
        decision: 'resolve',
        decidedBy: 'x',
        source: 'agent',
        summary: 'x',
      }),
    ).rejects.toThrow(/invoiceId/);
    await expect(
      store.recordResolution({
        invoiceId: 5,
        exceptionType: 'weird' as 'other',
        decision: 'resolve',
        decidedBy: 'x',
        source: 'agent',
        summary: 'x',
      }),
    ).rejects.toThrow(/exceptionType/);
  });
});

describe('metadata filters', () => {
  it('filters by kind', async () => {
    const policies = await store.search('price above the PO', { kind: 'policy', limit: 10 });
    expect(policies.length).toBeGreaterThan(0);
    expect(new Set(policies.map((p) => p.kind))).toEqual(new Set(['policy']));
    const resolutions = await store.search('price above the PO', { kind: 'resolution', limit: 10 });
    expect(new Set(resolutions.map((p) => p.kind))).toEqual(new Set(['resolution']));
  });

  it('filters by exception type and by supplier, alone and together', async () => {
    const quantity = await store.search('price', { exceptionType: 'quantity_variance', limit: 10 });
    expect(quantity.map((h) => h.document)).toEqual(['resolution/invoice-13/agent']);
    const supplier1 = await store.search('billed above PO', { supplierId: 1, limit: 10 });
    expect(new Set(supplier1.map((h) => h.metadata.supplier_id))).toEqual(new Set(['1']));
    expect(supplier1.map((h) => h.document).sort()).toEqual([
      'resolution/invoice-11/human',
      'resolution/invoice-13/agent',
    ]);
    const both = await store.search('billed', { supplierId: '1', exceptionType: 'quantity_variance', limit: 10 });
    expect(both.map((h) => h.document)).toEqual(['resolution/invoice-13/agent']);
    expect(await store.search('billed', { supplierId: 99, limit: 10 })).toEqual([]);
  });

  it('applies the same filters to exact search', async () => {
    const exact = await store.exactSearch('price above PO', { kind: 'resolution', supplierId: 2, limit: 5 });
    expect(exact.map((h) => h.document)).toEqual(['resolution/invoice-12/agent']);
    expect(exact[0]!.score).toBeGreaterThan(0);
  });

  it('rejects options outside the schema', async () => {
    await expect(store.search('x', { limit: 0 })).rejects.toThrow();
    await expect(store.search('x', { exceptionType: 'nope' as 'other' })).rejects.toThrow();
  });
});
