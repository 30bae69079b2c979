/**
 * The cached read layer the tools use, against the simulator over real HTTP: supplier history is
 * shared between exceptions of one supplier and month, and a write shows through it at once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRecordSource, type RecordSource } from '../src/coupa/record-source.js';
import { IDS, startHarness, type Harness } from './coupa-client.fixture.js';

const HISTORY = /^\/api\/invoices$/;

describe('record source: supplier history', () => {
  let h: Harness;
  let records: RecordSource;
  beforeEach(async () => {
    h = await startHarness();
    records = createRecordSource(h.client);
  });
  afterEach(async () => {
    await h.sim.close();
  });

  it('serves windows that open in the same month from one read, each filtered to its own start', async () => {
    const wide = await records.supplierInvoices(IDS.supplier, '2026-02-01');
    const narrow = await records.supplierInvoices(IDS.supplier, '2026-02-11');
    expect(h.calls('GET', HISTORY)).toHaveLength(1);
    expect(wide.map((i) => i.id)).toContain(IDS.heldInvoice);
    expect(wide.every((i) => i.supplier?.id === IDS.supplier)).toBe(true);
    // Every invoice of the small company is dated 2026-02-10: none opens a window from the 11th.
    expect(narrow).toEqual([]);
    await records.supplierInvoices(IDS.supplier, '2026-03-01');
    expect(h.calls('GET', HISTORY)).toHaveLength(2);
  });

  it('patches a written invoice into the cached history instead of serving its old state', async () => {
    const before = await records.supplierInvoices(IDS.supplier, '2026-02-01');
    expect(before.find((i) => i.id === IDS.heldInvoice)?.status).toBe('ap_hold');
    const updated = await h.client.dispute(IDS.heldInvoice, {
      reasonCode: 'INCORRECT-PRICE',
      comment: 'price above PO',
    });
    records.afterWrite(IDS.heldInvoice, updated);
    const after = await records.supplierInvoices(IDS.supplier, '2026-02-01');
    expect(after.find((i) => i.id === IDS.heldInvoice)?.status).toBe('disputed');
    expect(h.calls('GET', HISTORY)).toHaveLength(1);
  });

  it('re-reads the history when a write did not return the invoice', async () => {
    await records.supplierInvoices(IDS.supplier, '2026-02-01');
    await h.client.dispute(IDS.heldInvoice, { reasonCode: 'INCORRECT-PRICE' });
    records.afterWrite(IDS.heldInvoice);
    const after = await records.supplierInvoices(IDS.supplier, '2026-02-01');
    expect(h.calls('GET', HISTORY)).toHaveLength(2);
    expect(after.find((i) => i.id === IDS.heldInvoice)?.status).toBe('disputed');
  });
});
