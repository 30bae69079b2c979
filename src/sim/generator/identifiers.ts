/**
 * Supplier identifiers that pass the real registries' offline rules: EU VAT ids with their
 * country's check digits (verified with jsvat, the library Settle's registry check uses) and
 * IBANs with a correct mod-97 checksum and national BBAN check (ibantools). Deterministic: the
 * random part is drawn once, the check characters are searched, never drawn, so a seed gives
 * the same ids. A few deliberately broken variants serve the registry-mismatch scenarios.
 */
import { checkVAT, countries } from 'jsvat';
import { composeIBAN, isValidIBAN } from 'ibantools';
import type { Rng } from './rng.js';

const digits = (rng: Rng, n: number): string => Array.from({ length: n }, () => String(rng.int(0, 9))).join('');
const vatValid = (id: string): boolean => checkVAT(id, countries).isValid;

/** The id for the body `body` with the first completion (check characters) jsvat accepts. */
function complete(body: string, completions: (body: string) => string[]): string | undefined {
  return completions(body).find(vatValid);
}

const DIGIT = Array.from({ length: 10 }, (_, i) => String(i));
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const IE_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVW'.split('');

/** Per country: a random body and the candidates for its check characters. */
const VAT_RULES: Record<string, { body: (rng: Rng) => string; completions: (body: string) => string[] }> = {
  // DE: 8 digits + ISO 7064 MOD 11,10 check digit.
  DE: { body: (rng) => `${rng.int(1, 9)}${digits(rng, 7)}`, completions: (b) => DIGIT.map((d) => `DE${b}${d}`) },
  // FR: 2-digit key + 9-digit SIREN.
  FR: { body: (rng) => `${rng.int(1, 9)}${digits(rng, 8)}`, completions: (b) => TWO_DIGITS.map((k) => `FR${k}${b}`) },
  // NL: 8 digits + weighted mod-11 check digit + "B01".
  NL: { body: (rng) => `${rng.int(1, 9)}${digits(rng, 7)}`, completions: (b) => DIGIT.map((d) => `NL${b}${d}B01`) },
  // IE: 7 digits + check letter.
  IE: { body: (rng) => `${rng.int(1, 9)}${digits(rng, 6)}`, completions: (b) => IE_LETTERS.map((l) => `IE${b}${l}`) },
};

/** A VAT id for `country` that passes its check digits. */
export function validVatId(rng: Rng, country: string): string {
  const rule = VAT_RULES[country];
  if (!rule) throw new RangeError(`no VAT id rule for ${country}`);
  for (let tries = 0; tries < 50; tries++) {
    const id = complete(rule.body(rng), rule.completions);
    if (id) return id;
  }
  throw new Error(`could not build a valid ${country} VAT id`);
}

/** The same id with its last check character changed so the check digits fail. */
export function brokenVatId(valid: string): string {
  const candidates = valid.startsWith('NL')
    ? DIGIT.map((d) => `${valid.slice(0, -4)}${d}B01`)
    : valid.startsWith('IE')
      ? IE_LETTERS.map((l) => `${valid.slice(0, -1)}${l}`)
      : valid.startsWith('FR')
        ? TWO_DIGITS.map((k) => `FR${k}${valid.slice(4)}`)
        : DIGIT.map((d) => `${valid.slice(0, -1)}${d}`);
  const broken = candidates.find((c) => c !== valid && !vatValid(c));
  if (!broken) throw new Error(`cannot break VAT id ${valid}`);
  return broken;
}

/** BBAN layouts (ISO 13616 registry) of the countries the generator uses. */
const BBAN: Record<string, (rng: Rng) => string> = {
  DE: (rng) => `${rng.int(1, 9)}${digits(rng, 7)}${digits(rng, 10)}`,
  NL: (rng) => `${rng.pick(['ABNA', 'INGB', 'RABO', 'TRIO', 'SNSB'])}${digits(rng, 10)}`,
  IE: (rng) => `${rng.pick(['AIBK', 'BOFI', 'IPBS'])}${digits(rng, 6)}${digits(rng, 8)}`,
  // FR: bank, branch, account, then a 2-digit RIB key that is searched below.
  FR: (rng) => `${digits(rng, 5)}${digits(rng, 5)}${digits(rng, 11)}`,
};
/** Countries whose BBAN ends in a national key: candidates for it are searched, not drawn. */
const NATIONAL_KEY: Record<string, string[]> = { FR: TWO_DIGITS };

/** An IBAN for `country` with a valid checksum and national check (ibantools' `isValidIBAN`). */
export function validIban(rng: Rng, country: string): string {
  const bban = BBAN[country];
  if (!bban) throw new RangeError(`no IBAN layout for ${country}`);
  for (let tries = 0; tries < 20; tries++) {
    const body = bban(rng);
    for (const key of NATIONAL_KEY[country] ?? ['']) {
      const iban = composeIBAN({ countryCode: country, bban: `${body}${key}` });
      if (iban && isValidIBAN(iban)) return iban;
    }
  }
  throw new Error(`could not build a valid ${country} IBAN`);
}

/** The same IBAN with its two check digits changed: the mod-97 checksum fails. */
export function brokenIban(valid: string): string {
  const check = Number(valid.slice(2, 4));
  const broken = `${valid.slice(0, 2)}${String(((check + 37) % 97) + 2).padStart(2, '0')}${valid.slice(4)}`;
  if (isValidIBAN(broken)) throw new Error(`cannot break IBAN ${valid}`);
  return broken;
}

/** EIN prefixes the IRS assigns (a subset of its published list, enough for variety). */
const EIN_PREFIXES = [
  '01',
  '06',
  '10',
  '13',
  '20',
  '22',
  '26',
  '30',
  '33',
  '36',
  '41',
  '45',
  '52',
  '56',
  '61',
  '65',
  '74',
  '81',
  '84',
  '91',
  '94',
  '98',
] as const;

/** A US EIN (NN-NNNNNNN) with a prefix the IRS assigns. */
export function validEin(rng: Rng): string {
  return `${rng.pick(EIN_PREFIXES)}-${rng.int(1_000_000, 9_999_999)}`;
}

/** An EIN-shaped id with a prefix the IRS never assigns (07, 08, 09, 17, …): fails the TIN format check. */
export function invalidEin(valid: string): string {
  return `${['07', '08', '09', '17', '18', '19'][Number(valid.slice(-1)) % 6]}${valid.slice(2)}`;
}
