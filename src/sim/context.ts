/**
 * Everything one simulator instance owns, handed to its hooks and routes. Nothing here is global:
 * two instances in one process share no state.
 */
import type { Dialect } from './dialects.js';
import type { FastifyRequest } from 'fastify';
import type { TokenGrant, TokenService } from './auth.js';
import type { EventNotifier } from './callouts.js';
import type { SimClock } from './clock.js';
import type { WireObject } from './collection.js';
import type { AvaTaxSimState } from './routes/avatax.js';
import type { FaultDecision, FaultInjector, RateLimiter } from './faults.js';
import type { SimStore } from './store.js';
import type { CallLogEntry, SimClient } from './types.js';

/** What the hooks learn about one request as it moves through its lifecycle. */
export interface RequestState {
  entry: CallLogEntry;
  fault?: FaultDecision;
  grant?: TokenGrant;
}

export interface SimContext {
  store: SimStore;
  clock: SimClock;
  tokens: TokenService;
  faults: FaultInjector;
  limiter: RateLimiter;
  events: EventNotifier;
  /** The instance's call log (one array for the instance's lifetime). */
  callLog: CallLogEntry[];
  nextSeq(): number;
  state(request: FastifyRequest): RequestState | undefined;
  setState(request: FastifyRequest, state: RequestState): void;
  /** The shape API answers are written in (dialects.ts); `coupa` = as stored. */
  dialect: Dialect;
  dialectSeed: number;
  /** The AvaTax-format tax engine's faults and rate table. */
  avatax: AvaTaxSimState;
}

/** The user an API client acts as, for `created-by`/`updated-by` (UserSimple shape). */
export function actorOf(ctx: SimContext, request: FastifyRequest): Record<string, unknown> {
  const clientId = ctx.state(request)?.grant?.clientId ?? 'anonymous';
  const client: SimClient | undefined = ctx.tokens.client(clientId);
  const login = client?.userLogin;
  if (login) {
    const ids = ctx.store.collection('users').lookup('login', [`s:${login}`]);
    const id = ids?.values().next().value;
    const user: WireObject | undefined = id === undefined ? undefined : ctx.store.get('users', id);
    if (user) {
      const { id: userId, login: userLogin, email, firstname, lastname } = user;
      return { id: userId, login: userLogin, email, firstname, lastname };
    }
    return { login };
  }
  return { login: clientId };
}
