// Worker-thread bootstrap. Built (dist/evals), the compiled worker sits next to this file; from a
// source checkout, register the TypeScript loader first (the thread starts without the parent's
// loader flags). Plain JavaScript because it runs before any loader.
import { existsSync } from 'node:fs';

if (existsSync(new URL('./worker.js', import.meta.url))) {
  await import('./worker.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./worker.ts');
}
