/**
 * Fitted calibrations, versioned: each fit is a new row (its id is the version), the newest is in
 * force. The artifact is validated on the way in and out (it is also read from JSON files).
 */
import { CalibrationArtifact, gateOf, type ConfidenceGate } from '../domain/calibration-artifact.js';
import type { Queryable } from '../db/transaction.js';

export interface StoredCalibration {
  id: number;
  fittedAt: Date;
  fittedBy: string;
  artifact: CalibrationArtifact;
}

export interface CalibrationStore {
  save(artifact: CalibrationArtifact, by: string): Promise<StoredCalibration>;
  /** The calibration in force, or undefined before the first fit. */
  latest(): Promise<StoredCalibration | undefined>;
  /** Its version alone (a cheap read), or null before the first fit. */
  latestId(): Promise<number | null>;
}

interface Row {
  id: string;
  fitted_at: Date;
  fitted_by: string;
  artifact: unknown;
}

const fromRow = (r: Row): StoredCalibration => ({
  id: Number(r.id),
  fittedAt: new Date(r.fitted_at),
  fittedBy: r.fitted_by,
  artifact: CalibrationArtifact.parse(r.artifact),
});

export function createCalibrationStore(db: Queryable): CalibrationStore {
  return {
    async save(artifact, by) {
      const valid = CalibrationArtifact.parse(artifact);
      const { rows } = await db.query<Row>(
        'insert into confidence_calibrations (fitted_at, fitted_by, n, sources, artifact) values ($1, $2, $3, $4, $5) returning id, fitted_at, fitted_by, artifact',
        [valid.fitted_at, by, valid.n, JSON.stringify(valid.sources), JSON.stringify(valid)],
      );
      return fromRow(rows[0]!);
    },
    async latestId() {
      const { rows } = await db.query<{ id: string }>('select max(id)::text as id from confidence_calibrations');
      return rows[0]?.id ? Number(rows[0].id) : null;
    },
    async latest() {
      const { rows } = await db.query<Row>(
        'select id, fitted_at, fitted_by, artifact from confidence_calibrations order by id desc limit 1',
      );
      return rows[0] ? fromRow(rows[0]) : undefined;
    },
  };
}

/** How a calibration is named on audit rows, proposals and pages. */
export function calibrationLabel(c: StoredCalibration): string {
  return `calibration #${c.id} (${c.artifact.fitted_at.slice(0, 10)}, ${c.artifact.n} labels)`;
}

/**
 * The gate of the calibration in force, or null before the first fit. The guard asks on every
 * write, so the artifact (labels included) is read and validated only when a newer fit appears.
 */
export function gateReader(store: CalibrationStore): () => Promise<ConfidenceGate | null> {
  let cached: { id: number; gate: ConfidenceGate } | undefined;
  return async () => {
    const id = await store.latestId();
    if (id === null) return null;
    if (cached?.id !== id) {
      const c = await store.latest();
      if (!c) return null;
      cached = { id: c.id, gate: gateOf(c.artifact, calibrationLabel(c)) };
    }
    return cached.gate;
  };
}
