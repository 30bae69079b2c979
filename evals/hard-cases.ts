/**
 * The hand-designed hard cases (written to `evals/cases/hard-*.json` by generate-cases.ts): each
 * is small, states why its answer is the only one the records and controls allow, and is tagged
 * by what it exercises (`near_duplicate`, `partial_po`, `eur`, `amount_line`, `multi_failure`,
 * `new_supplier`, `mode:*`, `controls`, `code_*`, `injection`, `field:*`, `harm:*`, `technique:*`).
 */
import { injectionCases } from './hard/cases-injection.js';
import { scopeInjectionCases } from './hard/cases-injection-scope.js';
import { matchingCases } from './hard/cases-matching.js';
import { modeCases } from './hard/cases-modes.js';
import { multiFailureCases } from './hard/cases-multi.js';
import { registryCases } from './hard/cases-registry.js';
import { taxEngineCases } from './hard/cases-tax-engine.js';

export function hardCases(): Array<Record<string, unknown>> {
  return [
    ...matchingCases(),
    ...multiFailureCases(),
    ...modeCases(),
    ...injectionCases(),
    ...scopeInjectionCases(),
    ...taxEngineCases(),
    ...registryCases(),
  ];
}
