/**
 * The Coupa simulator: `startSimulator(options)` serves one independent Coupa tenant over HTTP.
 *
 * CONTRACT (what clients, tests and the eval harness may rely on)
 * - Tokens: `POST /oauth2/token` or `/oauth2/access_tokens`, form (or JSON) body `grant_type=client_credentials`,
 *   credentials in the body (`client_id`, `client_secret`) or HTTP Basic; optional space-separated `scope`.
 *   200 `{access_token, token_type:"bearer", expires_in}`; 401 `{error:"invalid_client"}`; 400 `invalid_scope`
 *   (scope not granted) / `unsupported_grant_type`. Expiry is wall-clock (`tokenTtlSeconds`, default 86399).
 * - API under `/api`, `Authorization: Bearer …`: 401 missing/bad/expired token, 403 missing scope
 *   (scope table in scopes.ts). Errors are `{"errors":{"<object>":["message"]}}`; 404 for unknown ids/routes.
 * - Reads: `GET /api/{invoices,purchase_orders,purchase_order_lines,receiving_transactions,suppliers,
 *   supplier_information,users,contracts,approvals,comments}[/:id]`. Filters `attr=v`, `attr[op]=v` with op in
 *   contains|starts_with|ends_with|gt|lt|gt_or_eq|lt_or_eq|not_eq|in|not_in|blank, association paths
 *   (`supplier[id]=3`, `invoice-lines[order-line-id]=7`: any element matches), dash or underscore names.
 *   `limit` ≤ 50 (default 50), `offset`, `order_by`/`dir` (default id asc), `fields`. Empty result: `[]`.
 *   Equality on text is exact; contains/starts_with/ends_with ignore case; decimal strings and dates compare by value.
 * - Writes (all answer the updated record; creates answer 201):
 *   `POST /api/invoices` → draft. `PUT /api/invoices/:id` → fields and tolerance resolution:
 *   `{"failed-tolerances":[{"id":55,"resolved":true,"resolution-strategy":"…"}],
 *     "invoice-lines":[{"id":7,"failed-tolerances":[{"id":56,"resolved":true,"resolution-strategy":"…"}]}]}`.
 *   `PUT /api/invoices/:id/{submit,revalidate_tolerances,dispute,withdraw_dispute,void,abandon,add_approver}`
 *   per the table in state-machine.ts (illegal → 400). dispute: `{"dispute-reason":{"code":"INCORRECT-PRICE"},
 *   "comment":"…"}` (comment stored to-supplier). add_approver: `?approver_id=33` or body `{"approver-id":33}` /
 *   `{"approver":{"id"|"login":…}}`, optional `note` → approval `{status:"pending_approval",
 *   "approvable-type":"InvoiceHeader",…}` in `/api/approvals` and the invoice's `approvals`; status unchanged.
 *   `POST /api/invoices/:id/comments` `{"comments":"…","to-supplier":false}`; `POST /api/comments` with
 *   `commentable-type`/`commentable-id`. `POST /api/invoices/:id/attachments`: multipart `attachment[file]` etc.
 *   or JSON `{"type":"text","text":"…"}`.
 *   Invoice lines also take `tax-rate` and `tax-code` (Coupa's expected tax; billed amounts stay as they are).
 * - Tax engine in AvaTax REST v2's format (routes/avatax.ts): `POST /avatax/api/v2/transactions/create`, HTTP Basic
 *   `sim-account:sim-license`, rates from Settle's offline table; `setTaxEngineFault` makes it time out, 429 or 503.
 * - 429 + `Retry-After` above `rateLimit` (token bucket, 25/s burst 20 by default; counts every request).
 * - Call log: one entry per request, in arrival order. `status` 0 = dropped before processing;
 *   `dropped: true` with a 2xx status = the write was applied and then the connection was destroyed.
 * - Events: an invoice entering ap_hold / pending_receipt / on_hold (via an action or `upsert`) is POSTed to
 *   `events.url` as `{event_type:"invoice.exception.created", event_id, occurred_at, resource_id,
 *   exception_code?, hold_reason}`, with a bearer token from `events.tokenUrl` (Basic client credentials) if set.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { buildSimApp } from './app.js';
import { createTokenService, DEFAULT_TOKEN_TTL_SECONDS } from './auth.js';
import { createEventNotifier } from './callouts.js';
import { createClock } from './clock.js';
import { cloneJson } from './clone.js';
import type { WireObject } from './collection.js';
import type { RequestState, SimContext } from './context.js';
import type { CoupaDataset } from './dataset.js';
import { createFaultInjector, createRateLimiter } from './faults.js';
import { AVATAX_SIM_PATH, createAvaTaxSimState } from './routes/avatax.js';
import { SimStore } from './store.js';
import { ALL_SCOPES, type CallLogEntry, type SimClient, type SimulatorHandle, type SimulatorOptions } from './types.js';

export const DEFAULT_RATE_LIMIT = { perSecond: 25, burst: 20 } as const;

/** The default OAuth client: every scope, a fresh secret per instance. */
function defaultClient(): SimClient {
  return { clientId: 'settle-sample', clientSecret: randomBytes(18).toString('base64url'), scopes: [...ALL_SCOPES] };
}

function assertIds(dataset: Partial<CoupaDataset>): void {
  for (const [name, records] of Object.entries(dataset)) {
    if (name === 'comments' || !Array.isArray(records)) continue;
    records.forEach((record: unknown, i) => {
      const id = (record as { id?: unknown } | null)?.id;
      if (!Number.isInteger(id)) throw new Error(`dataset ${name}[${i}] has no integer id`);
    });
  }
}

function createContext(options: SimulatorOptions, clients: SimClient[]): SimContext {
  if (options.dataset) assertIds(options.dataset);
  const clock = createClock(options.now);
  const callLog: CallLogEntry[] = [];
  const states = new WeakMap<object, RequestState>();
  let seq = 0;
  return {
    store: new SimStore(options.dataset),
    clock,
    tokens: createTokenService(clients, options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS, options.tokenClock),
    faults: createFaultInjector(options.faults),
    limiter: createRateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT),
    events: createEventNotifier(options.events, () => clock.now()),
    callLog,
    nextSeq: () => ++seq,
    state: (request) => states.get(request),
    setState: (request, state) => states.set(request, state),
    dialect: options.dialect ?? 'coupa',
    dialectSeed: options.dialectSeed ?? 1,
    avatax: createAvaTaxSimState(),
  };
}

/** Start a simulator instance and resolve once it is listening. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const clients = options.clients && options.clients.length > 0 ? options.clients : [defaultClient()];
  const ctx = createContext(options, clients);
  const app = buildSimApp(ctx);
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    credentials: clients[0] as SimClient,
    callLog: ctx.callLog,
    clearCallLog: () => void ctx.callLog.splice(0),
    setFaults: (faults) => ctx.faults.set(faults),
    setNow: (iso) => ctx.clock.set(iso),
    setDialect(dialect, seed) {
      ctx.dialect = dialect;
      if (seed !== undefined) ctx.dialectSeed = seed;
    },
    avataxUrl: `http://${host}:${address.port}${AVATAX_SIM_PATH}`,
    setTaxEngineFault(fault, hangMs) {
      ctx.avatax.fault = fault;
      if (hangMs !== undefined) ctx.avatax.hangMs = hangMs;
    },
    now: () => ctx.clock.now(),
    records: (collection) => ctx.store.snapshot(collection) as unknown as CoupaDataset[typeof collection],
    upsert(collection, record) {
      const id = (record as { id?: unknown }).id;
      if (!Number.isInteger(id)) throw new Error(`upsert into ${collection}: record needs an integer id`);
      const previous = ctx.store.get(collection, id as number);
      const next = { ...cloneJson(record), 'updated-at': ctx.clock.now() } as WireObject;
      ctx.store.put(collection, next);
      if (collection === 'invoices') ctx.events.invoiceChanged(previous?.status as string | undefined, next);
    },
    remove: (collection, id) => ctx.store.remove(collection, id),
    async close() {
      await ctx.events.close();
      await app.close();
    },
  };
}
