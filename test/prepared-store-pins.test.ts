/**
 * The prepared store (src/app/prepared-store.ts) is keyed by the exact PGlite and pgvector versions
 * it was built with, and a copy installed from the registry resolves `dependencies` afresh: a range
 * there would let `npx -y settle-mcp` pick a newer PGlite, pass over the prepared store and run
 * initdb and the knowledge embedding on its first call (half a minute instead of about a second) —
 * and load a pgvector built for another PGlite. So they are pinned to what is installed here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { installedVersion } from '../src/app/package-version.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

describe('dependencies the prepared store is built for', () => {
  it.each(['@electric-sql/pglite', '@electric-sql/pglite-pgvector', '@electric-sql/pglite-socket'])(
    '%s is pinned to the installed version',
    (name) => {
      expect(pkg.dependencies[name]).toBe(installedVersion(name));
    },
  );
});
