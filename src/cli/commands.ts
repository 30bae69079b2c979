/**
 * The command list the `settle` launcher reads before it imports anything heavy. Each command's
 * module (options, action and everything it needs) is imported only when that command runs, so
 * `settle --help` loads commander alone. `term` and `description` are what the top-level help
 * lists; test/cli-commands.test.ts checks them against the registered commands.
 */
import type { Command } from 'commander';

export interface CommandEntry {
  name: string;
  /** As the top-level help lists it: `settle [options] <invoice-id>`. */
  term: string;
  description: string;
  /** Import the command's module and register the real command on `program`. */
  register(program: Command): Promise<void>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'start',
    term: 'start [options]',
    description:
      'Run Settle end to end on the embedded default (or the configured Coupa tenant): settle every open exception and print a summary',
    register: async (p) => (await import('./start.js')).registerStartCommand(p),
  },
  {
    name: 'settle',
    term: 'settle [options] <invoice-id>',
    description: 'Investigate and settle one invoice exception; prints the verdict',
    register: async (p) => (await import('./settle.js')).registerSettleCommand(p),
  },
  {
    name: 'sim',
    term: 'sim [options]',
    description:
      'Serve the sample company on the Coupa simulator (OAuth, REST API, invoice state machine) until Ctrl-C',
    register: async (p) => (await import('./sim.js')).registerSimCommand(p),
  },
  {
    name: 'audit',
    term: 'audit',
    description: 'Check, export and read the append-only, hash-chained audit trail of every tool call',
    register: async (p) => (await import('./audit.js')).registerAuditCommand(p),
  },
  {
    name: 'knowledge',
    term: 'knowledge',
    description: 'Policy pack and past resolutions: ingest, search with citations, re-index',
    register: async (p) => (await import('./knowledge.js')).registerKnowledgeCommand(p),
  },
  {
    name: 'worker',
    term: 'worker [options]',
    description: 'Settle queued invoice exceptions; several worker processes on one Postgres share the work',
    register: async (p) => (await import('./worker.js')).registerWorkerCommand(p),
  },
  {
    name: 'digest',
    term: 'digest [options]',
    description:
      'Post the exception digest (new, auto-resolved, waiting for people, top suppliers) to Slack and/or Teams',
    register: async (p) => (await import('./digest.js')).registerDigestCommand(p),
  },
  {
    name: 'serve',
    term: 'serve [options]',
    description: 'Serve the webhook intake and operational endpoints, with workers, poller and daily digest',
    register: async (p) => {
      const [{ registerServeCommand }, { mcpServeMount }, { reviewServeMount }, { inboundMailServeMount }] =
        await Promise.all([
          import('./serve.js'),
          import('../app/serve-mcp.js'),
          import('../web/serve-mount.js'),
          import('../app/inbound-mail-mount.js'),
        ]);
      registerServeCommand(p, [mcpServeMount, reviewServeMount, inboundMailServeMount]);
    },
  },
  {
    name: 'mcp',
    term: 'mcp [options]',
    description:
      "Serve Settle's guarded tools over MCP: stdio for Claude Desktop (default), or Streamable HTTP with --http",
    register: async (p) => (await import('./mcp.js')).registerMcpCommand(p),
  },
  {
    name: 'eval',
    term: 'eval [options]',
    description: 'Replay historical exception cases against Settle and score every decision (see evals/README.md)',
    register: async (p) => (await import('./eval.js')).registerEvalCommand(p),
  },
  {
    name: 'controls',
    term: 'controls [options]',
    description: 'The guard controls: print their JSON Schema, or check a controls file (docs/controls.md)',
    register: async (p) => (await import('./controls.js')).registerControlsCommand(p),
  },
  {
    name: 'ingest',
    term: 'ingest [options] <path>',
    description:
      'Read supplier invoices (PDF, Factur-X/ZUGFeRD, UBL/Peppol/XRechnung or cXML XML, scan, image, .eml) and post clean ones to Coupa as draft invoices; the rest go to review',
    register: async (p) => (await import('./ingest.js')).registerIngestCommand(p),
  },
  {
    name: 'shadow',
    term: 'shadow',
    description: 'Shadow mode: the agent decides, writes nothing, and is compared with what people decided',
    register: async (p) => (await import('./shadow.js')).registerShadowCommand(p),
  },
  {
    name: 'autonomy',
    term: 'autonomy',
    description: 'Earned autonomy per slice (exception type, supplier, amount): list, promote, check',
    register: async (p) => (await import('./autonomy.js')).registerAutonomyCommand(p),
  },
  {
    name: 'qa',
    term: 'qa',
    description: 'Quality assurance of autonomous settlements: sampled human review',
    register: async (p) => (await import('./qa.js')).registerQaCommand(p),
  },
  {
    name: 'calibrate',
    term: 'calibrate',
    description:
      'Calibrated confidence: fit it on labelled outcomes, choose autonomy thresholds, show the reliability diagram',
    register: async (p) => (await import('./calibrate.js')).registerCalibrateCommand(p),
  },
  {
    name: 'requests',
    term: 'requests [options]',
    description: 'Supplier requests: what Settle asked suppliers for and still waits on, oldest first',
    register: async (p) => (await import('./requests.js')).registerRequestsCommand(p),
  },
  {
    name: 'grir',
    term: 'grir [options]',
    description:
      'Reconcile the GR/IR book (receipts vs invoices per PO line), explain each open item and propose its clearing',
    register: async (p) => (await import('./grir.js')).registerGrirCommand(p),
  },
];

/** The command a command line names (`settle mcp …`, `settle help mcp`), if any. */
export function commandNamed(args: readonly string[]): CommandEntry | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return COMMANDS.find((c) => c.name === name);
}
