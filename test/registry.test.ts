/**
 * Supplier verification against registries: offline VAT check digits on published valid ids per
 * EU country (and the same ids with one digit changed), IBAN/BIC checksums, US TIN formats, an
 * IRS TIN-matching result file, and VIES over HTTP against a VIES-format stub (valid, not
 * registered, another registered name, member state down, timeout), cached with its date.
 */
import Fastify from 'fastify';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBankAccount } from '../src/registry/bank.js';
import { loadTinMatches } from '../src/registry/irs-tin-match.js';
import { checkUsTin } from '../src/registry/tin.js';
import { createViesRegistry, offlineVatCheck } from '../src/registry/vat.js';
import { createSupplierVerifier } from '../src/registry/verify.js';

/** Published valid VAT ids, one per member state (EU VIES documentation and national examples). */
const VALID_VAT = [
  'ATU13585627',
  'BE0776091951',
  'BG175074752',
  'CY10259033P',
  'CZ25123891',
  'DE136695976',
  'DK13585628',
  'EE100931558',
  'EL094259216',
  'ESB58378431',
  'FI20774740',
  'FR40303265045',
  'HR33392005961',
  'HU12892312',
  'IE6433435F',
  'IT00743110157',
  'LT119511515',
  'LU15027442',
  'LV40003521600',
  'MT11679112',
  'NL004495445B01',
  'PL5260001246',
  'PT501964843',
  'RO18547290',
  'SE556188840401',
  'SI50223054',
  'SK2020317068',
];

/** The id with its last digit changed (before a Dutch `B01` branch suffix): the check digit no longer fits. */
function oneDigitOff(id: string): string {
  const body = id.replace(/B\d\d$/, '');
  const i = body.search(/\d(?=\D*$)/);
  return `${id.slice(0, i)}${(Number(id[i]) + 1) % 10}${id.slice(i + 1)}`;
}

describe('offline VAT ids (check digits per country)', () => {
  it.each(VALID_VAT)('%s is valid', (id) => {
    expect(offlineVatCheck(id)).toMatchObject({ valid: true, vatId: id });
  });
  it.each(VALID_VAT)('%s with one digit changed is refused', (id) => {
    const r = offlineVatCheck(oneDigitOff(id));
    expect(r.valid).toBe(false);
    expect(['check_digits', 'format']).toContain(r.invalidBecause);
  });
  it('reads spaces, dots and the GR prefix; refuses a malformed id as format', () => {
    expect(offlineVatCheck('de 136.695.976').valid).toBe(true);
    expect(offlineVatCheck('GR094259216')).toMatchObject({ valid: true, vatId: 'EL094259216' });
    expect(offlineVatCheck('DE12345')).toMatchObject({ valid: false, invalidBecause: 'format' });
  });
});

describe('IBAN, BIC and US TIN', () => {
  const IBANS = [
    'DE89370400440532013000',
    'GB29NWBK60161331926819',
    'FR1420041010050500013M02606',
    'NL91ABNA0417164300',
    'BE68539007547034',
    'ES9121000418450200051332',
    'IT60X0542811101000000123456',
    'AT611904300234573201',
    'CH9300762011623852957',
  ];
  it.each(IBANS)('%s is valid, its country read from it; one digit off is not', (iban) => {
    expect(checkBankAccount(iban, undefined)).toMatchObject({ valid: true, country: iban.slice(0, 2) });
    expect(checkBankAccount(oneDigitOff(iban), undefined).valid).toBe(false);
  });
  it('checks the BIC structure and reads printed IBANs', () => {
    expect(checkBankAccount('DE89 3704 0044 0532 0130 00', 'COBADEFFXXX')).toMatchObject({
      valid: true,
      bicValid: true,
    });
    expect(checkBankAccount('DE89370400440532013000', 'COBA-DE')).toMatchObject({ bicValid: false });
  });
  it('tells EIN and SSN formats from invalid ones', () => {
    expect(checkUsTin('93-1234567').format).toBe('ein');
    expect(checkUsTin('00-1234567').format).toBe('invalid');
    expect(checkUsTin('07-1234567').format).toBe('invalid');
    expect(checkUsTin('123-45-6789').format).toBe('ssn');
    expect(checkUsTin('666-45-6789').format).toBe('invalid');
    expect(checkUsTin('123-00-6789').format).toBe('invalid');
  });
  it('reads an IRS TIN-matching result file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tin-')), 'results.txt');
    writeFileSync(file, '2;931234567;HARBOR OFFICE SUPPLY;S10;0\n2;917654321;CASCADE FACILITIES;S11;3\nnot a record\n');
    const lookup = loadTinMatches(file);
    expect(lookup('93-1234567')).toMatchObject({ code: '0', matched: true });
    expect(lookup('91-7654321')).toMatchObject({
      code: '3',
      matched: false,
      meaning: expect.stringMatching(/does not match/),
    });
    expect(lookup('99-9999999')).toBeUndefined();
  });
});

describe('VIES over HTTP against a VIES-format stub', () => {
  const stub = Fastify();
  let base = '';
  let calls = 0;
  beforeAll(async () => {
    stub.get('/ms/:cc/vat/:number', async (request, reply) => {
      calls++;
      const { cc, number } = request.params as { cc: string; number: string };
      const id = `${cc}${number}`;
      if (id === 'ATU13585627')
        return {
          isValid: false,
          requestDate: '2026-03-02T10:00:00.000Z',
          userError: 'MS_UNAVAILABLE',
          name: '---',
          address: '---',
        };
      if (id === 'FR40303265045')
        return new Promise((resolve) => setTimeout(() => resolve(reply.send({ isValid: true })), 2_000));
      if (id === 'NL004495445B01')
        return {
          isValid: false,
          requestDate: '2026-03-02T10:00:00.000Z',
          userError: 'INVALID',
          name: '---',
          address: '---',
        };
      return {
        isValid: true,
        requestDate: '2026-03-02T10:00:00.000Z',
        userError: 'VALID',
        name: id === 'DE136695976' ? 'Rheinfracht Logistik GmbH' : 'Other Trading BV',
        address: 'Somewhere 1',
      };
    });
    await stub.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(stub.server.address() as { port: number }).port}`;
  });
  afterAll(async () => stub.close());

  const vies = () => createViesRegistry({ baseUrl: base, timeoutMs: 300 });

  it('returns validity, the registered name and the request date', async () => {
    expect(await vies().check('DE136695976')).toMatchObject({
      valid: true,
      registeredName: 'Rheinfracht Logistik GmbH',
      source: 'VIES',
      checkedAt: '2026-03-02T10:00:00.000Z',
    });
    expect(await vies().check('NL004495445B01')).toMatchObject({ valid: false, invalidBecause: 'registry' });
  });
  it('says "no answer" for a member state that is down or a timeout, never "valid"', async () => {
    expect(await vies().check('ATU13585627')).toMatchObject({
      valid: null,
      failure: expect.stringMatching(/MS_UNAVAILABLE/),
    });
    expect(await vies().check('FR40303265045')).toMatchObject({
      valid: null,
      failure: expect.stringMatching(/did not answer/),
    });
  });
  it('does not ask VIES about an id that fails its check digits', async () => {
    const before = calls;
    expect(await vies().check('DE136695977')).toMatchObject({ valid: false, invalidBecause: 'check_digits' });
    expect(calls).toBe(before);
  });
  it('caches answers with their date, but not failures', async () => {
    const verify = createSupplierVerifier({ vat: vies() });
    const before = calls;
    await verify({ vatId: 'DE136695976', banks: [] });
    const second = await verify({ vatId: 'DE 136 695 976', banks: [] });
    expect(calls).toBe(before + 1);
    expect(second.vat).toMatchObject({ valid: true, checkedAt: '2026-03-02T10:00:00.000Z' });
    await verify({ vatId: 'ATU13585627', banks: [] });
    await verify({ vatId: 'ATU13585627', banks: [] });
    expect(calls).toBe(before + 3);
  });
});
