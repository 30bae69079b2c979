/**
 * A guard whose heavy half opens on first use. Listing tools needs only their definitions, so a
 * stdio `settle mcp` answers `initialize` and `tools/list` at once; the store, migrations,
 * knowledge index and Coupa (or the embedded simulator) open when the first tool is called, and
 * that call — like every later one — goes through the real guard.
 */
import { describeError } from '../errors.js';
import { toolVisible, type Guard, type GuardResult } from '../guard/guard.js';
import type { ToolDefinition } from '../guard/tool.js';

export interface DeferredGuardOptions {
  tools: readonly ToolDefinition[];
  readOnly: boolean;
  /** Opens the runtime and returns its guard; called once, on the first call. */
  open: () => Promise<Guard>;
}

export function deferredGuard(options: DeferredGuardOptions): Guard {
  let opening: Promise<Guard> | undefined;
  const guard = (): Promise<Guard> => {
    // A failed open is not cached: the next call tries again (and says why it failed again).
    opening ??= options.open().catch((error: unknown) => {
      opening = undefined;
      throw error;
    });
    return opening;
  };
  /** Nothing opened means nothing to audit: the caller gets the reason as a tool error. */
  const notOpened = (error: unknown): GuardResult => ({
    outcome: 'error',
    isError: true,
    text: `Settle could not open its store or Coupa: ${describeError(error)}`,
    coupaCalls: 0,
  });
  return {
    listTools: (identity, scope) =>
      options.tools.filter((tool) => toolVisible(tool, identity, options.readOnly, scope)),
    call: async (identity, name, args, callOptions) => {
      const opened = await guard().catch((error: unknown) => error as Error);
      return opened instanceof Error ? notOpened(opened) : opened.call(identity, name, args, callOptions);
    },
    decideProposal: async (identity, id, decision, reason) => {
      const opened = await guard().catch((error: unknown) => error as Error);
      return opened instanceof Error ? notOpened(opened) : opened.decideProposal(identity, id, decision, reason);
    },
    // Outside a tool call there is no result to carry a failure: the error propagates to the caller.
    contextFor: async (identity) => (await guard()).contextFor(identity),
  };
}
