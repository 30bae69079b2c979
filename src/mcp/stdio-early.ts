/**
 * A stdio MCP server answers `initialize` before the MCP SDK has loaded. Loading the SDK and zod
 * (their schemas are built as they load) is most of what a start costs, and a client such as
 * Claude Desktop waits for that answer, so this module — which imports no SDK and no zod — reads
 * the client's first line itself and, when it is a well-formed `initialize`, answers it at once
 * with what the SDK server would answer (src/mcp/server-info.ts).
 *
 * Every byte read is also handed on to the SDK's StdioServerTransport (through `input`), so the
 * SDK server sees the whole conversation, `initialize` included, and keeps its usual state; its
 * own answer to that `initialize` is left out of `output` (and compared with the early one: a
 * difference is reported on stderr). Anything else first — not JSON, another method, an
 * `initialize` with malformed params — is left to the SDK to answer.
 */
import { PassThrough, Writable } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';
import {
  SERVER_NAME,
  SERVER_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  serverCapabilities,
  serverInstructions,
} from './server-info.js';

export interface EarlyStdio {
  /** Settles once the client's first line has been read (and answered, when it was `initialize`), or stdin ended. */
  firstMessage: Promise<void>;
  /** Everything the client sent, from its first byte: the SDK transport's stdin. */
  input: PassThrough;
  /** The SDK transport's stdout: the process's stdout, less the SDK's answer to an `initialize` already answered. */
  output: Writable;
  /** Stop reading stdin, so that the process can exit. */
  close(): void;
}

/** A first line longer than this is not an `initialize` worth answering early; the SDK reads it. */
const FIRST_LINE_LIMIT = 1024 * 1024;

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The answer to `line` when it is a well-formed `initialize` request, else undefined. */
export function earlyInitializeAnswer(line: string): JsonObject | undefined {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(message) || message.jsonrpc !== '2.0' || message.method !== 'initialize') return undefined;
  const { id, params } = message;
  if (!(typeof id === 'string' || Number.isInteger(id)) || !isObject(params)) return undefined;
  const { protocolVersion, capabilities, clientInfo } = params;
  if (typeof protocolVersion !== 'string' || !isObject(capabilities) || !isObject(clientInfo)) return undefined;
  if (typeof clientInfo.name !== 'string' || typeof clientInfo.version !== 'string') return undefined;
  return {
    result: {
      // As the SDK negotiates: the client's version when spoken, else the newest.
      protocolVersion: SUPPORTED_PROTOCOL_VERSIONS.includes(protocolVersion)
        ? protocolVersion
        : SUPPORTED_PROTOCOL_VERSIONS[0],
      capabilities: serverCapabilities(),
      serverInfo: { name: SERVER_NAME, version: SERVER_VERSION },
      instructions: serverInstructions(),
    },
    jsonrpc: '2.0',
    id,
  };
}

export function answerInitializeEarly(
  stdin: NodeJS.ReadableStream & { pause(): unknown } = process.stdin,
  stdout: NodeJS.WritableStream = process.stdout,
): EarlyStdio {
  const input = new PassThrough();
  let firstLine: Buffer[] | undefined = [];
  let firstLineBytes = 0;
  let answered: JsonObject | undefined;
  let settleFirst!: () => void;
  const firstMessage = new Promise<void>((resolve) => (settleFirst = resolve));

  const readFirstLine = (chunk: Buffer): void => {
    firstLine!.push(chunk);
    firstLineBytes += chunk.length;
    const all = Buffer.concat(firstLine!);
    const newline = all.indexOf(0x0a);
    if (newline < 0 && firstLineBytes <= FIRST_LINE_LIMIT) return;
    firstLine = undefined;
    if (newline >= 0) {
      answered = earlyInitializeAnswer(all.subarray(0, newline).toString('utf8').replace(/\r$/, ''));
      if (answered) stdout.write(`${JSON.stringify(answered)}\n`);
    }
    settleFirst();
  };
  const onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    input.write(bytes);
    if (firstLine) readFirstLine(bytes);
  };
  const onEnd = (): void => {
    input.end();
    settleFirst();
  };
  const onError = (error: Error): void => void input.destroy(error);
  stdin.on('data', onData);
  stdin.once('end', onEnd);
  stdin.on('error', onError);

  let passedOn = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (answered && !passedOn) {
        let message: unknown;
        try {
          message = JSON.parse(chunk.toString('utf8'));
        } catch {
          message = undefined;
        }
        if (isObject(message) && message.id === answered.id && ('result' in message || 'error' in message)) {
          passedOn = true;
          if (!isDeepStrictEqual(message, answered)) {
            process.stderr.write(
              `settle: the MCP SDK answered initialize differently from the early answer: ${JSON.stringify(message).slice(0, 500)}\n`,
            );
          }
          callback();
          return;
        }
      }
      stdout.write(chunk, (error) => callback(error ?? null));
    },
  });

  return {
    firstMessage,
    input,
    output,
    close: () => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onError);
      stdin.pause();
      settleFirst();
    },
  };
}
