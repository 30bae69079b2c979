/** Chooses the tax engine from configuration (`SETTLE_TAX_ENGINE`), like the embedder. */
import type { TaxEngineConfig } from '../external-config.js';
import { createAvaTaxEngine } from './avatax.js';
import { createOfflineTaxEngine } from './offline.js';
import type { TaxEngine } from './port.js';
import { loadRateTable } from './rate-table.js';
import { createTaxJarEngine } from './taxjar.js';

export function createTaxEngine(config: TaxEngineConfig, options: { fetch?: typeof fetch } = {}): TaxEngine {
  switch (config.kind) {
    case 'offline':
      return createOfflineTaxEngine(loadRateTable(config.ratesFile));
    case 'avatax':
      return createAvaTaxEngine({ ...config, ...options });
    case 'taxjar':
      return createTaxJarEngine({ ...config, ...options });
  }
}

export { TaxEngineError, taxEvidence, type TaxEngine } from './port.js';
