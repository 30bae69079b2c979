/** The layering README.md writes down holds: no wrong-way import anywhere in the tree, direct or transitive. */
import { describe, expect, it } from 'vitest';
import { readLayering, violations } from '../scripts/check-layers.js';

describe('layering', () => {
  it('has no wrong-way imports', () => {
    expect(violations()).toEqual([]);
  });

  it('keeps the Coupa client and the domain free of MCP, LLM and storage layers', () => {
    const layering = readLayering();
    expect([...layering.get('src/coupa')!]).toEqual([]);
    expect([...layering.get('src/domain')!]).toEqual(['src/coupa']);
    expect(layering.get('src/agent')!.has('src/llm')).toBe(true);
    expect(layering.get('tools')!.has('src/agent')).toBe(false);
  });

  it('catches a layer reaching another through a third', () => {
    // tools/extract-invoice.ts imports nothing of src/llm itself; it reaches it through src/ingest.
    const layering = new Map(readLayering());
    layering.set('tools', new Set([...layering.get('tools')!].filter((layer) => layer !== 'src/llm')));
    const found = violations(layering);
    expect(
      found.some(
        (v) =>
          v.startsWith('tools/extract-invoice.ts → src/ingest/') && v.endsWith('(tools may not depend on src/llm)'),
      ),
    ).toBe(true);
  });
});
