/**
 * An IRS TIN-matching result file (Bulk TIN Matching, IRS Publication 2108A): one record a line,
 * `TIN type;TIN;Name;Account number;Result indicator`. Settle does not call the IRS; a person
 * uploads the requests and drops the result file where `SETTLE_IRS_TIN_MATCH_FILE` points.
 */
import { readFileSync } from 'node:fs';

/** Result indicators (Pub 2108A). */
export const IRS_MATCH_CODES: Readonly<Record<string, { meaning: string; matched: boolean }>> = {
  '0': { meaning: 'TIN and name combination matches IRS records', matched: true },
  '1': { meaning: 'TIN was missing or not a nine-digit number', matched: false },
  '2': { meaning: 'TIN entered is not currently issued', matched: false },
  '3': { meaning: 'TIN and name combination does not match IRS records', matched: false },
  '4': { meaning: 'invalid TIN matching request', matched: false },
  '5': { meaning: 'duplicate TIN matching request', matched: false },
  '6': { meaning: 'matched on SSN (TIN type unknown)', matched: true },
  '7': { meaning: 'matched on EIN (TIN type unknown)', matched: true },
  '8': { meaning: 'matched on both EIN and SSN (TIN type unknown)', matched: true },
};

export interface TinMatchRecord {
  tinType: string;
  tin: string;
  name: string;
  account: string;
  code: string;
}

export function parseTinMatchFile(text: string): TinMatchRecord[] {
  const out: TinMatchRecord[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const parts = raw.split(';').map((p) => p.trim());
    if (parts.length < 5 || !/^\d{9}$/.test(parts[1]!.replace(/-/g, ''))) continue;
    out.push({
      tinType: parts[0]!,
      tin: parts[1]!.replace(/-/g, ''),
      name: parts[2]!,
      account: parts[3]!,
      code: parts[4]!,
    });
  }
  return out;
}

/** Lookup by TIN in a result file read once. */
export function loadTinMatches(
  path: string,
): (tin: string) => { code: string; meaning: string; matched: boolean; file: string } | undefined {
  const records = parseTinMatchFile(readFileSync(path, 'utf8'));
  return (tin) => {
    const r = records.findLast((x) => x.tin === tin.replace(/-/g, ''));
    const known = r ? IRS_MATCH_CODES[r.code] : undefined;
    return r
      ? {
          code: r.code,
          meaning: known?.meaning ?? `unknown result code ${r.code}`,
          matched: known?.matched ?? false,
          file: path,
        }
      : undefined;
  };
}
