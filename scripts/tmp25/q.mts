import { openDb } from '/work/wt-25/src/db/connection.js';
const db = await openDb({ dataDir: process.argv[2] });
const r = await db.query(`select invoice_id, item_key, status, reminders, escalated_to, answer from supplier_requests order by id`);
console.log(r.rows);
const s = await db.query(`select invoice_id, decision, executed, verdict->>'outcome' as outcome, verdict->>'summary' as summary from settlements where invoice_id in (select invoice_id from supplier_requests) order by id`);
console.log(s.rows);
const rep = await db.query(`select invoice_id, answered, unasked, attachments, body from supplier_replies`);
console.log(JSON.stringify(rep.rows, null, 1).slice(0, 3000));
await db.close();
