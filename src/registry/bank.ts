/** IBAN and BIC structure and checksum (ibantools): offline, no registry call. */
import { extractIBAN, electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import type { BankRegistryAnswer } from '../domain/registry-evidence.js';

export function checkBankAccount(
  rawIban: string,
  rawBic: string | undefined,
  now: Date = new Date(),
): BankRegistryAnswer {
  const iban = electronicFormatIBAN(rawIban) ?? rawIban.replace(/\s/g, '').toUpperCase();
  const valid = isValidIBAN(iban);
  const country = valid ? extractIBAN(iban).countryCode : undefined;
  const bic = rawBic?.replace(/\s/g, '').toUpperCase();
  return {
    iban,
    valid,
    ...(country ? { country } : {}),
    ...(bic ? { bic, bicValid: isValidBIC(bic) } : {}),
    source: 'offline IBAN/BIC structure and checksum (ibantools)',
    checkedAt: now.toISOString(),
  };
}
