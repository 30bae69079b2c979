#!/usr/bin/env node
// `settle` runs the built CLI (dist/, built by `npm run build`, which `npm ci` runs as `prepare`).
import module from 'node:module';
import { existsSync } from 'node:fs';

// Node 22.1+ keeps the compiled code of the modules it loads on disk and reuses it next start.
module.enableCompileCache?.();
const cli = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error(
    'settle: not built yet — run `npm run build` (npm ci does it), or `npm run settle -- …` to run from source with tsx',
  );
  process.exit(1);
}
await import(cli.href);
