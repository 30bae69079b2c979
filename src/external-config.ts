/**
 * Configuration of the outside sources Settle consults: the tax engine (offline table by default,
 * AvaTax or TaxJar), the VAT registry (offline check digits by default, or VIES) and an optional
 * IRS TIN-matching result file. Parsed from the environment by `loadConfig`; credentials come
 * from the environment only.
 */
import { z } from 'zod';

const text = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const ms = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) {
        ctx.addIssue({ code: 'custom', message: `expected a positive number of milliseconds, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

export const ExternalEnvSchema = z.object({
  SETTLE_TAX_ENGINE: z.enum(['offline', 'avatax', 'taxjar']).default('offline'),
  SETTLE_TAX_TIMEOUT_MS: ms(10_000),
  SETTLE_TAX_RATES_FILE: text,
  AVATAX_BASE_URL: text,
  AVATAX_ACCOUNT_ID: text,
  AVATAX_LICENSE_KEY: text,
  AVATAX_COMPANY_CODE: text,
  TAXJAR_API_KEY: text,
  TAXJAR_BASE_URL: text,
  SETTLE_VAT_REGISTRY: z.enum(['offline', 'vies']).default('offline'),
  VIES_BASE_URL: text,
  SETTLE_REGISTRY_TIMEOUT_MS: ms(10_000),
  SETTLE_IRS_TIN_MATCH_FILE: text,
});

export type TaxEngineConfig =
  | { kind: 'offline'; ratesFile: string | undefined }
  | { kind: 'avatax'; baseUrl: string; accountId: string; licenseKey: string; companyCode: string; timeoutMs: number }
  | { kind: 'taxjar'; baseUrl: string; apiKey: string; timeoutMs: number };

export interface RegistryConfig {
  vat: { kind: 'offline' } | { kind: 'vies'; baseUrl: string; timeoutMs: number };
  irsTinMatchFile: string | undefined;
}

export interface ExternalConfig {
  taxEngine: TaxEngineConfig;
  registries: RegistryConfig;
}

/** Public service addresses (production); the sandbox is chosen with AVATAX_BASE_URL. */
export const AVATAX_PRODUCTION_URL = 'https://rest.avatax.com';
export const TAXJAR_URL = 'https://api.taxjar.com';
export const VIES_REST_URL = 'https://ec.europa.eu/taxation_customs/vies/rest-api';

/** The outside-source settings, or the list of what is wrong (variable: what it needs). */
export function parseExternalConfig(env: NodeJS.ProcessEnv): { config: ExternalConfig } | { errors: string[] } {
  const parsed = ExternalEnvSchema.safeParse(env);
  if (!parsed.success) return { errors: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  const e = parsed.data;
  const errors: string[] = [];
  let taxEngine: TaxEngineConfig = { kind: 'offline', ratesFile: e.SETTLE_TAX_RATES_FILE };
  if (e.SETTLE_TAX_ENGINE === 'avatax') {
    if (!e.AVATAX_ACCOUNT_ID || !e.AVATAX_LICENSE_KEY)
      errors.push('SETTLE_TAX_ENGINE=avatax needs AVATAX_ACCOUNT_ID and AVATAX_LICENSE_KEY');
    taxEngine = {
      kind: 'avatax',
      baseUrl: e.AVATAX_BASE_URL ?? AVATAX_PRODUCTION_URL,
      accountId: e.AVATAX_ACCOUNT_ID ?? '',
      licenseKey: e.AVATAX_LICENSE_KEY ?? '',
      companyCode: e.AVATAX_COMPANY_CODE ?? 'DEFAULT',
      timeoutMs: e.SETTLE_TAX_TIMEOUT_MS,
    };
  } else if (e.SETTLE_TAX_ENGINE === 'taxjar') {
    if (!e.TAXJAR_API_KEY) errors.push('SETTLE_TAX_ENGINE=taxjar needs TAXJAR_API_KEY');
    taxEngine = {
      kind: 'taxjar',
      baseUrl: e.TAXJAR_BASE_URL ?? TAXJAR_URL,
      apiKey: e.TAXJAR_API_KEY ?? '',
      timeoutMs: e.SETTLE_TAX_TIMEOUT_MS,
    };
  }
  if (errors.length) return { errors };
  return {
    config: {
      taxEngine,
      registries: {
        vat:
          e.SETTLE_VAT_REGISTRY === 'vies'
            ? { kind: 'vies', baseUrl: e.VIES_BASE_URL ?? VIES_REST_URL, timeoutMs: e.SETTLE_REGISTRY_TIMEOUT_MS }
            : { kind: 'offline' },
        irsTinMatchFile: e.SETTLE_IRS_TIN_MATCH_FILE,
      },
    },
  };
}
