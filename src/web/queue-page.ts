/** The review queue page: filters (a plain GET form) and one table row per waiting item, oldest first. */
import { ExceptionType } from '../domain/vocabulary.js';
import { age, label, money, percent } from './format.js';
import { html, type SafeHtml } from './html.js';
import { BASE } from './layout.js';
import type { QueueFilter, QueueItem } from './queue-data.js';

function filters(f: QueueFilter, error: string | undefined): SafeHtml {
  const option = (value: string, text: string, selected: boolean): SafeHtml =>
    html`<option value="${value}" ${selected ? html` selected` : ''}>${text}</option>`;
  return html`<form method="get" action="${BASE}" class="filters" aria-label="Filter the queue">
    <div>
      <label for="f-type">Exception type</label>
      <select id="f-type" name="type">
        ${option('', 'Any type', !f.type)}${ExceptionType.options.map((t) => option(t, label(t), f.type === t))}
      </select>
    </div>
    <div>
      <label for="f-supplier">Supplier contains</label
      ><input id="f-supplier" name="supplier" value="${f.supplier ?? ''}" />
    </div>
    <div>
      <label for="f-min">Amount from</label
      ><input id="f-min" name="min" inputmode="decimal" value="${f.min ?? ''}" size="8" />
    </div>
    <div>
      <label for="f-max">Amount to</label
      ><input id="f-max" name="max" inputmode="decimal" value="${f.max ?? ''}" size="8" />
    </div>
    <div>
      <label for="f-age">Waiting at least (days)</label
      ><input id="f-age" name="age" type="number" min="0" value="${f.age ?? ''}" size="4" />
    </div>
    <div class="filter-actions"><button type="submit">Filter</button> <a href="${BASE}">Clear</a></div>
    ${error ? html`<p class="flash flash-error" role="alert">Filter ignored: ${error}</p>` : ''}
  </form>`;
}

function row(item: QueueItem): SafeHtml {
  const href = `${BASE}/exceptions/${item.invoiceId}`;
  return html`<tr>
    <td>
      <a href="${href}">${item.invoiceNumber ?? `Invoice ${item.invoiceId}`}</a>
      <div class="muted small">id ${item.invoiceId}</div>
    </td>
    <td>${item.supplierName ?? '—'}</td>
    <td><span class="badge type-${item.exceptionType}">${label(item.exceptionType)}</span></td>
    <td class="num">${money(item.amount, item.currency)}</td>
    <td>
      <span class="badge ${item.kind === 'proposal' ? 'kind-proposal' : 'kind-routed'}"
        >${item.kind === 'proposal' ? 'Proposal' : 'Routed'}</span
      >
      ${item.action}
    </td>
    <td class="num">${percent(item.confidence)}</td>
    <td class="num" data-age-ms="${item.ageMs}">${age(item.ageMs)}</td>
  </tr>`;
}

/** The queue body (the layout wraps it). */
export function queueBody(items: readonly QueueItem[], filter: QueueFilter, filterError?: string): SafeHtml {
  const table =
    items.length === 0
      ? html`<p class="empty">
          Nothing is waiting for a
          person${filter.type || filter.supplier || filter.min || filter.max || filter.age !== undefined ? ' with these filters' : ''}.
        </p>`
      : html`<table class="queue">
          <caption>
            ${items.length} waiting, oldest first
          </caption>
          <thead>
            <tr>
              <th scope="col">Invoice</th>
              <th scope="col">Supplier</th>
              <th scope="col">Exception</th>
              <th scope="col" class="num">Amount</th>
              <th scope="col">Waiting for</th>
              <th scope="col" class="num">Confidence</th>
              <th scope="col" class="num">Age</th>
            </tr>
          </thead>
          <tbody>
            ${items.map(row)}
          </tbody>
        </table>`;
  return html`<h1>Review queue</h1>
    <p class="lede">
      Proposals the agent may not execute alone, and exceptions it routed to people. Open one to see the evidence and
      decide.
    </p>
    ${filters(filter, filterError)} ${table}`;
}
