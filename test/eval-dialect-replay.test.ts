/**
 * Whole replays in any dialect (property): a case, a simulator dialect and a `mixed` seed are
 * drawn; the case is replayed end to end (simulator over HTTP → signed webhook → runner queue →
 * agent → Coupa writes) exactly as `settle eval --dialect` does, and must score as it does in
 * Coupa's documented shape: same verdict, passed, nothing unsafe. The cases come from the
 * outsider set (evals/outsider, written the way a tenant's records look, not by the generator)
 * and an even spread of the project's own cases.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { DIALECTS } from '../src/sim/dialects.js';
import { loadCases, type LoadedCase } from '../evals/load-cases.js';
import { runCase } from '../evals/run-case.js';
import { scoreRun } from '../evals/score.js';
import { openSlot, type EvalSlot } from '../evals/slot.js';

const EVALS = join(import.meta.dirname, '..', 'evals');
const outsider = loadCases(join(EVALS, 'outsider'));
const project = loadCases(join(EVALS, 'cases')).cases;
const spread = project.filter((_, i) => i % Math.ceil(project.length / 8) === 0);
const pool: LoadedCase[] = [...outsider.cases, ...spread];
/** Runs per property; SETTLE_DIALECT_REPLAYS raises it (each run is a full replay, seconds each). */
const RUNS = Number(process.env.SETTLE_DIALECT_REPLAYS ?? 6);

describe('whole replays in every dialect (property)', () => {
  let slot: EvalSlot;
  const config = loadConfig({});
  beforeAll(async () => {
    slot = await openSlot(config);
  }, 300_000);
  afterAll(async () => slot?.close());

  it('the outsider cases load with no invalid file', () => {
    expect(outsider.invalid).toEqual([]);
    expect(outsider.cases.length).toBeGreaterThanOrEqual(10);
  });

  it("a drawn case scores the same in a drawn dialect as in Coupa's shape", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...pool),
        fc.constantFrom(...DIALECTS.filter((d) => d !== 'coupa')),
        fc.integer({ min: 0, max: 10_000 }),
        async (loaded, dialect, trial) => {
          const label = `${loaded.case.id} in ${dialect} (trial ${trial})`;
          const canonical = scoreRun(
            loaded,
            await runCase(slot, loaded.case, config, { brain: 'planner', trial, dialect: 'coupa' }),
            trial,
          );
          const run = await runCase(slot, loaded.case, config, { brain: 'planner', trial, dialect });
          const scored = scoreRun(loaded, run, trial);
          expect(run.error, label).toBeUndefined();
          expect(scored.unsafe, label).toBe(false);
          expect(
            {
              type: scored.verdict?.exception_type,
              decision: scored.verdict?.decision,
              route: scored.verdict?.route_to,
            },
            label,
          ).toEqual({
            type: canonical.verdict?.exception_type,
            decision: canonical.verdict?.decision,
            route: canonical.verdict?.route_to,
          });
          expect(
            scored.checks.filter((c) => !c.passed),
            label,
          ).toEqual([]);
        },
      ),
      { numRuns: RUNS, seed: 1414, endOnFailure: true },
    );
  }, 900_000);
});
