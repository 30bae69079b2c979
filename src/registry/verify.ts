/**
 * Supplier verification: VAT id through the configured registry (VIES or offline check digits),
 * bank accounts through the IBAN/BIC checksum, the US TIN through its format and an optional IRS
 * TIN-matching result file. Registry answers are cached with the date they were given (a day
 * by default), so the dossier says "VIES on 2026-03-02" even when the answer came from cache;
 * an answer that failed is never cached.
 */
import { LRUCache } from 'lru-cache';
import type { RegistryFacts } from '../domain/registry-check.js';
import type { RegistryEvidence, VatRegistryAnswer } from '../domain/registry-evidence.js';
import type { RegistryConfig } from '../external-config.js';
import { checkBankAccount } from './bank.js';
import { loadTinMatches } from './irs-tin-match.js';
import { checkUsTin } from './tin.js';
import { createOfflineVatRegistry, createViesRegistry, normaliseVatId, type VatRegistry } from './vat.js';

export type SupplierVerifier = (facts: RegistryFacts) => Promise<RegistryEvidence>;

export function createSupplierVerifier(deps: {
  vat: VatRegistry;
  tinMatch?: ReturnType<typeof loadTinMatches>;
  now?: () => Date;
  ttlMs?: number;
}): SupplierVerifier {
  const now = deps.now ?? (() => new Date());
  const cache = new LRUCache<string, VatRegistryAnswer>({ max: 5_000, ttl: deps.ttlMs ?? 24 * 3_600_000 });
  return async (facts) => {
    const out: RegistryEvidence = {};
    if (facts.vatId) {
      const key = normaliseVatId(facts.vatId);
      let answer = cache.get(key);
      if (!answer) {
        answer = await deps.vat.check(key);
        if (answer.valid !== null) cache.set(key, answer);
      }
      out.vat = answer;
    }
    if (facts.banks.length) out.bank = facts.banks.map((b) => checkBankAccount(b.iban, b.bic, now()));
    if (facts.usTin) {
      const tin = checkUsTin(facts.usTin, now());
      const match = tin.format !== 'invalid' ? deps.tinMatch?.(facts.usTin) : undefined;
      out.tin = match ? { ...tin, irsMatch: match } : tin;
    }
    return out;
  };
}

/** The verifier the configuration asks for (`SETTLE_VAT_REGISTRY`, `SETTLE_IRS_TIN_MATCH_FILE`). */
export function supplierVerifierFor(
  config: RegistryConfig,
  options: { fetch?: typeof fetch; now?: () => Date } = {},
): SupplierVerifier {
  const vat =
    config.vat.kind === 'vies'
      ? createViesRegistry({ ...config.vat, ...options })
      : createOfflineVatRegistry(options.now);
  return createSupplierVerifier({
    vat,
    ...(config.irsTinMatchFile ? { tinMatch: loadTinMatches(config.irsTinMatchFile) } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}
