/**
 * vitest global setup: says once, in one line, when the browser tests will be skipped (no
 * Chromium), and fails the run instead when SETTLE_REQUIRE_BROWSER asks for them (CI).
 */
import { browserTestsVerdict } from './chromium.js';

export default function setup(): void {
  const verdict = browserTestsVerdict();
  if (verdict.run) return;
  if (verdict.fail) throw new Error(verdict.message);
  process.stderr.write(`${verdict.message}\n`);
}
