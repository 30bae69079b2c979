/**
 * The `engines` range in package.json is honest: every installed production dependency (direct
 * or not) supports every Node version the range admits, and so does the Node running the tests.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const declared = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { engines: { node: string } }).engines
  .node;

/** Every production package folder npm installed, as `npm ls` lists them. */
function productionPackages(): string[] {
  const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: REPO,
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  return out.trim().split('\n').slice(1);
}

describe('engines', () => {
  it('declares a valid range that admits the Node running the tests', () => {
    expect(semver.validRange(declared)).not.toBeNull();
    expect(semver.satisfies(process.version, declared)).toBe(true);
  });

  it('is within what every installed production dependency declares', () => {
    const excluded: string[] = [];
    const dirs = productionPackages();
    expect(dirs.length).toBeGreaterThan(50);
    for (const dir of dirs) {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name: string;
        version: string;
        engines?: { node?: string };
      };
      const range = pkg.engines?.node;
      if (range && semver.validRange(range) && !semver.subset(declared, range))
        excluded.push(`${pkg.name}@${pkg.version} wants node ${range}`);
    }
    expect(excluded, `package.json says node ${declared}`).toEqual([]);
  });
});
