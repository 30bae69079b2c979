import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTROLS, resolveControls } from '../src/domain/controls.js';
import { finding } from '../src/domain/findings.js';
import { checkTolerance } from '../src/domain/tolerance.js';

const price = (invoicePrice: string, poPrice: string, invoiceOverPo: string) =>
  finding('price_over_po', 's', { invoicePrice, poPrice, invoiceOverPo });
const qty = (kind: 'billed_over_ordered' | 'billed_over_received', cumulative: string, reference: string) =>
  finding(kind, 's', { cumulative, [kind === 'billed_over_ordered' ? 'ordered' : 'received']: reference });

describe('checkTolerance', () => {
  it.each([
    ['exactly 5% and exactly 250.00 over is within', price('10.50', '10.00', '250.00'), true],
    ['5.01% is outside', price('10.501', '10.00', '1.00'), false],
    ['3% but 250.01 over PO on the invoice is outside', price('10.30', '10.00', '250.01'), false],
    ['a PO price of zero never tolerates a charge', price('1.00', '0', '1.00'), false],
  ])('price: %s', (_n, f, within) => {
    const v = checkTolerance(f, DEFAULT_CONTROLS);
    expect(v.governed).toBe(true);
    expect(v.within).toBe(within);
    expect(v.checks.map((c) => c.control)).toEqual(['price_tolerance_pct', 'price_tolerance_amount']);
  });

  it('names the failing control, its limit and the actual figure', () => {
    const v = checkTolerance(price('10.80', '10.00', '8.00'), DEFAULT_CONTROLS);
    expect(v.checks[0]).toMatchObject({ control: 'price_tolerance_pct', limit: '5', actual: '8', within: false });
    expect(v.reason).toBe('price 8.0% over PO exceeds the 5% price tolerance');
  });

  it('quantity: default 0% allows nothing; an override allows that percent of the reference', () => {
    expect(checkTolerance(qty('billed_over_received', '10.5', '10'), DEFAULT_CONTROLS).within).toBe(false);
    const loose = resolveControls({ quantity_tolerance_pct: '5' });
    expect(checkTolerance(qty('billed_over_received', '10.5', '10'), loose).within).toBe(true);
    expect(checkTolerance(qty('billed_over_ordered', '10.6', '10'), loose).within).toBe(false);
    expect(checkTolerance(qty('billed_over_received', '1', '0'), loose)).toMatchObject({
      within: false,
      reason: 'nothing received yet, so no quantity tolerance can apply',
    });
  });

  it('tax: a difference up to the tolerance amount is rounding, either way', () => {
    expect(checkTolerance(finding('tax_amount_mismatch', 's', { difference: '-1.00' }), DEFAULT_CONTROLS).within).toBe(
      true,
    );
    expect(checkTolerance(finding('tax_amount_mismatch', 's', { difference: '1.01' }), DEFAULT_CONTROLS).within).toBe(
      false,
    );
  });

  it('firm contract prices allow nothing; other kinds are not tolerance matters', () => {
    expect(
      checkTolerance(
        finding('price_over_contract', 's', { invoicePrice: '10.01', contractPrice: '10.00' }),
        DEFAULT_CONTROLS,
      ),
    ).toMatchObject({ governed: true, within: false });
    for (const kind of [
      'duplicate',
      'missing_po',
      'supplier_on_hold',
      'tax_rate_unexpected',
      'currency_mismatch',
    ] as const) {
      expect(checkTolerance(finding(kind, 's'), DEFAULT_CONTROLS)).toMatchObject({ governed: false, within: false });
    }
  });
});
