/** Writing a command's `--json FILE`: the directory must exist; a failure is one clear line. */
import { writeFile } from 'node:fs/promises';
import { UserError } from '../errors.js';

export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  try {
    await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
  } catch (error) {
    throw new UserError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  process.stderr.write(`settle: wrote ${path}\n`);
}
