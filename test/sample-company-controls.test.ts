/**
 * Registry verification is on for the embedded sample company (its identifiers pass the offline
 * checks) and off for a configured tenant; it is a default, so the controls file still decides.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_COMPANY_CONTROLS } from '../src/app/embedded.js';
import { loadControls } from '../src/app/runtime.js';
import { loadConfig } from '../src/config.js';

const controlsFile = (body: object): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'settle-controls-')), 'controls.json');
  writeFileSync(file, JSON.stringify(body));
  return file;
};

describe('the sample company turns registry verification on', () => {
  it('on with the sample company defaults, off without them', () => {
    const config = loadConfig({});
    expect(loadControls(config, undefined, SAMPLE_COMPANY_CONTROLS).verify_supplier_registries).toBe(true);
    expect(loadControls(config, undefined).verify_supplier_registries).toBe(false);
  });

  it('SETTLE_CONTROLS_FILE and overrides still decide over the default', () => {
    const config = loadConfig({ SETTLE_CONTROLS_FILE: controlsFile({ verify_supplier_registries: false }) });
    expect(loadControls(config, undefined, SAMPLE_COMPANY_CONTROLS).verify_supplier_registries).toBe(false);
    const plain = loadConfig({});
    const off = loadControls(plain, { verify_supplier_registries: false }, SAMPLE_COMPANY_CONTROLS);
    expect(off.verify_supplier_registries).toBe(false);
  });
});
