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

export function createModeSetting(db: Db, fallback: Mode): ModeSetting {
  return {
    async get() {
      const { rows } = await db.query<{ value: unknown }>(`select value from settings where key = 'mode'`);
      const parsed = Mode.safeParse(rows[0]?.value);
      return parsed.success ? parsed.data : fallback;
    },
    async set(mode, by) {
      await db.query(
        `insert into settings (key, value, updated_by) values ('mode', $1, $2)
         on conflict (key) do update set value = excluded.value, updated_by = excluded.updated_by, updated_at = now()`,
        [JSON.stringify(Mode.parse(mode)), by],
      );
    },
  };
}
