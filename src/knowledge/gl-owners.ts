/**
 * GL account → budget owner, read from the coding guide's owner table (a Markdown table whose
 * header has "Account" and "Owner" columns). Non-PO invoices are routed to that owner when the
 * invoice names no requester (case-format § "When several findings apply", step 4).
 */

/** Parse every `| Account … | … | Owner … |` table in `markdown`. Codes are matched case-insensitively. */
export function parseGlOwners(markdown: string): Map<string, string> {
  const owners = new Map<string, string>();
  let accountCol = -1;
  let ownerCol = -1;
  for (const line of markdown.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('|')) {
      accountCol = ownerCol = -1;
      continue;
    }
    const cells = trimmed.replace(/^\||\|$/g, '').split('|').map((c) => c.trim().replace(/`/g, ''));
    if (accountCol < 0) {
      accountCol = cells.findIndex((c) => /^(gl )?account( code)?$/i.test(c));
      ownerCol = cells.findIndex((c) => /owner/i.test(c) && /login/i.test(c));
      if (ownerCol < 0) ownerCol = cells.findIndex((c) => /owner/i.test(c));
      if (accountCol < 0 || ownerCol < 0) accountCol = ownerCol = -1;
      continue;
    }
    const account = cells[accountCol];
    const owner = cells[ownerCol];
    if (!account || !owner || /^:?-+:?$/.test(account)) continue;
    owners.set(account.toUpperCase(), owner);
  }
  return owners;
}

/** The owner of `accountCode` (case-insensitive), or undefined. */
export function glOwnerOf(owners: ReadonlyMap<string, string>, accountCode: string): string | undefined {
  return owners.get(accountCode.trim().toUpperCase());
}
