/**
 * Coupa's error contract as the simulator speaks it: every failure is JSON of the form
 * `{"errors": {"<object>": ["message", …]}}` (coupa-api.md §4), never an HTML page or a stack.
 */
import type { z } from 'zod';
import { formatIssuePath } from '../issues.js';

/** A failure to answer with a Coupa-shaped body. Thrown by routes, caught by the error handler. */
export class SimHttpError extends Error {
  override name = 'SimHttpError';
  constructor(
    readonly statusCode: number,
    readonly errors: Record<string, string[]>,
    readonly headers: Record<string, string> = {},
  ) {
    super(Object.values(errors).flat().join('; '));
  }

  body(): { errors: Record<string, string[]> } {
    return { errors: this.errors };
  }
}

/** 400 with one message under `object` (e.g. `invoice-header`). */
export function badRequest(object: string, ...messages: string[]): SimHttpError {
  return new SimHttpError(400, { [object]: messages });
}

/** 404 for an unknown record: `{"errors":{"invoice-header":["InvoiceHeader 9 not found"]}}`. */
export function notFound(object: string, typeName: string, id: unknown): SimHttpError {
  return new SimHttpError(404, { [object]: [`${typeName} ${String(id)} not found`] });
}

/** Turn a zod failure into Coupa's 400 shape, one message per offending field. */
export function fromZodError(object: string, error: z.ZodError): SimHttpError {
  const messages = error.issues.map((issue) => {
    // Coupa's own shape: "field message" (no colon), the bare message for the record itself.
    return issue.path.length > 0 ? `${formatIssuePath(issue.path)} ${issue.message}` : issue.message;
  });
  return new SimHttpError(400, { [object]: messages.length > 0 ? messages : ['is invalid'] });
}

/** Parse `input` with `schema` or throw a Coupa 400 naming `object`. */
export function parseBody<T>(schema: z.ZodType<T>, input: unknown, object: string): T {
  const result = schema.safeParse(input);
  if (!result.success) throw fromZodError(object, result.error);
  return result.data;
}
