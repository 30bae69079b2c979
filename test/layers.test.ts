/** The layering in scripts/check-layers.ts holds: no wrong-way import anywhere in the tree. */
import { describe, expect, it } from 'vitest';
import { ALLOWED, violations } from '../scripts/check-layers.js';

describe('layering', () => {
  it('has no wrong-way imports', () => {
    expect(violations()).toEqual([]);
  });

  it('keeps the Coupa client and the domain free of MCP, LLM and storage layers', () => {
    expect(ALLOWED['src/coupa']).toEqual([]);
    expect(ALLOWED['src/domain']).toEqual(['src/coupa']);
  });
});
