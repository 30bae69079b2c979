/** Small helpers several commands share; light on purpose (no runtime imports), see cli/commands.ts. */
import { UserError } from '../errors.js';

/** A positive integer option value, or a one-line UserError naming the flag. */
export function positiveInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new UserError(`${flag} takes a positive integer, got "${value}"`);
    return n;
  };
}

/** Resolves on the first SIGTERM/SIGINT; a second one exits at once. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve(signal);
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
}
