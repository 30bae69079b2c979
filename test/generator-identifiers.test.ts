/**
 * The generator's identifiers against the registries' own offline checks (src/registry): any drawn
 * body completes to a valid id, and the broken variants the planted mismatches use fail.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkBankAccount } from '../src/registry/bank.js';
import { checkUsTin } from '../src/registry/tin.js';
import { offlineVatCheck } from '../src/registry/vat.js';
import {
  brokenIban,
  brokenVatId,
  einWithAssignedPrefix,
  ibanWithCheckDigits,
  unassignedEin,
  vatWithCheckDigits,
} from '../src/sim/generator/identifiers.js';
import { createRng } from '../src/sim/generator/rng.js';

describe('generator identifiers', () => {
  it('completes any drawn VAT body with check digits the offline VAT check accepts, and breaks them', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('DE', 'FR', 'NL', 'IE'),
        fc.integer({ min: 100_000_000, max: 999_999_999 }),
        (country, body) => {
          const id = vatWithCheckDigits(`${country}${body}`);
          expect(id.startsWith(country)).toBe(true);
          expect(offlineVatCheck(id).valid, id).toBe(true);
          expect(offlineVatCheck(brokenVatId(id)).valid).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives drawn IBANs a valid national key and checksum, keeping country and length', () => {
    const rng = createRng(23);
    for (const country of ['DE', 'FR', 'NL', 'IE']) {
      for (let i = 0; i < 50; i++) {
        const drawn = rng.faker.finance.iban({ formatted: false, countryCode: country });
        const iban = ibanWithCheckDigits(drawn);
        expect(iban).toHaveLength(drawn.length);
        const answer = checkBankAccount(iban, undefined);
        expect(answer.valid, `${drawn} → ${iban}`).toBe(true);
        expect(answer.country).toBe(country);
        expect(checkBankAccount(brokenIban(iban), undefined).valid).toBe(false);
      }
    }
  });

  it('moves an EIN to a prefix the IRS assigns, and the planted variant to one it never does', () => {
    for (let prefix = 10; prefix <= 99; prefix++) {
      const ein = einWithAssignedPrefix(`${prefix}-1234567`);
      expect(checkUsTin(ein).format, ein).toBe('ein');
      expect(ein.slice(2)).toBe('-1234567');
      expect(checkUsTin(unassignedEin(ein)).format).toBe('invalid');
    }
  });
});
