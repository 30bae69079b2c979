/**
 * The stdio start answers `initialize` before the MCP SDK loads (src/mcp/stdio-early.ts). These
 * tests run the early answerer in front of the real SDK server (createMcpServer over the SDK's
 * StdioServerTransport), on in-process streams standing in for stdin and stdout, and check that a
 * client gets exactly what the SDK alone would answer — once — and that the conversation carries on.
 */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  SUPPORTED_PROTOCOL_VERSIONS as SDK_VERSIONS,
  LATEST_PROTOCOL_VERSION,
} from '@modelcontextprotocol/sdk/types.js';
import { answerInitializeEarly } from '../src/mcp/stdio-early.js';
import { SUPPORTED_PROTOCOL_VERSIONS } from '../src/mcp/server-info.js';
import { createMcpServer } from '../src/mcp/server.js';
import { serveStdio } from '../src/mcp/stdio.js';
import { createIdentity } from '../src/guard/identity.js';
import { POLICY_DIR, loadPolicyLibrary } from '../src/mcp/policies.js';

type Message = { id?: number | string; result?: Record<string, unknown>; error?: { code: number; message: string } };

/** Early answerer + SDK server on fake stdio; `withEarly: false` is the SDK server alone. */
function harness(withEarly: boolean) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const received: Message[] = [];
  const waiting: Array<() => void> = [];
  let buffered = '';
  stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      received.push(JSON.parse(buffered.slice(0, nl)) as Message);
      buffered = buffered.slice(nl + 1);
      waiting.splice(0).forEach((wake) => wake());
    }
  });
  const early = withEarly ? answerInitializeEarly(stdin, stdout) : undefined;
  const server = createMcpServer({
    guard: () => Promise.reject(new Error('no tools in this test')),
    identity: createIdentity('early-test', 'person', ['reviewer']),
    policies: loadPolicyLibrary(POLICY_DIR),
  });
  const serving = serveStdio(server, early ?? { input: stdin, output: stdout });
  const send = (message: object): void => void stdin.write(`${JSON.stringify(message)}\n`);
  /** Resolves once `count` messages have arrived in all. */
  const messages = async (count: number): Promise<Message[]> => {
    while (received.length < count) await new Promise<void>((wake) => waiting.push(wake));
    return received;
  };
  const close = async (): Promise<void> => {
    stdin.end();
    await serving;
    early?.close();
    await server.close();
  };
  return { stdin, send, messages, received, close };
}

const initialize = (id: number, protocolVersion: string, clientInfo: object = { name: 'test', version: '1' }) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion, capabilities: {}, clientInfo },
});

describe('stdio initialize answered before the SDK loads', () => {
  afterEach(() => vi.restoreAllMocks());

  it('negotiates from the same protocol versions as the installed SDK', () => {
    expect(SUPPORTED_PROTOCOL_VERSIONS).toEqual(SDK_VERSIONS);
    expect(SUPPORTED_PROTOCOL_VERSIONS[0]).toBe(LATEST_PROTOCOL_VERSION);
  });

  it.each(['2025-06-18', '2024-11-05', LATEST_PROTOCOL_VERSION, '1999-01-01'])(
    'answers initialize (%s) once, as the SDK alone answers it',
    async (version) => {
      const stderr = vi.spyOn(process.stderr, 'write');
      const alone = harness(false);
      alone.send(initialize(1, version));
      const [sdkAnswer] = await alone.messages(1);
      await alone.close();

      const early = harness(true);
      early.send(initialize(1, version));
      const [earlyAnswer] = await early.messages(1);
      expect(earlyAnswer).toEqual(sdkAnswer);
      // The SDK's own answer to it is held back: the next message out answers the next request.
      early.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      early.send({ jsonrpc: '2.0', id: 2, method: 'resources/list', params: {} });
      const all = await early.messages(2);
      expect(all.map((m) => m.id)).toEqual([1, 2]);
      expect((all[1]!.result!.resources as unknown[]).length).toBeGreaterThan(0);
      await early.close();
      expect(stderr.mock.calls.map(([line]) => String(line)).filter((l) => l.includes('differently'))).toEqual([]);
    },
  );

  it('leaves anything but a well-formed initialize to the SDK, which answers it once', async () => {
    const early = harness(true);
    early.send({
      jsonrpc: '2.0',
      id: 7,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {} },
    }); // no clientInfo
    const [answer] = await early.messages(1);
    expect(answer!.id).toBe(7);
    expect(answer!.error?.code).toBe(-32602);
    early.send(initialize(8, '2025-06-18'));
    const all = await early.messages(2);
    expect(all[1]).toMatchObject({ id: 8, result: { serverInfo: { name: 'settle' } } });
    await early.close();
    expect(early.received).toHaveLength(2);
  });

  it('reads a first line split across reads, and passes on what came with it', async () => {
    const early = harness(true);
    const text = `${JSON.stringify(initialize(1, '2025-06-18'))}\n${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' })}\n`;
    const third = Math.floor(text.length / 3);
    for (const piece of [text.slice(0, third), text.slice(third, 2 * third), text.slice(2 * third)])
      early.stdin.write(piece);
    const all = await early.messages(2);
    expect(all[0]).toMatchObject({ id: 1, result: { protocolVersion: '2025-06-18' } });
    expect(all[1]).toEqual({ jsonrpc: '2.0', id: 2, result: {} });
    await early.close();
    expect(early.received).toHaveLength(2);
  });
});
