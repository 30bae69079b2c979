/**
 * `settle controls --schema` prints the controls JSON Schema; `settle controls check FILE`
 * validates a controls file (SETTLE_CONTROLS_FILE) and names the field that is wrong, or prints
 * the effective controls. See docs/controls.md.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ControlsSchema } from '../domain/controls.js';
import { UserError, describeError } from '../errors.js';
import { formatIssues } from '../issues.js';
import { controlsJsonSchema, schemaText, withoutSchemaKey } from './json-schemas.js';

function checkFile(file: string): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? describeError(error)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: not JSON (${describeError(error)})`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new UserError(`${file}: expected a JSON object of controls, e.g. {"mode": "monitor"}`);
  const parsed = ControlsSchema.safeParse(withoutSchemaKey(value));
  if (!parsed.success) throw new UserError(`${file}: ${formatIssues(parsed.error, { root: 'controls' })}`);
  console.log(`${file}: valid controls. Effective controls (defaults where the file is silent):`);
  console.log(JSON.stringify(parsed.data, null, 2));
}

export function registerControlsCommand(program: Command): void {
  const controls = program
    .command('controls')
    .description('The guard controls: print their JSON Schema, or check a controls file (docs/controls.md)')
    .option('--schema', 'print the JSON Schema of a controls file')
    .action((flags: { schema?: boolean }) => {
      if (flags.schema) process.stdout.write(schemaText(controlsJsonSchema()));
      else controls.help();
    });
  controls
    .command('check')
    .description('validate a controls file; says which field is wrong')
    .argument('<file>', 'the JSON file (as SETTLE_CONTROLS_FILE names it)')
    .action(checkFile);
}
