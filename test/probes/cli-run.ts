/** Run the real CLI (`tsx src/cli.ts …`) as a user would, and collect its exit code and output. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** tsx itself rather than `npx tsx`: npx adds its own warnings to stderr and a second startup. */
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      ['src/cli.ts', ...args],
      { cwd: REPO, env: { ...process.env, DATABASE_URL: '', ...env }, timeout: 180_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
