/**
 * US taxpayer ids: EIN (NN-NNNNNNN with an IRS-assigned prefix) or SSN/ITIN (AAA-GG-SSSS, area not
 * 000, 666 or — for SSNs — 9xx). Format only; whether the number belongs to the name is what the
 * IRS TIN-matching program answers (irs-tin-match.ts).
 */
import type { TinAnswer } from '../domain/registry-evidence.js';

/** EIN prefixes the IRS assigns (campus and Internet prefixes, IRS "How EINs are assigned"). */
const EIN_PREFIXES = new Set([
  '01',
  '02',
  '03',
  '04',
  '05',
  '06',
  '10',
  '11',
  '12',
  '13',
  '14',
  '15',
  '16',
  '20',
  '21',
  '22',
  '23',
  '24',
  '25',
  '26',
  '27',
  '30',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '38',
  '39',
  '40',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '47',
  '48',
  '50',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '59',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '67',
  '68',
  '71',
  '72',
  '73',
  '74',
  '75',
  '76',
  '77',
  '80',
  '81',
  '82',
  '83',
  '84',
  '85',
  '86',
  '87',
  '88',
  '90',
  '91',
  '92',
  '93',
  '94',
  '95',
  '98',
  '99',
]);

export function checkUsTin(raw: string, now: Date = new Date()): TinAnswer {
  const tin = raw.trim();
  const digits = tin.replace(/-/g, '');
  const base = { tin, source: 'offline US TIN format', checkedAt: now.toISOString() };
  if (/^\d{2}-?\d{7}$/.test(tin) && EIN_PREFIXES.has(digits.slice(0, 2))) return { ...base, format: 'ein' };
  if (/^\d{3}-?\d{2}-?\d{4}$/.test(tin)) {
    const area = digits.slice(0, 3);
    const group = digits.slice(3, 5);
    const serial = digits.slice(5);
    const itin = area.startsWith('9');
    if (
      area !== '000' &&
      area !== '666' &&
      group !== '00' &&
      serial !== '0000' &&
      (!itin || /^(5\d|6[0-5]|7\d|8[0-8]|9[0-2]|9[4-9])$/.test(group))
    )
      return { ...base, format: 'ssn' };
  }
  return { ...base, format: 'invalid' };
}
