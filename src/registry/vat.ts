/**
 * EU VAT ids: offline, format and check digits per country (jsvat, a well-kept zero-dependency
 * library); online, the EU's VIES REST service (`GET {base}/ms/{country}/vat/{number}`, answer
 * `isValid`, `name`, `address`, `requestDate`; the POST `check-vat-number` variant answers
 * `valid`). Both shapes are read. VIES is asked only for ids that pass the offline check.
 */
import { checkVAT, countries } from 'jsvat';
import { z } from 'zod';
import type { VatRegistryAnswer } from '../domain/registry-evidence.js';

export interface VatRegistry {
  readonly name: string;
  check(vatId: string): Promise<VatRegistryAnswer>;
}

/** "DE 136 695 976", "de136695976" → "DE136695976"; Greece's VIES prefix is EL. */
export function normaliseVatId(raw: string): string {
  return raw
    .replace(/[\s.-]/g, '')
    .toUpperCase()
    .replace(/^GR/, 'EL');
}

export function offlineVatCheck(raw: string, now: Date = new Date()): VatRegistryAnswer {
  const vatId = normaliseVatId(raw);
  const r = checkVAT(vatId.replace(/^EL/, 'EL'), countries);
  const base = { vatId, source: 'offline format and check digits (jsvat)', checkedAt: now.toISOString() };
  if (!r.isSupportedCountry || !r.isValidFormat) return { ...base, valid: false, invalidBecause: 'format' };
  if (!r.isValid) return { ...base, valid: false, invalidBecause: 'check_digits' };
  return { ...base, valid: true };
}

export function createOfflineVatRegistry(now: () => Date = () => new Date()): VatRegistry {
  return { name: 'offline', check: async (id) => offlineVatCheck(id, now()) };
}

const ViesAnswer = z.looseObject({
  isValid: z.boolean().optional(),
  valid: z.boolean().optional(),
  name: z.string().nullish(),
  address: z.string().nullish(),
  requestDate: z.string().nullish(),
  userError: z.string().nullish(),
});

/** VIES answers "---" when a member state does not disclose the name. */
const disclosed = (v: string | null | undefined): string | undefined =>
  v && v.trim() && v.trim() !== '---' ? v.trim() : undefined;

export function createViesRegistry(settings: {
  baseUrl: string;
  timeoutMs: number;
  fetch?: typeof fetch;
  now?: () => Date;
}): VatRegistry {
  const doFetch = settings.fetch ?? fetch;
  const now = settings.now ?? (() => new Date());
  return {
    name: 'vies',
    async check(raw) {
      const offline = offlineVatCheck(raw, now());
      if (offline.valid === false) return offline;
      const country = offline.vatId.slice(0, 2);
      const number = offline.vatId.slice(2);
      const base = { vatId: offline.vatId, source: 'VIES', checkedAt: now().toISOString() };
      try {
        const response = await doFetch(
          `${settings.baseUrl.replace(/\/+$/, '')}/ms/${country}/vat/${encodeURIComponent(number)}`,
          { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(settings.timeoutMs) },
        );
        if (!response.ok)
          return {
            ...base,
            valid: null,
            failure: response.status === 429 ? 'VIES rate limit (429)' : `VIES answered ${response.status}`,
          };
        const parsed = ViesAnswer.safeParse(await response.json());
        if (!parsed.success) return { ...base, valid: null, failure: 'VIES answered a body Settle cannot read' };
        const a = parsed.data;
        const valid = a.isValid ?? a.valid;
        // A member state that is down answers with a userError such as MS_UNAVAILABLE, not a verdict.
        if (
          valid === undefined ||
          (a.userError && a.userError !== 'VALID' && a.userError !== 'INVALID' && valid === false)
        ) {
          return { ...base, valid: null, failure: `VIES: ${a.userError ?? 'no verdict'}` };
        }
        const name = disclosed(a.name);
        return {
          ...base,
          valid,
          ...(valid ? {} : { invalidBecause: 'registry' as const }),
          ...(name ? { registeredName: name } : {}),
          ...(a.requestDate ? { checkedAt: a.requestDate } : {}),
        };
      } catch (error) {
        const e = error as Error;
        return {
          ...base,
          valid: null,
          failure:
            e.name === 'TimeoutError' || e.name === 'AbortError'
              ? `VIES did not answer within ${settings.timeoutMs} ms`
              : `VIES unreachable: ${e.message.slice(0, 120)}`,
        };
      }
    },
  };
}
