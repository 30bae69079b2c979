/**
 * Users with roles and the chart of GL accounts with their budget owners. Fixed logins for the
 * people the controls name (`ap.review`, `ap.manager`); generated people for the rest.
 */
import type { GenContext, UserRef } from './context.js';
import type { GlAccount } from './types.js';

/**
 * GL accounts and their budget owners: the same table as `knowledge/policies/non-po-invoices.md`
 * (AP-NPO-2.1), so routing a non-PO invoice by the knowledge pack reaches the labelled person.
 */
const COST_CENTRES: ReadonlyArray<readonly [code: string, name: string, owner: string]> = [
  ['5100-MFG-Materials', 'Production materials', 'mfg.owner'],
  ['5200-MFG-Packaging', 'Packaging', 'mfg.owner'],
  ['6100-IT-Software', 'IT software subscriptions', 'it.owner'],
  ['6110-IT-Hardware', 'IT hardware', 'it.owner'],
  ['6120-IT-Services', 'IT professional services', 'it.owner'],
  ['6200-FAC-Rent', 'Facilities rent', 'fac.owner'],
  ['6210-FAC-Maintenance', 'Facilities maintenance', 'fac.owner'],
  ['6220-FAC-Utilities', 'Utilities', 'fac.owner'],
  ['6300-MKT-Events', 'Marketing events', 'mkt.owner'],
  ['6310-MKT-Agency', 'Marketing agencies', 'mkt.owner'],
  ['6400-OPS-Logistics', 'Freight and logistics', 'ops.owner'],
  ['6410-OPS-Supplies', 'Operating supplies', 'ops.owner'],
  ['6500-LEG-Counsel', 'Outside legal counsel', 'legal.owner'],
  ['6600-HR-Recruiting', 'Recruiting', 'hr.owner'],
  ['6700-FIN-Audit', 'Audit and tax advisory', 'fin.owner'],
  ['6800-TRV-Travel', 'Travel', 'fin.owner'],
];

function makeUser(
  ctx: GenContext,
  login: string,
  first: string,
  last: string,
  roles: string[],
  extra: Record<string, unknown> = {},
): UserRef {
  const id = ctx.nextId('user');
  const ref: UserRef = { id, login, email: `${login}@northwind-example.com`, firstname: first, lastname: last };
  ctx.dataset.users.push({
    ...ref,
    active: true,
    'employee-number': `E${10000 + id}`,
    roles: roles.map((name) => ({ name })),
    'invoicing-user': roles.some((r) => r.startsWith('AP') || r === 'Controller'),
    'purchasing-user': roles.includes('Requester'),
    'default-currency': { code: 'USD' },
    'created-at': ctx.daysAgo(ctx.rng.int(400, 3000)),
    'updated-at': ctx.daysAgo(ctx.rng.int(1, 300)),
    ...extra,
  });
  return ref;
}

/**
 * The people the controls name for tax questions and supplier-master changes (`tax_team`,
 * `supplier_master_approver`), appended after every other user.
 */
export function addTaxAndSupplierMasterPeople(ctx: GenContext): void {
  makeUser(ctx, 'tax.team', 'Ines', 'Carvalho', ['Tax Analyst']);
  makeUser(ctx, 'supplier.master', 'Omar', 'Haddad', ['Supplier Master Approver']);
}

/** Creates every user and GL account; fills `ctx.people` and `ctx.glAccounts`. */
export function generatePeople(ctx: GenContext, invoiceCount: number): void {
  const { rng } = ctx;
  const ownerLogins = [...new Set(COST_CENTRES.map(([, , owner]) => owner))];
  const taken = new Set<string>(['ap.review', 'ap.manager', 'controller', ...ownerLogins]);
  const uniqueLogin = (first: string, last: string): string => {
    const stem = `${first[0] ?? 'x'}${last}`.toLowerCase().replace(/[^a-z]/g, '');
    let login = stem;
    for (let n = 2; taken.has(login); n++) login = `${stem}${n}`;
    taken.add(login);
    return login;
  };
  const person = (roles: string[], extra?: Record<string, unknown>, login?: string): UserRef => {
    const first = rng.faker.person.firstName();
    const last = rng.faker.person.lastName();
    return makeUser(ctx, login ?? uniqueLogin(first, last), first, last, roles, extra);
  };

  const apManager = makeUser(ctx, 'ap.manager', 'Dana', 'Whitfield', ['AP Manager', 'Invoice Approver'], {
    'invoice-approval-limit': { amount: '250000.00', currency: { code: 'USD' } },
  });
  const apReviewer = makeUser(ctx, 'ap.review', 'Priya', 'Raman', ['AP Reviewer'], {
    manager: { ...apManager },
    'invoice-approval-limit': { amount: '5000.00', currency: { code: 'USD' } },
  });
  const controller = person(
    ['Controller', 'Invoice Approver'],
    { 'invoice-approval-limit': { amount: '1000000.00', currency: { code: 'USD' } } },
    'controller',
  );
  const clerks = [1, 2, 3].map(() => person(['AP Clerk'], { manager: { ...apManager } }));
  const owners = ownerLogins.map((login) =>
    person(
      ['Cost Centre Owner', 'Invoice Approver'],
      {
        manager: { ...controller },
        'invoice-approval-limit': { amount: '50000.00', currency: { code: 'USD' } },
      },
      login,
    ),
  );
  // Roughly one requester per 100 invoices, bounded so a huge company does not get absurd headcount.
  const requesterCount = Math.min(400, Math.max(15, Math.round(invoiceCount / 100)));
  const requesters = Array.from({ length: requesterCount }, () =>
    person(['Requester'], { manager: { ...rng.pick(owners) } }),
  );

  ctx.people = { apReviewer, apManager, clerks, requesters, owners };
  ctx.glAccounts = COST_CENTRES.map(([code, name, ownerLogin]) => ({ code, name, ownerLogin }));
}
