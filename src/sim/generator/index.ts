/** The sample-company generator: public entry points. */
export { generateCompany } from './company.js';
export { generatePastResolutions, POLICY_SECTIONS } from './resolutions.js';
export { serializeCompany, serializeDataset } from './serialize.js';
export { EXCEPTION_MIX } from './mix.js';
export * from './types.js';
