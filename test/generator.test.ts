/**
 * The sample-company generator: deterministic bytes, the exception mix it claims, and labels that
 * agree with the records (each label's invoice exists, is held, and shows the planted problem).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ExceptionType } from '../src/domain/vocabulary.js';
import {
  EXCEPTION_MIX,
  generateCompany,
  serializeCompany,
  type ExceptionLabel,
  type SampleCompany,
} from '../src/sim/generator/index.js';
import { allocate } from '../src/sim/generator/mix.js';
import { company, DAY_MS, groupBy, normaliseNumber, supplierId } from './generator.fixture.js';

/** A tax-engine branch or registry mismatch planted for issue 23. */
const isPlanted = (l: ExceptionLabel): boolean => l.tags.includes('tax_engine') || l.tags.includes('registry');

function sha256(c: SampleCompany): string {
  const hash = createHash('sha256');
  for (const chunk of serializeCompany(c)) hash.update(chunk);
  return hash.digest('hex');
}

describe('determinism', () => {
  it('gives byte-identical JSON for the same seed and size', () => {
    const a = generateCompany({ seed: 11, invoices: 400 });
    const b = generateCompany({ seed: 11, invoices: 400 });
    expect(sha256(a)).toBe(sha256(b));
  });

  it('gives a different company for another seed', () => {
    expect(sha256(generateCompany({ seed: 12, invoices: 400 }))).not.toBe(
      sha256(generateCompany({ seed: 11, invoices: 400 })),
    );
  });

  it('dates everything relative to `now`, never the real clock', () => {
    const c = generateCompany({ seed: 3, invoices: 200, now: '2030-06-01T00:00:00Z' });
    const latest = Math.max(...c.dataset.invoices.map((i) => Date.parse(String(i['created-at']))));
    expect(latest).toBeLessThanOrEqual(Date.parse('2030-06-01T00:00:00Z'));
    expect(latest).toBeGreaterThan(Date.parse('2030-05-01T00:00:00Z'));
  });

  it('creates exactly the number of invoices asked for, plus one per planted outside-source case', () => {
    for (const n of [50, 137, 1000]) {
      const c = generateCompany({ seed: 5, invoices: n });
      expect(c.dataset.invoices).toHaveLength(n + c.exceptions.filter(isPlanted).length);
      expect(generateCompany({ seed: 5, invoices: n, externalCases: false }).dataset.invoices).toHaveLength(n);
    }
  });

  it('refuses sizes below the minimum and bad seeds', () => {
    expect(() => generateCompany({ seed: 1, invoices: 10 })).toThrow(/invoices/);
    expect(() => generateCompany({ seed: -1, invoices: 100 })).toThrow(/seed/);
  });
});

describe('the planted outside-source cases only append', () => {
  // Drawn from a stream of their own after everything else: the company without them is the
  // company with them, minus the records at the end (ids, labels and history unchanged).
  it.each([
    [7, 1200],
    [9, 300],
  ])('seed %i, %i invoices: every other record is identical', (seed, invoices) => {
    const without = generateCompany({ seed, invoices, externalCases: false });
    const withThem = generateCompany({ seed, invoices });
    const planted = withThem.exceptions.filter(isPlanted);
    expect(planted).toHaveLength(8);
    for (const [kind, records] of Object.entries(without.dataset)) {
      const all = withThem.dataset[kind as keyof typeof without.dataset];
      expect(JSON.stringify(all.slice(0, records.length)), kind).toBe(JSON.stringify(records));
    }
    expect(withThem.dataset.invoices.slice(-8).map((i) => i.id)).toEqual(planted.map((l) => l.invoiceId));
    expect(withThem.exceptions.filter((l) => !isPlanted(l))).toEqual(without.exceptions);
    expect(withThem.history).toEqual(without.history);
  });
});

describe('exception mix', () => {
  const c = company();

  it('has every exception type, in the allotted counts, and the summary matches a recount of the labels', () => {
    const recount = Object.fromEntries(
      ExceptionType.options.map((t) => [t, c.exceptions.filter((l) => l.exceptionType === t).length]),
    );
    expect(c.summary.byType).toEqual(recount);
    // The mix's allocation, plus the tax-engine branches and registry mismatches planted on top.
    const planted = c.exceptions.filter(isPlanted);
    const allotted = allocate(c.exceptions.length - planted.length);
    for (const l of planted) allotted[l.exceptionType]++;
    expect(recount).toEqual(allotted);
    for (const type of ExceptionType.options) {
      expect(recount[type], type).toBeGreaterThan(0);
      expect(c.summary.claimedMix[type]).toBeCloseTo((recount[type] ?? 0) / c.exceptions.length, 10);
      // At 2000 invoices the per-type minimum barely moves the ordinary shares off the documented mix.
      const ordinary =
        ((recount[type] ?? 0) - planted.filter((l) => l.exceptionType === type).length) /
        (c.exceptions.length - planted.length);
      expect(Math.abs(ordinary - EXCEPTION_MIX[type]), type).toBeLessThan(0.02);
    }
    expect(recount.price_variance).toBe(Math.max(...Object.values(recount)));
  });

  it('plants each tax-engine branch and registry mismatch once, labelled as the tax workflow decides', () => {
    const one = (tag: string): ExceptionLabel => {
      const found = c.exceptions.filter((l) => l.tags.includes(tag));
      expect(found, tag).toHaveLength(1);
      return found[0]!;
    };
    const verdict = (tag: string): string => {
      const l = one(tag);
      return [l.exceptionType, l.expectedDecision, l.routeTo ?? '-', l.disputeReason ?? '-'].join('/');
    };
    expect(verdict('tax_branch_a')).toBe('tax_variance/resolve/-/-');
    expect(verdict('tax_branch_b')).toBe('tax_variance/dispute/-/TAX-ERROR');
    expect(verdict('tax_branch_c')).toBe('tax_variance/route/tax.team/-');
    expect(verdict('tax_branch_d')).toBe('tax_variance/route/tax.team/-');
    for (const m of ['vat_id_invalid', 'iban_invalid', 'iban_country_differs', 'tin_invalid'])
      expect(verdict(`registry_${m}`)).toBe('supplier_data_mismatch/hold/-/-');
    // The tax-engine invoices say where the goods went and carry tax per line.
    for (const b of ['a', 'b', 'c', 'd']) {
      const inv = c.dataset.invoices.find((i) => i.id === one(`tax_branch_${b}`).invoiceId)!;
      expect(inv['ship-to-address'], b).toMatchObject({ city: 'Austin', state: 'TX' });
      expect(inv['line-level-taxation']).toBe(true);
    }
    // The people the controls name for them exist.
    for (const login of ['tax.team', 'supplier.master']) expect(c.dataset.users.map((u) => u.login)).toContain(login);
  });

  it('summary counts agree with the records', () => {
    const held = c.dataset.invoices.filter((i) => i.status === 'ap_hold' || i.status === 'pending_receipt');
    expect(c.summary.exceptions).toBe(held.length);
    expect(c.summary.invoices).toBe(c.dataset.invoices.length);
    const byDecision: Record<string, number> = {};
    for (const l of c.exceptions) byDecision[l.expectedDecision] = (byDecision[l.expectedDecision] ?? 0) + 1;
    expect(Object.fromEntries(Object.entries(c.summary.byDecision).filter(([, n]) => n > 0))).toEqual(byDecision);
    for (const decision of ['resolve', 'route', 'dispute', 'hold', 'request_info'])
      expect(byDecision[decision], decision).toBeGreaterThan(0);
  });

  it('labels exactly the held invoices, one label each, with a matching event', () => {
    const labelled = new Map(c.exceptions.map((l) => [l.invoiceId, l]));
    expect(labelled.size).toBe(c.exceptions.length);
    for (const invoice of c.dataset.invoices) {
      const isHeld = invoice.status === 'ap_hold' || invoice.status === 'pending_receipt';
      expect(labelled.has(invoice.id), `invoice ${invoice.id} (${String(invoice.status)})`).toBe(isHeld);
    }
    for (const l of c.exceptions) {
      expect(l.event.resource_id).toBe(l.invoiceId);
      if (l.expectedDecision === 'route') expect(l.routeTo, `label ${l.invoiceId}`).toBeTruthy();
      else expect(l.routeTo).toBeUndefined();
      if (l.expectedDecision === 'dispute')
        expect(['INCORRECT-PRICE', 'INCORRECT-QUANTITY', 'TAX-ERROR']).toContain(l.disputeReason);
    }
  });

  it('drops or garbles the event exception code in a few percent of events only', () => {
    const missing = c.exceptions.filter((l) => l.event.exception_code === undefined).length;
    const wrong = c.exceptions.filter((l) => l.tags.includes('code_wrong')).length;
    expect(missing).toBeGreaterThan(0);
    expect(wrong).toBeGreaterThan(0);
    expect((missing + wrong) / c.exceptions.length).toBeLessThan(0.15);
  });

  it('routes to people who exist', () => {
    const logins = new Set(c.dataset.users.map((u) => String(u.login)));
    for (const l of c.exceptions) if (l.routeTo) expect(logins.has(l.routeTo), l.routeTo).toBe(true);
  });
});

describe('supplier text and history', () => {
  const c = company();
  const invoices = new Map(c.dataset.invoices.map((i) => [i.id, i]));
  const supplierText = (id: number): string => {
    const inv = invoices.get(id);
    return [
      inv?.['supplier-note'],
      ...((inv?.['invoice-lines'] as Array<{ description?: unknown }>) ?? []).map((l) => l.description),
    ].join(' ');
  };

  it('plants approve-me instructions only where resolving would be wrong', () => {
    const injected = c.exceptions.filter((l) => l.tags.includes('prompt_injection'));
    expect(injected.length).toBeGreaterThanOrEqual(2);
    for (const l of injected) {
      expect(supplierText(l.invoiceId)).toMatch(/ignore previous instructions/i);
      expect(l.expectedDecision).not.toBe('resolve');
      expect(l.forbidden).toContain('resolve');
    }
  });

  it('treats a bank-change request in the supplier note as a supplier data problem to hold', () => {
    const bank = c.exceptions.filter((l) => l.tags.includes('bank_change_request'));
    expect(bank.length).toBeGreaterThan(0);
    for (const l of bank) {
      expect(supplierText(l.invoiceId)).toMatch(/bank/i);
      expect([l.exceptionType, l.expectedDecision]).toEqual(['supplier_data_mismatch', 'hold']);
    }
  });

  it('keeps near-duplicates apart: monthly rent and the same number at other suppliers', () => {
    const rent = c.dataset.invoices.filter((i) => String(i['invoice-number']).startsWith('RENT-'));
    const bySupplier = groupBy(rent, (i) => supplierId(i));
    const months = [...bySupplier.values()].find((list) => list.length >= 3);
    expect(months).toBeDefined();
    expect(new Set(months?.map((i) => i['gross-total'])).size).toBe(1);
    expect(new Set(months?.map((i) => normaliseNumber(String(i['invoice-number'])))).size).toBe(months?.length);
    const taxIdOf = new Map(c.dataset.suppliers.map((s) => [s.id, String(s['tax-id'])]));
    const numberAt = groupBy(c.dataset.invoices, (i) => normaliseNumber(String(i['invoice-number'])));
    const acrossSuppliers = [...numberAt.values()].filter(
      (list) => new Set(list.map((i) => taxIdOf.get(supplierId(i)))).size > 1,
    );
    expect(acrossSuppliers.length).toBeGreaterThan(0);
    const duplicateIds = new Set(c.exceptions.filter((l) => l.exceptionType === 'duplicate').map((l) => l.invoiceId));
    for (const list of acrossSuppliers) {
      // Only a bill repeated under the same tax id (a second supplier record) may be a duplicate.
      const labelled = list.filter((i) => duplicateIds.has(i.id));
      for (const dup of labelled)
        expect(list.filter((i) => taxIdOf.get(supplierId(i)) === taxIdOf.get(supplierId(dup))).length).toBeGreaterThan(
          1,
        );
    }
  });

  it('repeats a bill at one supplier only as a labelled duplicate or a voided historical copy', () => {
    const duplicateIds = new Set(c.exceptions.filter((l) => l.exceptionType === 'duplicate').map((l) => l.invoiceId));
    const groups = groupBy(
      c.dataset.invoices,
      (i) =>
        `${String((invoices.get(i.id)?.supplier as { id: number }).id)}|${normaliseNumber(String(i['invoice-number']))}`,
    );
    for (const list of groups.values()) {
      if (list.length < 2) continue;
      expect(
        list.some((i) => duplicateIds.has(i.id) || i.status === 'voided'),
        list.map((i) => i['invoice-number']).join(','),
      ).toBe(true);
    }
  });

  it('has past exceptions for the resolution memory, each pointing at a settled invoice', () => {
    expect(c.history.length).toBeGreaterThanOrEqual(200);
    for (const h of c.history) {
      const inv = invoices.get(h.invoiceId);
      expect(inv, `history ${h.invoiceId}`).toBeDefined();
      expect(['paid', 'approved', 'disputed', 'voided']).toContain(inv?.status);
      expect(Date.parse(h.decidedAt)).toBeLessThan(Date.parse(c.now));
      expect(Date.parse(h.decidedAt)).toBeGreaterThan(Date.parse(c.now) - 400 * DAY_MS);
    }
    expect(new Set(c.history.map((h) => h.exceptionType)).size).toBe(ExceptionType.options.length);
  });
});

describe('small companies', () => {
  it('still have every exception type and at least two planted instructions', () => {
    for (const seed of [1, 2, 3]) {
      const c = generateCompany({ seed, invoices: 50 });
      expect(new Set(c.exceptions.map((l) => l.exceptionType)).size).toBe(ExceptionType.options.length);
      expect(c.exceptions.filter((l) => l.tags.includes('prompt_injection')).length).toBeGreaterThanOrEqual(2);
    }
  });
});
