/**
 * Where the browser tests find Chromium: `SETTLE_CHROMIUM`, else the usual Debian/Ubuntu paths.
 * Without one the browser tests are skipped with one line saying how to run them — unless
 * `SETTLE_REQUIRE_BROWSER=1` (set by .ci/run), which turns the skip into a failure so CI always
 * runs them.
 */
import { existsSync } from 'node:fs';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.SETTLE_CHROMIUM) return existsSync(env.SETTLE_CHROMIUM) ? env.SETTLE_CHROMIUM : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

export const BROWSER_SKIP_LINE =
  'browser tests skipped: Chromium not found — `apt-get install chromium` (or set SETTLE_CHROMIUM=/path/to/chromium) to run them';

/** What to do about the browser tests here: run them, skip them (with the line), or fail. */
export function browserTestsVerdict(
  env: NodeJS.ProcessEnv = process.env,
): { run: true; path: string } | { run: false; message: string; fail: boolean } {
  const path = chromiumPath(env);
  if (path) return { run: true, path };
  const required = env.SETTLE_REQUIRE_BROWSER === '1' || env.SETTLE_REQUIRE_BROWSER === 'true';
  return required
    ? {
        run: false,
        fail: true,
        message:
          'SETTLE_REQUIRE_BROWSER is set but Chromium was not found: `apt-get install chromium` or set SETTLE_CHROMIUM',
      }
    : { run: false, fail: false, message: BROWSER_SKIP_LINE };
}
