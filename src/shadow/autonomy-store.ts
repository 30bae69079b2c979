/**
 * Runtime autonomy changes: a person with the approver role promotes a slice (review page or
 * `settle autonomy promote`), or a slice demotes itself when its agreement falls below its
 * threshold. The newest change per slice is in force and is read before the controls file's
 * rules. Rows are never changed — a slice is changed again by a newer row — except for noting
 * that the digest announced a demotion.
 */
import { hashOf } from '../guard/canonical.js';
import { AutonomyRule } from '../domain/controls.js';
import type { SourcedRule } from '../guard/autonomy.js';
import { describeRule } from '../guard/autonomy.js';
import type { Queryable } from '../db/transaction.js';

export type ChangeKind = 'promotion' | 'demotion' | 'change';

export interface AutonomyChange {
  id: number;
  rule: AutonomyRule;
  kind: ChangeKind;
  reason: string;
  changedBy: string;
  changedAt: Date;
  announcedAt: Date | null;
}

/** Which slice a rule is about (everything but its mode and name). */
export function sliceKey(rule: AutonomyRule): string {
  const { mode: _mode, name: _name, ...slice } = rule;
  const norm = (v: unknown): unknown =>
    Array.isArray(v) ? [...v].map(String).sort() : v === undefined ? undefined : String(v);
  return hashOf(
    Object.fromEntries(
      Object.entries(slice)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, norm(v)]),
    ),
  );
}

const RANK: Record<string, number> = { shadow: 0, monitor: 1, assisted: 2, autonomous: 3 };

/** Moving a slice to more autonomy is a promotion, to less a demotion. */
export function kindOf(from: string, to: string): ChangeKind {
  return (RANK[to] ?? 0) > (RANK[from] ?? 0)
    ? 'promotion'
    : (RANK[to] ?? 0) < (RANK[from] ?? 0)
      ? 'demotion'
      : 'change';
}

interface Row {
  id: string;
  rule: unknown;
  kind: ChangeKind;
  reason: string;
  changed_by: string;
  changed_at: Date;
  announced_at: Date | null;
}

function fromRow(r: Row): AutonomyChange {
  return {
    id: Number(r.id),
    rule: AutonomyRule.parse(r.rule),
    kind: r.kind,
    reason: r.reason,
    changedBy: r.changed_by,
    changedAt: new Date(r.changed_at),
    announcedAt: r.announced_at ? new Date(r.announced_at) : null,
  };
}

export interface AutonomyStore {
  /** The change in force per slice, newest first. */
  current(): Promise<AutonomyChange[]>;
  /** Rules for the guard: the changes in force, labelled with who made them. */
  rules(): Promise<SourcedRule[]>;
  record(change: {
    rule: AutonomyRule;
    kind: ChangeKind;
    reason: string;
    changedBy: string;
    at?: Date;
  }): Promise<AutonomyChange>;
  /** Demotions the digest has not announced yet; marks them announced. */
  takeUnannounced(): Promise<AutonomyChange[]>;
  history(limit?: number): Promise<AutonomyChange[]>;
}

export function createAutonomyStore(db: Queryable): AutonomyStore {
  async function current(): Promise<AutonomyChange[]> {
    const { rows } = await db.query<Row>(
      `select distinct on (slice_key) id, rule, kind, reason, changed_by, changed_at, announced_at
       from autonomy_changes order by slice_key, id desc`,
    );
    return rows.map(fromRow).sort((a, b) => b.id - a.id);
  }
  return {
    current,
    async rules() {
      return (await current()).map((c) => ({
        rule: c.rule,
        source: `${c.kind === 'demotion' && c.changedBy === 'settle' ? 'demoted itself' : `${c.kind === 'demotion' ? 'demoted' : c.kind === 'promotion' ? 'promoted' : 'set'} by ${c.changedBy}`} ${c.changedAt.toISOString().slice(0, 10)}`,
      }));
    },
    async record(change) {
      const rule = AutonomyRule.parse(change.rule);
      const { rows } = await db.query<Row>(
        `insert into autonomy_changes (slice_key, rule, mode, kind, reason, changed_by, changed_at)
         values ($1, $2, $3, $4, $5, $6, coalesce($7, now())) returning *`,
        [
          sliceKey(rule),
          JSON.stringify(rule),
          rule.mode,
          change.kind,
          change.reason.slice(0, 2000) || describeRule(rule),
          change.changedBy,
          change.at ?? null,
        ],
      );
      return fromRow(rows[0]!);
    },
    async takeUnannounced() {
      const { rows } = await db.query<Row>(
        `update autonomy_changes set announced_at = now() where kind = 'demotion' and announced_at is null returning *`,
      );
      return rows.map(fromRow).sort((a, b) => a.id - b.id);
    },
    async history(limit = 50) {
      const { rows } = await db.query<Row>('select * from autonomy_changes order by id desc limit $1', [limit]);
      return rows.map(fromRow);
    },
  };
}
