/**
 * Limits on the shape of JSON, checked on the text before anything parses or recurses into it. An event
 * is a thin, flat poke; a body nested tens of thousands deep is poison — it parsed, then failed in
 * the database and came back as 503, so the sender retried it forever. A scan is linear and never
 * recurses, so the check itself cannot run out of stack.
 */

/** Deepest nesting an event may have (objects and arrays); real call-outs use two or three. */
export const MAX_EVENT_DEPTH = 32;

/** The reason `text` exceeds `maxDepth`, or null when it does not. Strings are skipped correctly. */
export function jsonDepthProblem(text: string, maxDepth = MAX_EVENT_DEPTH): string | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > maxDepth) return `JSON nested deeper than ${maxDepth} levels`;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return null;
}
