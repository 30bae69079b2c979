/**
 * A local OpenAI-compatible chat server for tests: POST /v1/chat/completions answered from a
 * per-test script of turns (scripted tool calls, text, malformed arguments, HTTP errors) as plain
 * JSON. Settle's ChatOpenAI does not stream; a streaming request is refused with 400 so a change
 * to that shows up instead of passing unnoticed. It records every request so a test can see what
 * the model was shown (tool results, guard errors), and the token usage it reported.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';

/** The request body fields the tests look at; everything else passes through untouched. */
const ChatRequest = z.looseObject({
  model: z.string(),
  messages: z.array(
    z.looseObject({
      role: z.string(),
      content: z.unknown().optional(),
      tool_call_id: z.string().optional(),
      tool_calls: z.array(z.unknown()).optional(),
    }),
  ),
  tools: z.array(z.looseObject({ type: z.string(), function: z.looseObject({ name: z.string() }) })).optional(),
  stream: z.boolean().optional(),
});
export type ChatRequest = z.infer<typeof ChatRequest>;

export interface ScriptedToolCall {
  name: string;
  /** An object is JSON-encoded; a string is sent verbatim (so a test can send invalid JSON). */
  arguments: Record<string, unknown> | string;
}

export interface ScriptedTurn {
  content?: string;
  toolCalls?: ScriptedToolCall[];
  /** Usage reported for this turn (default 100 prompt + 20 completion). */
  usage?: { prompt: number; completion: number };
  /** Answer with this HTTP error status instead of a completion. */
  httpStatus?: number;
}

/** A turn, or a function of the request that builds one (to react to what the agent sent). */
export type TurnScript = ScriptedTurn | ((request: ChatRequest) => ScriptedTurn);

export interface FakeOpenAi {
  /** Base URL without the `/v1` suffix, e.g. http://127.0.0.1:PORT */
  url: string;
  /** Every chat request received since the last `script()`. */
  requests: ChatRequest[];
  /** Sum of total tokens this server reported since the last `script()`. */
  tokensReported(): number;
  /** Turns requested after the script ran out (answered with a plain stop message). */
  overruns(): number;
  /** Load the turns for the next run (resets requests and counters). */
  script(turns: TurnScript[]): void;
  close(): Promise<void>;
}

interface Completion {
  id: string;
  content: string | null;
  toolCalls: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  finishReason: 'tool_calls' | 'stop';
}

function completionOf(turn: ScriptedTurn, n: number): Completion {
  const toolCalls = (turn.toolCalls ?? []).map((c, i) => ({
    id: `call_${n}_${i}`,
    type: 'function' as const,
    function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
  }));
  const prompt = turn.usage?.prompt ?? 100;
  const completion = turn.usage?.completion ?? 20;
  return {
    id: `chatcmpl-fake-${n}`,
    content: turn.content ?? (toolCalls.length ? null : ''),
    toolCalls,
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
    finishReason: toolCalls.length ? 'tool_calls' : 'stop',
  };
}

function jsonBody(c: Completion, model: string): Record<string, unknown> {
  return {
    id: c.id,
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [
      {
        index: 0,
        finish_reason: c.finishReason,
        logprobs: null,
        message: { role: 'assistant', content: c.content, ...(c.toolCalls.length ? { tool_calls: c.toolCalls } : {}) },
      },
    ],
    usage: c.usage,
  };
}

/** Start the fake server on a free loopback port. */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const app: FastifyInstance = Fastify({ logger: false });
  let turns: TurnScript[] = [];
  let requests: ChatRequest[] = [];
  let tokens = 0;
  let overrun = 0;
  let served = 0;

  app.post('/v1/chat/completions', async (request, reply) => {
    const parsed = ChatRequest.safeParse(request.body);
    if (!parsed.success)
      return reply.code(400).send({ error: { message: parsed.error.message, type: 'invalid_request_error' } });
    const body = parsed.data;
    if (body.stream)
      return reply
        .code(400)
        .send({ error: { message: 'this test server does not stream', type: 'invalid_request_error' } });
    requests.push(body);
    const next = turns.shift();
    if (!next) overrun += 1;
    const turn =
      next === undefined
        ? { content: 'Script finished; nothing more to do.' }
        : typeof next === 'function'
          ? next(body)
          : next;
    if (turn.httpStatus)
      return reply
        .code(turn.httpStatus)
        .send({ error: { message: `scripted HTTP ${turn.httpStatus}`, type: 'server_error' } });
    served += 1;
    const completion = completionOf(turn, served);
    tokens += completion.usage.total_tokens;
    return reply.send(jsonBody(completion, body.model));
  });

  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    get requests() {
      return requests;
    },
    tokensReported: () => tokens,
    overruns: () => overrun,
    script(next) {
      turns = [...next];
      requests = [];
      tokens = 0;
      overrun = 0;
    },
    close: () => app.close(),
  };
}

/** A message's text, whether sent as a string or as content parts. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((part) => (part && typeof part === 'object' && 'text' in part ? String(part.text) : ''))
      .join('\n');
  return '';
}

/** The tool-role messages of a request (what the agent showed the model), newest last. */
export function toolResultsIn(request: ChatRequest | undefined): string[] {
  return (request?.messages ?? []).filter((m) => m.role === 'tool').map((m) => contentText(m.content));
}
