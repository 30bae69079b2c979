import { z } from 'zod';
import { ToolError, defineTool } from '../src/guard/tool.js';
import { createGrirStore } from '../src/grir/store.js';
import { GrirCause } from '../src/domain/grir/types.js';

const ItemOut = z.object({
  po_line_id: z.number(),
  po_number: z.string(),
  line_num: z.string(),
  supplier: z.string().nullable(),
  kind: z.string(),
  amount: z.string(),
  currency: z.string(),
  age_days: z.number(),
  cause: z.string(),
  evidence: z.array(z.string()),
  proposed_action: z.object({
    kind: z.string(),
    amount: z.string(),
    reason: z.string(),
    follow_up: z.string().optional(),
  }),
});

export const grirOpenItems = defineTool({
  name: 'grir_open_items',
  title: 'GR/IR open items',
  description:
    'List open GR/IR items from the latest `settle grir` run (oldest and largest first): PO line, received-not-invoiced / invoiced-not-received / price difference, amount, currency, age, the root cause found deterministically with its evidence, and the proposed action. Filter by cause or PO line.',
  inputSchema: z.strictObject({
    cause: GrirCause.optional(),
    po_line_id: z.number().int().positive().optional(),
    min_age_days: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(100).default(25),
  }),
  outputSchema: z.object({ items: z.array(ItemOut), total_listed: z.number() }),
  ownStoreOnly: true,
  guardClass: 'read',
  requiredScope: 'grir:read',
  async handler(input, ctx) {
    if (!ctx.grir) throw new ToolError('no GR/IR book is kept here', 'run `settle grir` first');
    const all = await createGrirStore(ctx.grir.db).openItems(ctx.grir.source, {
      limit: 5_000,
      ...(input.po_line_id ? { poLineId: input.po_line_id } : {}),
    });
    const items = all
      .filter((i) => (!input.cause || i.cause === input.cause) && i.ageDays >= (input.min_age_days ?? 0))
      .slice(0, input.limit)
      .map((i) => ({
        po_line_id: i.poLineId,
        po_number: i.poNumber,
        line_num: i.lineNum,
        supplier: i.supplierName,
        kind: i.kind,
        amount: i.amount,
        currency: i.currency,
        age_days: i.ageDays,
        cause: i.cause,
        evidence: i.evidence,
        proposed_action: {
          kind: i.action.kind,
          amount: i.action.amount,
          reason: i.action.reason,
          ...(i.action.followUp ? { follow_up: i.action.followUp } : {}),
        },
      }));
    return { data: { items, total_listed: items.length }, text: `${items.length} open GR/IR item(s).` };
  },
});
