/**
 * `settle calibrate fit|show`: fit the agent's confidence on labelled outcomes (eval results,
 * shadow cases, QA reviews) per exception type, choose each type's autonomy threshold from it, and
 * show the calibration in force with its reliability diagram, ECE before and after, and its data.
 */
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { UserError } from '../errors.js';
import { DEFAULT_TARGETS } from '../domain/confidence-threshold.js';
import { withStoreRuntime } from '../app/runner-runtime.js';
import { fitFromSources } from '../app/calibration-fit.js';
import { calibrationLabel, createCalibrationStore } from '../shadow/calibration-store.js';
import { calibrationText } from '../shadow/calibration-text.js';
import { writeJsonFile } from './json-file.js';

/** `0.005`, `0.5%` → 0.005. */
export function parseShare(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(value.trim());
  const share = m ? (m[2] === '%' ? Number(m[1]) / 100 : Number(m[1])) : NaN;
  if (!m || !(share >= 0 && share <= 1))
    throw new UserError(`${flag} takes a share (0.005) or a percentage (0.5%), got "${value}"`);
  return share;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

interface FitFlags {
  labels?: string[];
  shadow: boolean;
  qa: boolean;
  targetFalseRelease: string;
  minAccuracy: string;
  json?: string;
  dryRun?: boolean;
}

export function registerCalibrateCommand(program: Command): void {
  const cal = program
    .command('calibrate')
    .description(
      'Calibrated confidence: fit it on labelled outcomes, choose autonomy thresholds, show the reliability diagram',
    );
  cal
    .command('fit')
    .description('Fit the confidence per exception type on labelled outcomes and store it as the calibration in force')
    .option('--labels <file>', '`settle eval --json` output or an earlier calibration JSON (repeatable)', collect)
    .option('--no-shadow', 'leave out shadow cases a person has settled')
    .option('--no-qa', 'leave out reviewed QA samples')
    .option(
      '--target-false-release <share>',
      'largest share of settled value released in error',
      String(DEFAULT_TARGETS.targetFalseRelease),
    )
    .option(
      '--min-accuracy <share>',
      'smallest expected accuracy of what the agent settles alone',
      String(DEFAULT_TARGETS.minAccuracy),
    )
    .option('--json <file>', 'also write the calibration (fit, thresholds, check and labels) as JSON')
    .option('--dry-run', 'compute and print, store nothing')
    .action(async (flags: FitFlags) => {
      const targets = {
        targetFalseRelease: parseShare('--target-false-release', flags.targetFalseRelease),
        minAccuracy: parseShare('--min-accuracy', flags.minAccuracy),
      };
      await withStoreRuntime(loadConfig(), async (runtime) => {
        const { artifact, label } = await fitFromSources(runtime.db, {
          files: flags.labels ?? [],
          shadow: flags.shadow,
          qa: flags.qa,
          targets,
          now: new Date(),
          store: !flags.dryRun,
          by: 'settle calibrate',
        });
        console.log(calibrationText(artifact, label));
        if (flags.json) await writeJsonFile(flags.json, artifact);
      });
    });
  cal
    .command('show')
    .description(
      'The calibration in force: ECE raw and calibrated per type, reliability diagram, thresholds and their data',
    )
    .option('--json <file>', 'also write it as JSON')
    .action(async (flags: { json?: string }) => {
      await withStoreRuntime(loadConfig(), async (runtime) => {
        const current = await createCalibrationStore(runtime.db).latest();
        if (!current) {
          console.log(
            'No calibration yet: confidence is the raw score and no case is held back for low confidence. Fit one with `settle calibrate fit --labels EVAL.json`.',
          );
          return;
        }
        console.log(calibrationText(current.artifact, `${calibrationLabel(current)}, by ${current.fittedBy}`));
        if (flags.json) await writeJsonFile(flags.json, current.artifact);
      });
    });
}
