/**
 * Which OAuth scope each simulator endpoint requires (coupa-api.md §2.1; R-UNI scope list).
 * One table, keyed by method and route pattern, so the whole policy reads in one place; an API
 * route missing from it is refused (deny by default).
 */

const READ_SCOPES: Record<string, string> = {
  invoices: 'core.invoice.read',
  purchase_orders: 'core.purchase_order.read',
  purchase_order_lines: 'core.purchase_order.read',
  receiving_transactions: 'core.inventory.receiving.read',
  suppliers: 'core.supplier.read',
  supplier_information: 'core.supplier.read',
  users: 'core.user.read',
  contracts: 'core.contract.read',
  approvals: 'core.approval.read',
  comments: 'core.comment.read',
};

const INVOICE_WRITE_ACTIONS = ['dispute', 'withdraw_dispute', 'revalidate_tolerances', 'submit', 'abandon', 'void'];

function buildTable(): Map<string, string> {
  const table = new Map<string, string>();
  for (const [resource, scope] of Object.entries(READ_SCOPES)) {
    table.set(`GET /api/${resource}`, scope);
    table.set(`GET /api/${resource}/:id`, scope);
  }
  table.set('POST /api/invoices', 'core.invoice.create');
  table.set('PUT /api/invoices/:id', 'core.invoice.write');
  table.set('PATCH /api/invoices/:id', 'core.invoice.write');
  for (const action of INVOICE_WRITE_ACTIONS) table.set(`PUT /api/invoices/:id/${action}`, 'core.invoice.write');
  table.set('PUT /api/invoices/:id/add_approver', 'core.invoice.approval.write');
  table.set('GET /api/invoices/:id/comments', 'core.comment.read');
  table.set('POST /api/invoices/:id/comments', 'core.comment.write');
  table.set('POST /api/comments', 'core.comment.write');
  table.set('GET /api/invoices/:id/attachments', 'core.invoice.read');
  table.set('POST /api/invoices/:id/attachments', 'core.attachment.write');
  return table;
}

export const SCOPE_BY_ROUTE: ReadonlyMap<string, string> = buildTable();

/** The scope `method routeUrl` needs, or undefined when the route is not in the table. */
export function scopeFor(method: string, routeUrl: string): string | undefined {
  return SCOPE_BY_ROUTE.get(`${method} ${routeUrl}`);
}
