/**
 * The decision panel: approve / reject a pending proposal, or change the action. Shown only to
 * people whose role may decide (the server checks again on every POST), and honest about the
 * mode: in assisted mode a person's own state change becomes a proposal for a second approver.
 */
import { randomUUID } from 'node:crypto';
import type { Mode } from '../domain/controls.js';
import { Decision } from '../domain/vocabulary.js';
import type { Identity } from '../guard/identity.js';
import type { Proposal } from '../guard/proposals.js';
import { DisputeReason } from '../../tools/dispute-invoice.js';
import { label } from './format.js';
import { html, type SafeHtml } from './html.js';
import { BASE } from './layout.js';
import { describeProposal } from './queue-data.js';
import { supplierChangeTable } from './supplier-change.js';
import { mixedText } from './untrusted-text.js';

function argumentsList(input: Record<string, unknown>): SafeHtml {
  return html`<dl class="args">
    ${Object.entries(input).map(
      ([k, v]) =>
        html`<dt>${label(k)}</dt>
          <dd>${mixedText(typeof v === 'string' ? v : JSON.stringify(v))}</dd>`,
    )}
  </dl>`;
}

/** One pending proposal with its approve and reject forms. */
export function proposalPanel(
  p: Proposal,
  identity: Identity,
  csrf: string,
  supplierMasterApprover = 'supplier.master',
): SafeHtml {
  const canDecide = identity.scopes.has('proposals:decide');
  const own = p.proposer === identity.id;
  const forms = !canDecide
    ? html`<p class="muted">Your role (${identity.roles.join(', ')}) can read this proposal but not decide it.</p>`
    : own
      ? html`<p class="muted">You proposed this; another approver must decide it.</p>`
      : html`<div class="decide">
          <form method="post" action="${BASE}/proposals/${p.id}/approve" class="inline">
            <input type="hidden" name="_csrf" value="${csrf}" />
            <button type="submit" class="primary" id="approve-${p.id}">Approve and execute</button>
          </form>
          <form method="post" action="${BASE}/proposals/${p.id}/reject" class="stack reject">
            <input type="hidden" name="_csrf" value="${csrf}" />
            <label for="reject-reason-${p.id}">Reason for rejecting</label>
            <textarea
              id="reject-reason-${p.id}"
              name="reason"
              rows="2"
              required
              minlength="3"
              maxlength="2000"
            ></textarea>
            <button type="submit" class="danger">Reject</button>
          </form>
        </div>`;
  return html`<article class="proposal" aria-labelledby="proposal-${p.id}">
    <h3 id="proposal-${p.id}">
      Proposed: ${describeProposal(p)} <code>${p.tool}</code>
      <span class="muted small">by ${p.proposer} (${p.proposerKind})</span>
    </h3>
    <p>${p.reason}</p>
    ${(p.tool === 'request_supplier_change' ? supplierChangeTable(p.input, supplierMasterApprover) : undefined) ?? argumentsList(p.input)}
    ${
      p.evidence.length
        ? html`<details>
            <summary>Controls checked when proposed (${p.evidence.length})</summary>
            <ul>
              ${p.evidence.map((e) => html`<li>${mixedText(e)}</li>`)}
            </ul>
          </details>`
        : ''
    }
    ${forms}
  </article>`;
}

/** The "change the action" form, for a pending proposal or a routed exception. */
export function changeForm(invoiceId: number, proposalId: string | null, mode: Mode, csrf: string): SafeHtml {
  const option = (d: string): SafeHtml => html`<option value="${d}">${label(d)}</option>`;
  const modeNote =
    mode === 'autonomous'
      ? html`<p class="muted">Mode is <strong>autonomous</strong>: your choice executes now, within the controls.</p>`
      : mode === 'assisted'
        ? html`<p class="note">
            Mode is <strong>assisted</strong>: a state change you choose here (resolve, route, dispute, hold, request
            information) is stored as a proposal, and another approver must approve it before anything changes in Coupa.
          </p>`
        : html`<p class="note">
            Mode is <strong>monitor</strong>: nothing is written to Coupa; your choice is stored as a proposal.
          </p>`;
  return html`<details class="change" ${proposalId ? '' : html` open`}>
    <summary>Change the action</summary>
    ${modeNote}
    <form method="post" action="${BASE}/exceptions/${invoiceId}/change" class="stack">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <input type="hidden" name="invoice_id" value="${invoiceId}" />
      <input type="hidden" name="submission" value="${randomUUID()}" />
      ${proposalId ? html`<input type="hidden" name="proposal_id" value="${proposalId}" />` : ''}
      <label for="change-decision">Decision</label>
      <select id="change-decision" name="decision" required>
        ${Decision.options.map(option)}
      </select>
      <label for="change-target"
        >Target
        <span class="muted small"
          >(route: approver login · dispute: reason code ${DisputeReason.options.join(', ')} · request information: what
          is missing, comma-separated)</span
        ></label
      >
      <input id="change-target" name="target" list="dispute-reasons" maxlength="2000" />
      <datalist id="dispute-reasons">
        ${DisputeReason.options.map((r) => html`<option value="${r}"></option>`)}
      </datalist>
      <label for="change-note"
        >Why (justification, routing reason, message to the supplier or dossier — at least 20 characters)</label
      >
      <textarea id="change-note" name="note" rows="3" required minlength="20" maxlength="2000"></textarea>
      <button type="submit">Carry out this decision</button>
    </form>
  </details>`;
}
