/**
 * GR/IR on the embedded default as `settle start`/`serve` run it, with no `settle grir` before:
 * the embedded simulator serves the sample company with its GR/IR book, the GR/IR page loads the
 * book on first view, and an accountant's approval comments on the PO in that simulator. Over
 * real HTTP (sign-in form, CSRF, cookies), no browser needed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRuntime, type OpenedRuntime } from '../src/app/embedded.js';
import { poCommentMarker } from '../src/grir/decisions.js';
import { SAMPLE_GRIR_SOURCE } from '../src/grir/source.js';
import { createTokenDirectory, type TokenEntry } from '../src/mcp/auth.js';
import { createReviewServer } from '../src/web/index.js';
import { configFor } from './mcp.fixture.js';
import { signIn } from './web.fixture.js';

const TOKENS: TokenEntry[] = [
  { token: 'tok-serve-reviewer-0123456789', login: 'rita.reviewer', roles: ['reviewer'] },
  { token: 'tok-serve-accountant-0123456789', login: 'amy.accountant', roles: ['accountant'] },
];

let opened: OpenedRuntime;
let baseUrl: string;
let closeApp: () => Promise<unknown>;

beforeAll(async () => {
  opened = await openRuntime(configFor(), { auditCheckpoints: false }, { invoices: 200, say: () => undefined });
  const app = await createReviewServer({
    runtime: opened.runtime,
    tokens: createTokenDirectory(TOKENS),
    signInPerMinute: 100,
  });
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  closeApp = () => app.close();
}, 180_000);
afterAll(async () => {
  await closeApp?.();
  await opened?.close();
});

const runs = async (): Promise<number> =>
  Number(
    (
      await opened.runtime.db.query<{ n: string }>('select count(*) as n from grir_runs where source = $1', [
        SAMPLE_GRIR_SOURCE,
      ])
    ).rows[0]!.n,
  );

describe('GR/IR on the embedded serve/start runtime', () => {
  it('loads the book on the first page view, once, and an approval comments on the PO', async () => {
    expect(await runs()).toBe(0);
    const reviewer = await signIn(baseUrl, TOKENS[0]!.token);
    const page = await reviewer.c.get('/review/grir');
    expect(page.status).toBe(200);
    expect(await runs()).toBe(1);
    await reviewer.c.get('/review/grir');
    expect(await runs()).toBe(1); // fresh: a second view reads nothing

    const { rows } = await opened.runtime.db.query<{ po_line_id: string; po_id: string }>(
      `select o.po_line_id, l.po_id from grir_open_items o join grir_po_lines l using (source, po_line_id)
       where o.source = $1 and o.item->'action'->>'kind' = 'clearing_entry' order by o.po_line_id limit 1`,
      [SAMPLE_GRIR_SOURCE],
    );
    expect(rows).toHaveLength(1);
    const poId = Number(rows[0]!.po_id);
    // The PO is in the simulator this runtime talks to (the book's POs are the embedded tenant's).
    expect(opened.sim!.records('purchase-orders').some((po) => po.id === poId)).toBe(true);

    const proposed = await reviewer.c.post('/review/grir/propose', {
      _csrf: await reviewer.c.csrf('/review/grir'),
      po_line_id: rows[0]!.po_line_id,
    });
    expect(proposed.status).toBe(303);
    const { rows: pending } = await opened.runtime.db.query<{ id: string }>(
      `select id from grir_proposals where source = $1 and status = 'pending' order by id desc limit 1`,
      [SAMPLE_GRIR_SOURCE],
    );
    const id = Number(pending[0]!.id);

    const accountant = await signIn(baseUrl, TOKENS[1]!.token);
    const approved = await accountant.c.post(`/review/grir/proposals/${id}/approve`, {
      _csrf: await accountant.c.csrf('/review/grir'),
    });
    expect(approved.status).toBe(303);
    const after = await (await accountant.c.get('/review/grir')).text();
    expect(after).toMatch(/Comment added to PO/);
    const comments = opened
      .sim!.records('comments')
      .filter((c) => c['commentable-type'] === 'OrderHeader' && c['commentable-id'] === poId);
    expect(comments.map((c) => String(c.comments)).filter((t) => t.includes(poCommentMarker({ id })))).toHaveLength(1);
  });
});
