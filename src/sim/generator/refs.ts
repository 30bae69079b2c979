/**
 * Shared reference objects embedded in many records (`{"code": "USD"}`, a supplier, a user).
 * One object per distinct value, handed out by `ctx.ref`: see `GenContext.ref` for why.
 */
import type { GenContext, UserRef } from './context.js';
import type { SupplierProfile } from './supplier-profile.js';

/** `{"code": …}` for a currency, unit of measure, account or term. */
export function codeRef(ctx: GenContext, kind: string, code: string): { code: string } {
  return ctx.ref(kind, code, () => ({ code }));
}

export function currencyRef(ctx: GenContext, code: string): { code: string } {
  return codeRef(ctx, 'currency', code);
}

/** `{"id", "name", "number"}` of a supplier. */
export function supplierRef(ctx: GenContext, s: SupplierProfile): Record<string, unknown> {
  return ctx.ref('supplier', s.id, () => ({ id: s.id, name: s.name, number: s.number }));
}

/** Coupa's UserSimple for a user. */
export function userRef(ctx: GenContext, user: UserRef): UserRef {
  return ctx.ref('user', user.id, () => ({ ...user }));
}
