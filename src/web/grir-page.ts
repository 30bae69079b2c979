/**
 * The GR/IR page: open items of the latest `settle grir` run, oldest and largest first, each with
 * its root cause, evidence and proposed action (anyone who may propose turns it into a proposal),
 * and the proposals waiting for an accountant — approve or reject, a second accountant above the
 * threshold — with the journal of approved clearings to download as CSV or JSON.
 */
import type { Identity } from '../guard/identity.js';
import type { InvestigatedItem } from '../domain/grir/types.js';
import type { GrirProposal } from '../grir/proposals.js';
import { label, money } from './format.js';
import { html, type SafeHtml } from './html.js';
import { BASE } from './layout.js';

export interface GrirView {
  items: InvestigatedItem[];
  pending: GrirProposal[];
  approved: number;
  proposedLines: ReadonlySet<number>;
}

function hidden(csrf: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${csrf}" />`;
}

function itemRow(i: InvestigatedItem, identity: Identity, csrf: string, proposed: boolean): SafeHtml {
  const canPropose = identity.scopes.has('grir:propose-clearing') && i.action.kind !== 'leave_open' && !proposed;
  const lines = i.action.lines.map((l) => `${l.account} Dr ${l.debit} Cr ${l.credit}`).join('; ');
  return html`<tr data-po-line="${String(i.poLineId)}">
    <th scope="row">${i.poNumber}/${i.lineNum}<br /><span class="muted small">${i.supplierName ?? ''}</span></th>
    <td>${label(i.kind)}</td>
    <td class="num">${money(i.amount, i.currency)}</td>
    <td class="num">${String(i.ageDays)}</td>
    <td>
      <strong>${label(i.cause)}</strong>
      <ul class="small">
        ${i.evidence.map((e) => html`<li>${e}</li>`)}
      </ul>
    </td>
    <td>
      ${label(i.action.kind)}:
      ${i.action.reason}${lines ? html`<br /><span class="muted small">${lines}</span>` : ''}${i.action.followUp ? html`<br /><span class="small">follow up ${i.action.followUp}</span>` : ''}
    </td>
    <td>
      ${
        proposed
          ? html`<span class="small">proposed</span>`
          : canPropose
            ? html`<form method="post" action="${BASE}/grir/propose" class="inline">
                ${hidden(csrf)} <input type="hidden" name="po_line_id" value="${String(i.poLineId)}" /><button
                  type="submit"
                >
                  Propose
                </button>
              </form>`
            : ''
      }
    </td>
  </tr>`;
}

function proposalRow(p: GrirProposal, identity: Identity, csrf: string): SafeHtml {
  const canDecide =
    identity.scopes.has('grir:approve') &&
    identity.id !== p.proposedBy &&
    !p.approvals.some((a) => a.by === identity.id);
  return html`<tr data-proposal="${String(p.id)}">
    <th scope="row">${String(p.id)}</th>
    <td>${label(p.kind)} — ${label(p.action.kind)}</td>
    <td class="num">${money(p.amount, p.currency)}</td>
    <td>${p.action.reason}</td>
    <td>${p.proposedBy} <span class="muted small">(${p.proposedVia})</span></td>
    <td>
      ${String(p.approvals.length)}/${String(p.approvalsNeeded)}${p.approvals.length ? html` <span class="small">(${p.approvals.map((a) => a.by).join(', ')})</span>` : ''}
    </td>
    <td>
      ${
        canDecide
          ? html`<form method="post" action="${BASE}/grir/proposals/${String(p.id)}/approve" class="inline">
                ${hidden(csrf)}<button type="submit">Approve</button>
              </form>
              <form method="post" action="${BASE}/grir/proposals/${String(p.id)}/reject" class="inline">
                ${hidden(csrf)}<button type="submit">Reject</button>
              </form>`
          : html`<span class="muted small"
              >${identity.scopes.has('grir:approve') ? 'yours, or already approved by you' : 'an accountant decides'}</span
            >`
      }
    </td>
  </tr>`;
}

export function grirBody(view: GrirView, identity: Identity, csrf: string): SafeHtml {
  return html`<h1>GR/IR clearing</h1>
    <section class="panel" aria-labelledby="grir-proposals-h">
      <h2 id="grir-proposals-h">Waiting for an accountant (${String(view.pending.length)})</h2>
      ${
        view.pending.length
          ? html`<table>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">what</th>
                  <th scope="col">amount</th>
                  <th scope="col">why</th>
                  <th scope="col">proposed by</th>
                  <th scope="col">approvals</th>
                  <th scope="col">decide</th>
                </tr>
              </thead>
              <tbody>
                ${view.pending.map((p) => proposalRow(p, identity, csrf))}
              </tbody>
            </table>`
          : html`<p>Nothing waiting.</p>`
      }
      <p>
        ${String(view.approved)} approved clearing(s) in the journal:
        <a href="${BASE}/grir/journal.csv">journal CSV</a> · <a href="${BASE}/grir/journal.json">journal JSON</a>
      </p>
    </section>
    <section class="panel" aria-labelledby="grir-items-h">
      <h2 id="grir-items-h">Open items (${String(view.items.length)})</h2>
      ${
        view.items.length
          ? html`<table>
              <thead>
                <tr>
                  <th scope="col">PO / line</th>
                  <th scope="col">kind</th>
                  <th scope="col">amount</th>
                  <th scope="col">age (days)</th>
                  <th scope="col">root cause and evidence</th>
                  <th scope="col">proposed action</th>
                  <th scope="col"></th>
                </tr>
              </thead>
              <tbody>
                ${view.items.map((i) => itemRow(i, identity, csrf, view.proposedLines.has(i.poLineId)))}
              </tbody>
            </table>`
          : html`<p>No open items: run <code>settle grir</code>.</p>`
      }
    </section>`;
}
