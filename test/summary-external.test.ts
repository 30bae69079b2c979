/** The `npm start` lines for the sample company's tax-engine and registry cases: expected against settled. */
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../src/agent/verdict.js';
import { externalCasesText } from '../src/app/summary-external.js';
import { generateCompany } from '../src/sim/generator/index.js';

const company = generateCompany({ seed: 7, invoices: 600 });

function settledAsLabelled(overrides: Partial<Record<number, Partial<Verdict>>> = {}): Verdict[] {
  return company.exceptions.map(
    (l) =>
      ({
        invoice_id: l.invoiceId,
        decision: l.expectedDecision,
        route_to: l.routeTo ?? null,
        dispute_reason: l.disputeReason ?? null,
        ...overrides[l.invoiceId],
      }) as Verdict,
  );
}

describe('externalCasesText', () => {
  it('lists each planted tax branch and registry mismatch with a tick when settled as labelled', () => {
    const text = externalCasesText(company.exceptions, settledAsLabelled()) ?? '';
    for (const title of [
      "tax (a) Coupa's rate wrong",
      'tax (b) supplier billed wrong',
      'tax (c) US use tax',
      'tax (d) exemption',
      'registry: VAT id invalid',
      'registry: IBAN invalid',
      'registry: IBAN country',
      'registry: US TIN invalid',
    ]) {
      expect(text, title).toContain(title);
    }
    expect(text).toContain('expected dispute (TAX-ERROR); settled dispute (TAX-ERROR) ✓');
    expect(text).not.toContain('✗');
    expect(text).toContain('8 of 8 settled as labelled');
  });

  it('marks a case settled otherwise, and says nothing when the run reached none of them', () => {
    const a = company.exceptions.find((l) => l.tags.includes('tax_branch_a'))!;
    const text =
      externalCasesText(
        company.exceptions,
        settledAsLabelled({ [a.invoiceId]: { decision: 'route', route_to: 'ap.review' } }),
      ) ?? '';
    expect(text).toMatch(/expected resolve; settled route → ap\.review ✗/);
    expect(externalCasesText(company.exceptions, [])).toBeUndefined();
  });
});
