/**
 * The supplier-visible text check: each rule fires on what it guards (and names itself), the
 * messages Settle writes pass, and obfuscation (zero-width characters, full-width digits, spacing)
 * does not smuggle a number past it. Property: any on-file bank number planted anywhere in a
 * benign message, however it is spaced, is refused by `bank-details`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSupplierText, describeRefusal, type SupplierTextPolicy } from '../src/guard/supplier-text.js';

const POLICY: SupplierTextPolicy = {
  supplierName: 'Harbor Office Supply Inc.',
  accounts: ['4455667788', '121000248'],
  otherSuppliers: [
    { name: 'Summit Paper Co.', taxId: '94-7654321', accounts: ['DE44500105175407324931', '5566778899'] },
  ],
  internalTexts: ['Escalated to the CFO because Harbor has missed three delivery dates this quarter.'],
  allowedHosts: ['suppliers.northwind-example.com'],
};

const refusedBy = (text: string, policy: SupplierTextPolicy = POLICY): string | undefined => {
  const v = checkSupplierText(text, policy);
  return v.ok ? undefined : v.rule;
};

describe('checkSupplierText', () => {
  it('passes the messages Settle writes to suppliers', () => {
    for (const text of [
      'Dear Harbor Office Supply Inc., we are returning invoice HOS-8518 because line 1 brings the total billed quantity to 110 while the purchase order allows 100. Please send a corrected invoice. Thank you, Accounts Payable',
      'Dear supplier, to process invoice RF-8509 we need your VAT registration number; the invoice date. Please reply to this message.',
      'Invoice 2026-02-20 for 1,230.00 USD on PO 8513 is on hold; please send the delivery note.',
      'Please upload the corrected invoice at https://suppliers.northwind-example.com/invoices/8518.',
      'Please send your SWIFT code and routing number for our records.',
    ])
      expect(refusedBy(text), text).toBeUndefined();
  });

  it.each([
    ['other-supplier-data', 'Summit Paper Co. was paid last week, so please follow up with them.'],
    ['other-supplier-data', 'For reference, tax id 94-7654321 is on file.'],
    ['other-supplier-data', 'Their account is DE44 5001 0517 5407 3249 31.'],
    ['bank-details', 'We will pay to account 4455667788 as usual.'],
    ['bank-details', 'Routing 121 000 248.'],
    ['bank-details', 'New IBAN GB82 WEST 1234 5698 7654 32 noted.'],
    ['bank-details', 'Bank transfer to account no. 99887766 confirmed.'],
    ['bank-details', 'Our bank: SWIFT code DEUTDEFF500.'],
    ['internal-note', 'SETTLE DOSSIER — invoice HOS-8518: held for review.'],
    ['internal-note', 'Note: escalated to the CFO because Harbor has missed three delivery dates this quarter.'],
    ['token', 'Use Authorization: Bearer abcDEF123456ghiJKL789 to fetch it.'],
    ['token', 'api_key=sk_live_51Habcdefghijklmnop'],
    ['token', 'token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'],
    ['token', 'Reference 9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c for your records.'],
    ['url-not-allowed', 'Please pay at https://harbor-payments.example.net/pay now.'],
    ['url-not-allowed', 'See www.evil.example for details.'],
    ['url-not-allowed', 'Upload at https://suppliers.northwind-example.com.evil.example/x'],
  ])('refuses by rule %s: %s', (rule, text) => {
    expect(refusedBy(text)).toBe(rule);
  });

  it('names the rule in the refusal, masks the value', () => {
    const v = checkSupplierText('pay to 4455667788', POLICY);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    const message = describeRefusal(v);
    expect(message).toContain('rule "bank-details"');
    expect(message).not.toContain('4455667788');
    expect(message).toContain('7788');
  });

  it('sees through zero-width characters, full-width digits and odd spacing', () => {
    expect(refusedBy('account 4455\u200b667788')).toBe('bank-details');
    expect(refusedBy('account ４４５５６６７７８８')).toBe('bank-details');
    expect(refusedBy('account 44-55-66-77-88')).toBe('bank-details');
    expect(refusedBy('Summit\u200d Paper Co.')).toBe('other-supplier-data');
  });

  it('lets the recipient be named, even when another supplier shares part of the name', () => {
    const policy: SupplierTextPolicy = {
      supplierName: 'Harbor Office Supply Inc.',
      otherSuppliers: [{ name: 'Harbor Office Supply' }],
    };
    expect(refusedBy('Dear Harbor Office Supply Inc.,', policy)).toBeUndefined();
  });

  it('property: an on-file bank number anywhere in a benign message is always refused', () => {
    const words = fc.array(
      fc.constantFrom(
        'invoice',
        'HOS-8518',
        'please',
        'the',
        'line',
        '1',
        'total',
        '110',
        'Dear',
        'supplier,',
        'PO',
        '8513',
        'credit',
        'note',
      ),
      { maxLength: 30 },
    );
    const separator = fc.constantFrom('', ' ', '-', '\u200b', '.');
    let tried = 0;
    fc.assert(
      fc.property(words, words, fc.constantFrom(...POLICY.accounts!), separator, (before, after, account, sep) => {
        tried += 1;
        const spaced = account.replace(/(\d{3})(?=\d)/g, `$1${sep}`);
        return refusedBy(`${before.join(' ')} ${spaced} ${after.join(' ')}`) === 'bank-details';
      }),
      { numRuns: 300 },
    );
    console.info(`[adversarial] supplier-text property: ${tried} messages tried, ${tried} refused, 0 wrong outcomes`);
  });
});
