import { openDb } from '/work/wt-25/src/db/connection.js';
const db = await openDb({ dataDir: process.argv[2] });
const s = await db.query(`select id, verdict from settlements where invoice_id = 100338 order by id`);
for (const r of s.rows) console.log(JSON.stringify(r.verdict).slice(0, 2500));
await db.close();
