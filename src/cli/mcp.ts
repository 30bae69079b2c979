/**
 * `settle mcp`: Settle's guarded tools over MCP.
 * - stdio (default, for Claude Desktop): the process acts as ONE person, from `--identity` /
 *   `SETTLE_MCP_IDENTITY` (default `claude-desktop`) with `--role` (default `reviewer`: it may
 *   propose and, within controls, act — never approve). stdout carries protocol only.
 * - `--http`: Streamable HTTP at /mcp; each bearer token (SETTLE_TOKENS_FILE / SETTLE_MCP_TOKENS)
 *   names its own identity.
 * Without COUPA_* settings it runs against the embedded simulator with the sample company, and
 * says so on stderr.
 */
import { setFlagsFromString } from 'node:v8';
import type { Command } from 'commander';
import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import type { Role } from '../guard/identity.js';
import type { OpenedRuntime } from '../app/embedded.js';
import type { Guard } from '../guard/guard.js';
import { answerInitializeEarly } from '../mcp/stdio-early.js';
import { positiveInt, untilSignal } from './args.js';

// Imported statically: only what registering the command and answering `initialize` need
// (no zod, no MCP SDK); the rest loads once the client's `initialize` is answered.

/** Roles a stdio person may take; the agent role belongs to Settle's own runner. */
const PERSON_ROLES: readonly Role[] = ['reviewer', 'approver', 'auditor', 'read-only', 'accountant'];
export const DEFAULT_MCP_IDENTITY = 'claude-desktop';
export const DEFAULT_MCP_HTTP_PORT = 8081;

interface McpOptions {
  readOnly?: boolean;
  identity?: string;
  role: Role;
  http?: boolean;
  port?: number;
  host: string;
}

function parseRole(value: string): Role {
  if (!(PERSON_ROLES as readonly string[]).includes(value))
    throw new UserError(`--role takes one of ${PERSON_ROLES.join(', ')}; got "${value}"`);
  return value as Role;
}

const say = (line: string): void => void process.stderr.write(`settle: ${line}\n`);

async function httpTokens(config: Config) {
  const { loadTokenDirectory } = await import('../mcp/auth.js');
  const tokens = loadTokenDirectory({ file: config.tokensFile, inline: config.mcpTokens });
  if (tokens.size === 0)
    throw new UserError(
      'settle mcp --http needs bearer tokens: set SETTLE_TOKENS_FILE or SETTLE_MCP_TOKENS ("token=login:role+role")',
    );
  return tokens;
}

/**
 * stdio answers `initialize` at once: nothing but this module and the early answerer is loaded
 * before it (src/mcp/stdio-early.ts). Configuration, the SDK server and the policy pack load
 * right after; the tool definitions when the client says it is initialized (or a request needs
 * them first); the runtime (store, knowledge, Coupa or the embedded simulator) on the first tool call.
 */
async function serveStdioMcp(opts: McpOptions): Promise<void> {
  const early = answerInitializeEarly();
  // A client speaks first; a person at a terminal gets configuration errors at once instead.
  if (!process.stdin.isTTY) await early.firstMessage;
  const [
    { loadConfig },
    { createIdentity },
    { loadPolicyLibrary, POLICY_DIR },
    { createMcpServer },
    { serveStdio },
    { deferredGuard },
  ] = await Promise.all([
    import('../config.js'),
    import('../guard/identity.js'),
    import('../mcp/policies.js'),
    import('../mcp/server.js'),
    import('../mcp/stdio.js'),
    import('../app/deferred-guard.js'),
  ]);
  let opened: Promise<OpenedRuntime> | undefined;
  try {
    const config = loadConfig();
    const login = opts.identity ?? config.mcpIdentity ?? DEFAULT_MCP_IDENTITY;
    const identity = createIdentity(login, 'person', [opts.role]);
    const readOnly = opts.readOnly ?? false;
    const open = async (): Promise<OpenedRuntime> => {
      // PGlite's WebAssembly compiled by V8's baseline compiler only: optimising Postgres in the
      // background roughly doubled the CPU a first call cost, and a person's session runs small queries.
      setFlagsFromString('--liftoff-only');
      const { openRuntime } = await import('../app/embedded.js');
      // For the same reason a small buffer pool: it starts ~90 ms of CPU sooner and holds ~110 MB less.
      const runtime = await openRuntime(config, { readOnly, pgliteSharedBuffers: '16MB' }, { lazySimulator: true });
      say(`store and Coupa ready, mode ${await runtime.runtime.mode.get()}`);
      return runtime;
    };
    let guard: Promise<Guard> | undefined;
    const loadGuard = (): Promise<Guard> =>
      (guard ??= import('../../tools/index.js').then(({ TOOLS }) =>
        deferredGuard({ tools: TOOLS, readOnly, open: async () => (await (opened ??= open())).runtime.guard }),
      ));
    const server = createMcpServer({ guard: loadGuard, identity, policies: loadPolicyLibrary(POLICY_DIR) });
    // The tools load once the client is initialized (a failed import surfaces on tools/list, not as an
    // unhandled rejection); then the runtime's code, so a first tool call only starts the store.
    // The store itself opens on that call: it would hold ~100 MB for a session that may never use it.
    server.oninitialized = () =>
      void loadGuard()
        .then(() => new Promise((resolve) => setImmediate(resolve)))
        .then(() => import('../app/embedded.js'))
        .catch(() => undefined);
    say(
      `MCP over stdio as ${login} (${opts.role})${readOnly ? ', read-only' : ''}; the store and Coupa open on the first tool call`,
    );
    // A client ends a stdio server by closing stdin, then SIGTERM: both close the store cleanly.
    await Promise.race([serveStdio(server, early), untilSignal()]);
    await server.close();
  } finally {
    // Stop reading stdin: after a signal the client may still hold it open.
    early.close();
    // A failed open leaves nothing to close.
    if (opened) await (await opened.catch(() => undefined))?.close();
  }
}

async function serveHttpMcp(config: Config, opts: McpOptions): Promise<void> {
  if (opts.identity || opts.role !== 'reviewer')
    throw new UserError('--identity and --role apply to stdio; over --http each bearer token names its identity');
  const tokens = await httpTokens(config);
  const [{ default: Fastify }, { openRuntime }, { mountMcp }] = await Promise.all([
    import('fastify'),
    import('../app/embedded.js'),
    import('../mcp/mount.js'),
  ]);
  const { runtime, close } = await openRuntime(config, { readOnly: opts.readOnly ?? false });
  const app = Fastify({ logger: false, trustProxy: config.trustProxy });
  try {
    await mountMcp(app, runtime, tokens);
    const address = await app.listen({ port: opts.port ?? DEFAULT_MCP_HTTP_PORT, host: opts.host });
    say(
      `MCP over Streamable HTTP at ${address}/mcp for ${tokens.size} token(s), mode ${await runtime.mode.get()}${opts.readOnly ? ', read-only' : ''}`,
    );
    say(`${await untilSignal()} — closing`);
  } finally {
    await app.close();
    await close();
  }
}

/** Register `settle mcp`. */
export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description(
      "Serve Settle's guarded tools over MCP: stdio for Claude Desktop (default), or Streamable HTTP with --http",
    )
    .option('--read-only', 'list and run no write tools at all')
    .option(
      '--identity <login>',
      `stdio: the person this process acts as (default SETTLE_MCP_IDENTITY or "${DEFAULT_MCP_IDENTITY}")`,
    )
    .option('--role <role>', `stdio: that person's role (${PERSON_ROLES.join(', ')})`, parseRole, 'reviewer' as Role)
    .option('--http', 'serve Streamable HTTP at /mcp (bearer tokens from SETTLE_TOKENS_FILE or SETTLE_MCP_TOKENS)')
    .option('-p, --port <port>', `--http: port (default ${DEFAULT_MCP_HTTP_PORT})`, positiveInt('--port'))
    .option('--host <host>', '--http: interface to listen on', '127.0.0.1')
    .action(async (opts: McpOptions) => {
      if (opts.http) await serveHttpMcp((await import('../config.js')).loadConfig(), opts);
      else await serveStdioMcp(opts);
    });
}
