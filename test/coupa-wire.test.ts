/**
 * Wire-key conversion at the Coupa boundary: hyphenated and camel keys, and a payload's
 * "__proto__" key never becoming the converted object's prototype (inherited fields).
 */
import { describe, expect, it } from 'vitest';
import { fromWire, toWire } from '../src/coupa/wire.js';

describe('wire keys', () => {
  it('converts hyphenated keys both ways, deep through arrays', () => {
    const wire = { 'invoice-number': 'A-1', 'invoice-lines': [{ 'order-line-id': 7 }] };
    const settle = fromWire<Record<string, unknown>>(wire);
    expect(settle).toEqual({ invoiceNumber: 'A-1', invoiceLines: [{ orderLineId: 7 }] });
    expect(toWire(settle)).toEqual(wire);
  });

  it('drops a "__proto__" key instead of letting it supply inherited fields', () => {
    const payload = JSON.parse(
      '{"id": 1, "__proto__": {"status": "approved", "total": "9999.00"}, "lines": [{"__proto__": {"price": "1"}}]}',
    );
    const settle = fromWire<Record<string, unknown>>(payload);
    expect(Object.getPrototypeOf(settle)).toBe(Object.prototype);
    expect(settle.status).toBeUndefined();
    expect(settle.total).toBeUndefined();
    expect((settle.lines as Array<Record<string, unknown>>)[0]!.price).toBeUndefined();
    expect(settle).toEqual({ id: 1, lines: [{}] });
  });
});
