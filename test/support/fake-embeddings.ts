/**
 * A local OpenAI-compatible embeddings server for tests: POST /v1/embeddings answered by a
 * function of the texts, as the wire format has it (`data[].embedding`, `index`, `usage`). With no
 * neural model reachable offline, tests serve a stand-in model through it, so Settle's real
 * OpenAI-compatible client path (LangChain OpenAIEmbeddings over HTTP) is what is measured.
 */
import Fastify from 'fastify';
import { z } from 'zod';

const EmbeddingRequest = z.looseObject({
  model: z.string(),
  input: z.union([z.string(), z.array(z.string()), z.array(z.array(z.number()))]),
  encoding_format: z.string().optional(),
  dimensions: z.number().int().optional(),
});

export interface FakeEmbeddings {
  /** Base URL with the `/v1` suffix, as OPENAI_BASE_URL takes it. */
  baseUrl: string;
  /** Texts embedded so far. */
  texts(): number;
  close(): Promise<void>;
}

export async function startFakeEmbeddings(embed: (texts: string[]) => number[][]): Promise<FakeEmbeddings> {
  const app = Fastify({ logger: false, bodyLimit: 50 * 1024 * 1024 });
  let count = 0;
  app.post('/v1/embeddings', async (request, reply) => {
    const parsed = EmbeddingRequest.safeParse(request.body);
    if (!parsed.success)
      return reply.code(400).send({ error: { message: parsed.error.message, type: 'invalid_request_error' } });
    const { input, model } = parsed.data;
    // Token arrays are what the client sends only when asked to; this server takes text.
    if (Array.isArray(input) && input.some((i) => typeof i !== 'string'))
      return reply.code(400).send({ error: { message: 'send text input', type: 'invalid_request_error' } });
    const texts = typeof input === 'string' ? [input] : (input as string[]);
    count += texts.length;
    const vectors = embed(texts);
    return reply.send({
      object: 'list',
      model,
      data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
      usage: { prompt_tokens: texts.length, total_tokens: texts.length },
    });
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { baseUrl: `${address}/v1`, texts: () => count, close: () => app.close() };
}
