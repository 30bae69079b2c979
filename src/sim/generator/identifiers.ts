/**
 * Supplier identifiers that pass the registries' offline rules (issue 23): EU VAT ids with their
 * country's check digits (jsvat, the library Settle's registry check uses), IBANs with a correct
 * national key and mod-97 checksum (ibantools), EINs with a prefix the IRS assigns.
 *
 * Each takes the identifier the generator already drew and computes its check characters — no
 * random draw — so the random stream, and with it every later record of the company, is the
 * same as before identifiers were made valid. The broken variants serve the planted registry
 * mismatches (scenarios-external.ts).
 */
import { checkVAT, countries } from 'jsvat';
import { composeIBAN, electronicFormatIBAN, isValidIBAN } from 'ibantools';

const vatValid = (id: string): boolean => checkVAT(id, countries).isValid;
const DIGITS = Array.from({ length: 10 }, (_, i) => String(i));
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const IE_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVW'.split('');

/** Per country: the candidate ids for a drawn body of digits, differing only in check characters. */
const VAT_CANDIDATES: Record<string, (digits: string) => string[]> = {
  // DE: 8 digits + ISO 7064 MOD 11,10 check digit.
  DE: (d) => DIGITS.map((c) => `DE${d.slice(0, 8)}${c}`),
  // FR: 2-digit key + the 9-digit SIREN.
  FR: (d) => TWO_DIGITS.map((k) => `FR${k}${d.slice(0, 9)}`),
  // NL: 8 digits + weighted mod-11 check digit + "B01".
  NL: (d) => DIGITS.map((c) => `NL${d.slice(0, 8)}${c}B01`),
  // IE: 7 digits + check letter.
  IE: (d) => IE_LETTERS.map((l) => `IE${d.slice(0, 7)}${l}`),
};

/**
 * `drawn` (country prefix and digits, e.g. "DE735500312") with its check characters computed.
 * A body no check character completes (NL's mod 11 leaves 10) has its last body digit stepped
 * until one does; deterministic either way.
 */
export function vatWithCheckDigits(drawn: string): string {
  const country = drawn.slice(0, 2);
  const candidates = VAT_CANDIDATES[country];
  if (!candidates) throw new RangeError(`no VAT id rule for ${country}`);
  const digits = drawn.slice(2).replace(/\D/g, '').padEnd(9, '0');
  for (let step = 0; step < 10; step++) {
    const body = `${digits.slice(0, 7)}${(Number(digits[7]) + step) % 10}${digits.slice(8)}`;
    const found = candidates(body).find(vatValid);
    if (found) return found;
  }
  throw new Error(`cannot complete VAT id ${drawn}`);
}

/** The same id with its check characters changed so they fail. */
export function brokenVatId(valid: string): string {
  const digits = valid
    .replace(/^FR\d{2}/, 'FR')
    .slice(2)
    .replace(/\D/g, '');
  const broken = VAT_CANDIDATES[valid.slice(0, 2)]?.(digits).find((c) => c !== valid && !vatValid(c));
  if (!broken) throw new Error(`cannot break VAT id ${valid}`);
  return broken;
}

/**
 * `drawn` (an IBAN whose structure is right) with a valid national key and checksum: the BBAN is
 * kept, its last two characters searched when the country's national check needs it (FR's RIB
 * key), and the two IBAN check digits recomputed.
 */
export function ibanWithCheckDigits(drawn: string): string {
  const electronic = electronicFormatIBAN(drawn) ?? drawn;
  const countryCode = electronic.slice(0, 2);
  const bban = electronic.slice(4);
  const compose = (b: string): string | null => composeIBAN({ countryCode, bban: b });
  const asIs = compose(bban);
  if (asIs && isValidIBAN(asIs)) return asIs;
  for (const key of TWO_DIGITS) {
    const iban = compose(`${bban.slice(0, -2)}${key}`);
    if (iban && isValidIBAN(iban)) return iban;
  }
  throw new Error(`cannot complete IBAN ${drawn}`);
}

/** The same IBAN with its two check digits changed: the mod-97 checksum fails. */
export function brokenIban(valid: string): string {
  const check = Number(valid.slice(2, 4));
  const broken = `${valid.slice(0, 2)}${String(((check + 37) % 97) + 2).padStart(2, '0')}${valid.slice(4)}`;
  if (isValidIBAN(broken)) throw new Error(`cannot break IBAN ${valid}`);
  return broken;
}

/** EIN prefixes the IRS never assigns (IRS "How EINs are assigned"; src/registry/tin.ts holds the assigned list). */
const UNASSIGNED_EIN_PREFIXES = new Set([
  '00',
  '07',
  '08',
  '09',
  '17',
  '18',
  '19',
  '28',
  '29',
  '49',
  '69',
  '70',
  '78',
  '79',
  '89',
  '96',
  '97',
]);

/** `drawn` ("NN-NNNNNNN") with its prefix moved up to the next one the IRS assigns. */
export function einWithAssignedPrefix(drawn: string): string {
  let prefix = Number(drawn.slice(0, 2));
  while (UNASSIGNED_EIN_PREFIXES.has(String(prefix).padStart(2, '0'))) prefix = (prefix + 1) % 100;
  return `${String(prefix).padStart(2, '0')}${drawn.slice(2)}`;
}

/** An EIN-shaped id with a prefix the IRS never assigns: fails the TIN format check. */
export function unassignedEin(valid: string): string {
  return `${['07', '08', '09', '17', '18', '19'][Number(valid.slice(-1)) % 6]}${valid.slice(2)}`;
}
