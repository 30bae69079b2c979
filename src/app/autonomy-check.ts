/**
 * The rolling-window check behind self-demotion: gathers every labelled outcome (shadow cases a
 * person settled, QA reviews of autonomous settlements), judges each autonomous slice against its
 * threshold, and records and audits the demotions. Run by `settle autonomy check`, the digest,
 * and after each QA review.
 */
import type { Db } from '../db/connection.js';
import type { Controls } from '../domain/controls.js';
import { controlsRules } from '../guard/autonomy.js';
import { createAuditLog } from '../audit/index.js';
import { createAutonomyStore } from '../shadow/autonomy-store.js';
import {
  applyDemotions,
  DEFAULT_DEMOTION,
  findDemotions,
  type Demotion,
  type LabelledOutcome,
} from '../shadow/demotion.js';
import { createShadowStore } from '../shadow/store.js';
import { createModeSetting } from './settings.js';
import { qaOutcomes } from '../shadow/qa-store.js';

export async function labelledOutcomes(db: Db, since: Date): Promise<LabelledOutcome[]> {
  const shadow = (await createShadowStore(db).list())
    .filter((c) => c.person && c.person.observedAt >= since)
    .map((c): LabelledOutcome => ({
      at: c.person!.observedAt,
      source: 'shadow',
      invoiceId: c.invoiceId,
      exceptionType: c.exceptionType,
      supplierId: c.supplierId,
      supplierNumber: null,
      amount: c.amount,
      agreed: c.agreed === true,
      falseRelease: c.agent.decision === 'resolve' && c.person!.decision !== 'resolve',
    }));
  return [...shadow, ...(await qaOutcomes(db, since))];
}

export async function runDemotionCheck(options: {
  db: Db;
  controls: Controls;
  now: Date;
  windowDays?: number;
}): Promise<Demotion[]> {
  const { db, controls, now } = options;
  const policy = { ...DEFAULT_DEMOTION, ...(options.windowDays ? { windowDays: options.windowDays } : {}) };
  const store = createAutonomyStore(db);
  const rules = [...(await store.rules()), ...controlsRules(controls)];
  const outcomes = await labelledOutcomes(db, new Date(now.getTime() - policy.windowDays * 86_400_000));
  const globalMode = await createModeSetting(db, controls.mode).get();
  const demotions = findDemotions(rules, outcomes, now, controls.supplier_tags, globalMode, policy);
  await applyDemotions(demotions, { store, audit: createAuditLog(db), now });
  return demotions;
}
