/**
 * What a model sees is reviewed like code: every tool's listing (name, description, input and
 * output JSON schemas, annotations) is snapshotted to `test/__toolsnaps__/<tool>.json`, and the
 * README's tool table is the one generated from the registry. Update deliberately with
 * `npx vitest run test/mcp-toolsnaps.test.ts -u` and `npx tsx scripts/tool-table.ts --write`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeTool } from '../src/mcp/server.js';
import { caseScopedTool } from '../src/mcp/case-view.js';
import { DECISION_TOOL, TOOLS } from '../tools/index.js';
import { isCoupaWriteClass, isWriteClass } from '../src/guard/tool.js';
import { Decision } from '../src/domain/vocabulary.js';
import { README, TABLE_END, TABLE_START, firstSentence, toolTable, withToolTable } from '../scripts/tool-table.js';

const SNAP_DIR = fileURLToPath(new URL('./__toolsnaps__/', import.meta.url));

describe('tool schema snapshots', () => {
  for (const tool of TOOLS) {
    it(`${tool.name} lists as snapshotted`, async () => {
      await expect(`${JSON.stringify(describeTool(tool), null, 2)}\n`).toMatchFileSnapshot(
        `./__toolsnaps__/${tool.name}.json`,
      );
    });
  }

  it('keeps no snapshot of a tool that no longer exists', () => {
    const files = readdirSync(SNAP_DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''));
    expect(files.sort()).toEqual(TOOLS.map((t) => t.name).sort());
  });

  it('every input schema rejects unknown fields, and write tools take an optional idempotency key', () => {
    for (const tool of TOOLS) {
      const listed = describeTool(tool);
      expect(listed.inputSchema, tool.name).toMatchObject({ type: 'object', additionalProperties: false });
      const writes = !tool.annotations.readOnlyHint;
      expect('idempotency_key' in (listed.inputSchema.properties ?? {}), tool.name).toBe(writes);
      expect(listed.inputSchema.required ?? [], tool.name).not.toContain('idempotency_key');
    }
  });
});

/** A tool's class decides its hints and whether it carries out a decision (src/guard/tool.ts); nothing is kept by hand. */
describe('tool classes', () => {
  it('give every tool its hints: read-only exactly when the class does not write', () => {
    for (const tool of TOOLS) expect(tool.annotations.readOnlyHint, tool.name).toBe(!isWriteClass(tool.guardClass));
  });

  it("map each of the agent's decisions to exactly one Coupa write", () => {
    expect([...DECISION_TOOL.keys()].sort()).toEqual([...Decision.options].sort());
    for (const tool of TOOLS.filter((t) => t.decision))
      expect(isCoupaWriteClass(tool.guardClass), tool.name).toBe(true);
  });
});

/** The agent's view in a case session (src/mcp/case-view.ts): no review tools, no invoice_id. People's view stays the one above. */
describe('case-scoped tool snapshots (the agent settling one invoice)', () => {
  const agentTools = TOOLS.filter((t) => t.guardClass !== 'review' && !t.requiredScope);
  for (const tool of agentTools) {
    it(`${tool.name} lists to the agent as snapshotted`, async () => {
      await expect(`${JSON.stringify(caseScopedTool(tool, describeTool(tool)), null, 2)}\n`).toMatchFileSnapshot(
        `./__toolsnaps__/case-scoped/${tool.name}.json`,
      );
    });
  }

  it('keeps no case-scoped snapshot of a tool the agent is not offered', () => {
    const files = readdirSync(`${SNAP_DIR}case-scoped`).map((f) => f.replace(/\.json$/, ''));
    expect(files.sort()).toEqual(agentTools.map((t) => t.name).sort());
  });

  it('never asks the agent for invoice_id', () => {
    for (const tool of agentTools)
      expect(caseScopedTool(tool, describeTool(tool)).inputSchema.properties ?? {}, tool.name).not.toHaveProperty(
        'invoice_id',
      );
  });
});

describe('README tool table', () => {
  it('is the table generated from the registry', () => {
    const readme = readFileSync(README, 'utf8');
    const between = readme.slice(readme.indexOf(TABLE_START) + TABLE_START.length, readme.indexOf(TABLE_END)).trim();
    expect(readme.indexOf(TABLE_START)).toBeGreaterThan(readme.indexOf('## Tools'));
    expect(between).toBe(toolTable());
    expect(withToolTable(readme)).toBe(readme);
  });

  it('has one row per tool, and first sentences do not stop at "e.g."', () => {
    expect(toolTable().split('\n')).toHaveLength(TOOLS.length + 2);
    expect(firstSentence('Search clauses (e.g. AP-TOL-2.1) by text. Then more.')).toBe(
      'Search clauses (e.g. AP-TOL-2.1) by text.',
    );
    expect(() => withToolTable('# no markers')).toThrow(/markers/);
  });
});
