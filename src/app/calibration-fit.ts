/**
 * Fitting the confidence calibration: gathers labelled outcomes (given eval results or earlier
 * artifacts, plus the shadow cases and QA reviews in the database), fits, chooses each type's
 * threshold, stores the result as the calibration in force and audits it.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Db } from '../db/connection.js';
import { createAuditLog } from '../audit/index.js';
import { ConfidenceLabelSchema, type ConfidenceLabel } from '../domain/calibration.js';
import { buildCalibration, type CalibrationArtifact } from '../domain/calibration-artifact.js';
import type { ThresholdTargets } from '../domain/confidence-threshold.js';
import { UserError } from '../errors.js';
import { formatIssues } from '../issues.js';
import { calibrationLabel, createCalibrationStore, type StoredCalibration } from '../shadow/calibration-store.js';
import { qaLabels, shadowLabels } from '../shadow/labels.js';
import { evalLabels } from '../../evals/labels.js';
import type { CaseResult } from '../../evals/run-record.js';

const ArtifactLabels = z.object({ labels: z.array(ConfidenceLabelSchema) }).passthrough();
// `settle eval --json` output: only what the labels need is read.
const EvalOutput = z
  .object({
    cases: z.array(
      z
        .object({
          id: z.string(),
          trial: z.number().int(),
          passed: z.boolean(),
          verdict: z
            .object({
              exception_type: z.string(),
              decision: z.string(),
              confidence: z.number().min(0).max(1),
              confidence_raw: z.number().min(0).max(1).optional(),
              invoice_total: z.string().nullable().optional(),
            })
            .passthrough()
            .nullable(),
        })
        .passthrough(),
    ),
  })
  .passthrough();

/** Labels from a `settle eval --json` file or a calibration artifact (its `labels`). */
export async function labelsFromFile(path: string): Promise<ConfidenceLabel[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UserError(
      `cannot read labels from ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  if (json !== null && typeof json === 'object' && 'labels' in json) {
    const parsed = ArtifactLabels.safeParse(json);
    if (!parsed.success)
      throw new UserError(`${path}: invalid calibration labels: ${formatIssues(parsed.error, { root: 'file' })}`);
    return parsed.data.labels;
  }
  const parsed = EvalOutput.safeParse(json);
  if (!parsed.success)
    throw new UserError(
      `${path} is neither \`settle eval --json\` output nor a calibration: ${formatIssues(parsed.error, { root: 'file' })}`,
    );
  return evalLabels(parsed.data.cases as unknown as CaseResult[]);
}

export interface FitRequest {
  files: string[];
  shadow: boolean;
  qa: boolean;
  targets: ThresholdTargets;
  now: Date;
  /** Store it as the calibration in force (otherwise only computed). */
  store: boolean;
  by: string;
}

export async function fitFromSources(
  db: Db,
  req: FitRequest,
): Promise<{ artifact: CalibrationArtifact; stored?: StoredCalibration; label: string }> {
  const labels: ConfidenceLabel[] = [];
  for (const f of req.files) labels.push(...(await labelsFromFile(f)));
  if (req.shadow) labels.push(...(await shadowLabels(db)));
  if (req.qa) labels.push(...(await qaLabels(db)));
  // The same outcome given twice (an artifact and the eval it came from) counts once.
  const unique = [...new Map(labels.map((l) => [l.id, l])).values()];
  if (unique.length === 0)
    throw new UserError(
      'no labelled outcomes: pass --labels FILE (`settle eval --json` output) or collect shadow cases and QA reviews first',
    );
  const artifact = buildCalibration(unique, { fittedAt: req.now, targets: req.targets });
  if (!req.store) return { artifact, label: 'calibration (not stored)' };
  const stored = await createCalibrationStore(db).save(artifact, req.by);
  const label = calibrationLabel(stored);
  const thresholds = Object.entries(artifact.thresholds.by_type)
    .map(([t, c]) => `${t} ${c.threshold === null ? 'none' : c.threshold.toFixed(3)}`)
    .join(', ');
  await createAuditLog(db).record({
    actor: req.by,
    actorKind: 'system',
    tool: 'calibration_fit',
    input: { sources: artifact.sources, targets: artifact.targets, files: req.files },
    decision: 'executed',
    reason: `${label}: ECE ${(artifact.check.overall.raw.ece * 100).toFixed(1)}% raw → ${(artifact.check.overall.calibrated.ece * 100).toFixed(1)}% calibrated (held back)`,
    coupaCalls: 0,
    resultSummary: `thresholds: ${thresholds}`.slice(0, 500),
    idempotencyKey: null,
    invoiceId: null,
  });
  return { artifact, stored, label };
}
