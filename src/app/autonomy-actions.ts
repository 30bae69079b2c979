/**
 * Changing a slice's autonomy by hand: only a person with the approver role may, the change is
 * audited under their name, and it is in force for the guard's next call.
 */
import type { AuditSink } from '../guard/guard.js';
import { describeRule } from '../guard/autonomy.js';
import type { Identity } from '../guard/identity.js';
import type { AutonomyRule, Controls } from '../domain/controls.js';
import { UserError } from '../errors.js';
import { kindOf, sliceKey, type AutonomyChange, type AutonomyStore } from '../shadow/autonomy-store.js';

export interface AutonomyChangeDeps {
  store: AutonomyStore;
  audit: AuditSink;
  controls: Pick<Controls, 'mode' | 'autonomy'>;
}

/** The mode the slice has now: its runtime change, else its controls rule, else the global mode. */
async function modeBefore(deps: AutonomyChangeDeps, rule: AutonomyRule): Promise<string> {
  const key = sliceKey(rule);
  const runtime = (await deps.store.current()).find((c) => sliceKey(c.rule) === key);
  return runtime?.rule.mode ?? deps.controls.autonomy.find((r) => sliceKey(r) === key)?.mode ?? deps.controls.mode;
}

export async function changeSliceMode(
  deps: AutonomyChangeDeps,
  identity: Identity,
  rule: AutonomyRule,
  reason: string,
): Promise<AutonomyChange> {
  if (identity.kind !== 'person' || !identity.scopes.has('proposals:decide')) {
    throw new UserError(`"${identity.id}" may not change autonomy: only a person with the approver role may`);
  }
  const before = await modeBefore(deps, rule);
  const kind = kindOf(before, rule.mode);
  const why = reason.trim() || `${kind} of ${describeRule(rule)}`;
  const change = await deps.store.record({ rule, kind, reason: why, changedBy: identity.id });
  await deps.audit.record({
    actor: identity.id,
    actorKind: 'person',
    tool: `autonomy_${kind === 'change' ? 'set' : kind === 'promotion' ? 'promote' : 'demote'}`,
    input: { rule, from: before },
    decision: 'executed',
    reason: why,
    coupaCalls: 0,
    resultSummary: `${describeRule(rule)} (was ${before})`,
    idempotencyKey: null,
    invoiceId: null,
  });
  return change;
}
