/**
 * Who is calling a tool, and what they may do. Scopes are Settle's own (never Coupa's): a caller's
 * token maps to an identity here, and Settle uses its own Coupa credentials upstream.
 */
import { z } from 'zod';

export const Scope = z.enum([
  'invoices:read', // read tools and analysis
  'invoices:comment', // internal and supplier-facing comments, dossiers
  'invoices:write', // state-changing writes (resolve, route, dispute) — executed or proposed by the guard
  'proposals:decide', // approve or reject proposals; never held by the agent
  'settings:mode', // switch monitor / assisted / autonomous
  'audit:read', // read and export the audit trail
  'grir:read', // read the GR/IR book and its open items
  'grir:propose-clearing', // propose clearing a GR/IR item (a proposal only); not the case-bound agent
  'grir:propose-adjustment', // propose adjusting an invoice to the PO value (a proposal only)
  'grir:approve', // approve GR/IR clearings and adjustments; accountants only, never the agent
  'documents:attach', // put a supplier's mailed document on its invoice; held only by Settle's inbound-mail identity
]);
export type Scope = z.infer<typeof Scope>;

export const Role = z.enum(['agent', 'reviewer', 'approver', 'auditor', 'read-only', 'accountant']);
export type Role = z.infer<typeof Role>;

/** Role → scopes. The agent can propose and act within controls, but never approve. */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  // The agent settling one invoice may propose that invoice's adjustment; the GR/IR book is people's work.
  agent: ['invoices:read', 'invoices:comment', 'invoices:write', 'grir:propose-adjustment'],
  reviewer: [
    'invoices:read',
    'invoices:comment',
    'invoices:write',
    'grir:read',
    'grir:propose-clearing',
    'grir:propose-adjustment',
  ],
  approver: [
    'invoices:read',
    'invoices:comment',
    'invoices:write',
    'proposals:decide',
    'settings:mode',
    'audit:read',
    'grir:read',
    'grir:propose-clearing',
    'grir:propose-adjustment',
  ],
  auditor: ['invoices:read', 'audit:read'],
  'read-only': ['invoices:read'],
  accountant: [
    'invoices:read',
    'grir:read',
    'grir:propose-clearing',
    'grir:propose-adjustment',
    'grir:approve',
    'audit:read',
  ],
};

export type ActorKind = 'person' | 'agent' | 'policy' | 'system';

export interface Identity {
  /** Stable id, e.g. a login (`jlee`) or `settle-agent`. */
  readonly id: string;
  readonly kind: ActorKind;
  readonly roles: readonly Role[];
  readonly scopes: ReadonlySet<Scope>;
}

export function createIdentity(id: string, kind: ActorKind, roles: readonly Role[]): Identity {
  const scopes = new Set<Scope>(roles.flatMap((r) => ROLE_SCOPES[r]));
  // Segregation of duties: an agent identity never holds the approver scope, whatever its roles say.
  if (kind === 'agent') {
    scopes.delete('proposals:decide');
    scopes.delete('grir:approve');
  }
  return { id, kind, roles, scopes };
}

/** Settle's own agent identity (the runner and `npm start`). */
export const AGENT_IDENTITY: Identity = createIdentity('settle-agent', 'agent', ['agent']);

/**
 * Settle's inbound supplier mail: attaches a document a supplier mailed to its invoice through the
 * guard (audited, idempotent). It holds no role a token can name: nobody else gets its scope.
 */
export const INBOUND_MAIL_IDENTITY: Identity = {
  id: 'settle-inbound-mail',
  kind: 'system',
  roles: [],
  scopes: new Set<Scope>(['invoices:read', 'documents:attach']),
};

export function hasScope(identity: Identity, scope: Scope): boolean {
  return identity.scopes.has(scope);
}
