/**
 * Runtime settings a person may change (the mode switch on the dashboard), stored in Postgres so
 * every process sees the same value. The configured controls are the default.
 */
import type { Db } from '../db/connection.js';
import { Mode } from '../domain/controls.js';

export interface ModeSetting {
  get(): Promise<Mode>;
  set(mode: Mode, by: string): Promise<void>;
}

/**
 * The mode is read before every tool call (a settlement makes ~20), so a read is reused for
 * `maxAgeMs` (default 1 s): a switch made on another process takes effect within that second, one
 * made through this setting at once.
 */
export function createModeSetting(db: Db, fallback: Mode, options: { maxAgeMs?: number } = {}): ModeSetting {
  const maxAgeMs = options.maxAgeMs ?? 1_000;
  let cached: { at: number; value: Promise<Mode> } | undefined;
  async function read(): Promise<Mode> {
    const { rows } = await db.query<{ value: unknown }>(`select value from settings where key = 'mode'`);
    const parsed = Mode.safeParse(rows[0]?.value);
    return parsed.success ? parsed.data : fallback;
  }
  return {
    get() {
      const now = performance.now();
      if (!cached || now - cached.at > maxAgeMs) {
        const value = read();
        cached = { at: now, value };
        value.catch(() => {
          if (cached?.value === value) cached = undefined;
        });
      }
      return cached.value;
    },
    async set(mode, by) {
      cached = undefined;
      await db.query(
        `insert into settings (key, value, updated_by) values ('mode', $1, $2)
         on conflict (key) do update set value = excluded.value, updated_by = excluded.updated_by, updated_at = now()`,
        [JSON.stringify(Mode.parse(mode)), by],
      );
      cached = undefined;
    },
  };
}
