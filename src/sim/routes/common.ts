/**
 * Small helpers shared by the simulator's routes: ids from paths, the query string, rendering a
 * record the way the request asked (`fields`, `return_object`), and request bodies normalised to
 * Coupa's hyphenated keys.
 */
import type { FastifyRequest } from 'fastify';
import type { WireObject } from '../collection.js';
import { badRequest, notFound } from '../errors.js';
import { parseFields, project } from '../fields.js';
import type { CollectionName, SimStore } from '../store.js';

/** A positive integer id from a path segment, or undefined. */
export function parseId(raw: unknown): number | undefined {
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) return undefined;
  const id = Number(raw);
  return id > 0 ? id : undefined;
}

export function queryParams(request: FastifyRequest): URLSearchParams {
  const at = request.url.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : request.url.slice(at + 1));
}

/** How an API resource names itself in errors: `invoice-header` / `InvoiceHeader`. */
export interface ResourceNames {
  collection: CollectionName;
  object: string;
  typeName: string;
}

/** The record with the path's `:id`, or a Coupa 404. */
export function findRecord(store: SimStore, names: ResourceNames, rawId: unknown): WireObject {
  const id = parseId(rawId);
  const record = id === undefined ? undefined : store.get(names.collection, id);
  if (!record) throw notFound(names.object, names.typeName, String(rawId).slice(0, 40));
  return record;
}

/** A record as the response body, honouring `fields` and `return_object` (limited|none). */
export function render(record: WireObject, params: URLSearchParams): Record<string, unknown> | string {
  const shape = params.get('return_object');
  if (shape === 'none') return '';
  if (shape === 'limited') return { id: record.id };
  const fields = params.get('fields');
  return fields === null ? record : project(record, parseFields(fields));
}

/** `invoice_lines` → `invoice-lines`, recursively, so bodies may use either spelling. */
export function dashKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dashKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    out[key.replace(/_/g, '-')] = dashKeys(inner);
  }
  return out;
}

/** The request body as a hyphenated object; an absent body is `{}`, anything else not an object is a 400. */
export function bodyObject(request: FastifyRequest, object: string): Record<string, unknown> {
  const body = request.body;
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest(object, 'Request body must be a JSON object');
  return dashKeys(body) as Record<string, unknown>;
}
