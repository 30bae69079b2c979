/** A verdict for a terminal: the decision first, then why, then the cost. */
import type { Verdict } from './verdict.js';

export function formatVerdict(v: Verdict): string {
  const target = v.decision === 'route' ? ` → ${v.route_to}` : v.decision === 'dispute' ? ` (${v.dispute_reason})` : '';
  const lines = [
    `Invoice ${v.invoice_number ?? v.invoice_id} (id ${v.invoice_id})${v.supplier.name ? ` — ${v.supplier.name}` : ''}`,
    `  exception   ${v.exception_type}`,
    `  decision    ${v.decision}${target} — ${v.outcome}${v.proposal_ids.length ? ` (proposal ${v.proposal_ids.join(', ')})` : ''}`,
    `  root cause  ${v.root_cause}`,
    ...(v.rule ? [`  rule        ${v.rule}`] : []),
    ...(v.policy_citations.length ? [`  policy      ${v.policy_citations.map((c) => c.section_id).join(', ')}`] : []),
    ...(v.suggested_coding
      ? [
          `  coding      GL ${v.suggested_coding.account}${v.suggested_coding.owner ? ` (owner ${v.suggested_coding.owner})` : ''}`,
        ]
      : []),
    ...v.flags.map((f) => `  flag        ${f}`),
    `  confidence  ${v.confidence.toFixed(2)}${v.confidence_raw !== undefined ? ` (raw ${v.confidence_raw.toFixed(2)}, ${v.calibration ?? 'calibrated'})` : ''} · ${v.brain}${v.model ? ` (${v.model})` : ''}${v.fell_back ? ', planner fallback' : ''} · mode ${v.mode}`,
    ...(v.autonomy_rule?.startsWith('low confidence') ? [`  held back   ${v.autonomy_rule}`] : []),
    `  cost        ${v.tool_calls} tool calls, ${v.coupa_calls} Coupa calls, ${v.tokens} tokens, ${v.duration_ms} ms`,
  ];
  return lines.join('\n');
}
