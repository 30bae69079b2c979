/**
 * The one error path: whatever a tool call throws becomes a short message a model or a person can
 * act on, and never a stack, a JSON dump of validation issues or a Coupa response body (a body can
 * carry tenant internals into a model's context, or from there into a supplier-visible comment).
 *   Coupa 4xx        → what to fix (Coupa's own field messages, one line, capped);
 *   Coupa 5xx, 429, timeouts, dropped connections → "Coupa is unavailable, retry later";
 *   validation       → the field and the rule, in words (src/issues.ts);
 *   anything else    → "internal error, logged as <id>" — the details go to the log only.
 */
import {
  CoupaAuthError,
  CoupaError,
  CoupaHttpError,
  CoupaNetworkError,
  CoupaNotFoundError,
  CoupaRecordError,
  CoupaTimeoutError,
  CoupaUnknownOutcomeError,
} from '../coupa/errors.js';
import { formatIssues, hasIssues } from '../issues.js';
import { ToolError } from './tool.js';

export type ToolMessageKind =
  | 'tool'
  | 'coupa_rejected'
  | 'coupa_not_found'
  | 'coupa_access'
  | 'coupa_unavailable'
  | 'coupa_unknown_outcome'
  | 'coupa_record'
  | 'validation'
  | 'internal';

export interface ToolMessage {
  kind: ToolMessageKind;
  /** What the caller sees (one line). */
  text: string;
  /** True for faults of Settle itself, logged at error level with the full error. */
  internal: boolean;
}

export const COUPA_UNAVAILABLE = 'Coupa is unavailable, retry later';

/** Longest piece of Coupa's own wording a caller sees. */
const MAX_COUPA_TEXT = 300;

/** Coupa's field messages as one safe line: no control characters, no markup, capped. */
function coupaWords(messages: readonly string[]): string {
  const joined = messages
    .map((m) =>
      m
        .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ')
        .replace(/[<>{}[\]]/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter(Boolean)
    .join('; ');
  return joined.length > MAX_COUPA_TEXT ? `${joined.slice(0, MAX_COUPA_TEXT - 1)}…` : joined;
}

function fromCoupa(error: CoupaError): ToolMessage {
  const of = (kind: ToolMessageKind, text: string): ToolMessage => ({ kind, text, internal: false });
  if (error instanceof CoupaUnknownOutcomeError) {
    return of(
      'coupa_unknown_outcome',
      'Coupa did not confirm whether the write happened; re-read the invoice before trying again',
    );
  }
  if (error instanceof CoupaTimeoutError || error instanceof CoupaNetworkError)
    return of('coupa_unavailable', COUPA_UNAVAILABLE);
  if (error instanceof CoupaRecordError) {
    return of(
      'coupa_record',
      `Coupa ${error.resource} ${error.recordId ?? ''} could not be read (${error.issues.length} field(s) unreadable); route it to a person`.replace(
        /\s+/g,
        ' ',
      ),
    );
  }
  if (error instanceof CoupaHttpError) {
    if (error.status === 429 || error.status >= 500) return of('coupa_unavailable', COUPA_UNAVAILABLE);
    if (error instanceof CoupaNotFoundError)
      return of(
        'coupa_not_found',
        `Coupa has no such record (${error.method} ${error.path}); check the id, it may have been deleted`,
      );
    if (error instanceof CoupaAuthError) {
      return of(
        'coupa_access',
        `Coupa refused Settle's credentials for ${error.method} ${error.path}; an administrator must check the integration's OAuth scopes`,
      );
    }
    const words = coupaWords(error.messages);
    const what = words ? `: ${words}` : '';
    return of(
      'coupa_rejected',
      `Coupa refused ${error.method} ${error.path} (${error.status})${what}; re-read the invoice and fix what Coupa names before trying again`,
    );
  }
  return of('coupa_unavailable', COUPA_UNAVAILABLE);
}

/**
 * The caller-facing message for a thrown value. `incident` names the log entry an internal error
 * was written under (the guard passes the audit row's incident id).
 */
export function toToolMessage(error: unknown, incident: string): ToolMessage {
  if (error instanceof ToolError) {
    return {
      kind: 'tool',
      text: `${oneLine(error.message)}${error.hint ? `. ${oneLine(error.hint)}` : ''}`,
      internal: false,
    };
  }
  if (error instanceof CoupaError) return fromCoupa(error);
  if (hasIssues(error))
    return { kind: 'validation', text: `invalid data — ${formatIssues(error, { root: 'value' })}`, internal: false };
  return { kind: 'internal', text: `internal error, logged as ${incident}`, internal: true };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n[\s\S]*$/, '').trim();
}
