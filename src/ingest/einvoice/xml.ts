/**
 * XML as plain objects (fast-xml-parser): namespace prefixes dropped, values kept as strings
 * (amounts must never pass through a JS number), attributes under `@_`. The helpers walk a path
 * tolerantly: any step may be a single node or a list, and a missing step yields undefined.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
});

/**
 * Parse XML text; throws on malformed input. The DOCTYPE is dropped first: supplier XML is
 * untrusted, and entity declarations are how an XML bomb is built (cXML names a DTD, never needs it).
 */
export function parseXml(text: string): XmlNode {
  const withoutDoctype = text.replace(/<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>/i, '');
  // The parser is lenient about unclosed tags; a half-read invoice must not pass for a whole one.
  const valid = XMLValidator.validate(withoutDoctype);
  if (valid !== true) throw new Error(`${valid.err.msg} (line ${valid.err.line})`);
  return parser.parse(withoutDoctype) as XmlNode;
}

const asList = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** Every node at `path` (dot-separated element names), flattening lists at each step. */
export function all(node: unknown, path: string): XmlNode[] {
  let current: unknown[] = [node];
  for (const step of path.split('.')) {
    current = current.flatMap((n) => (n && typeof n === 'object' ? asList((n as XmlNode)[step]) : []));
  }
  return current.map((n) => (n !== null && typeof n === 'object' ? (n as XmlNode) : { '#text': n }));
}

/** The text of a node (element text, or an attribute value when `path` ends in `@_name`). */
export function textOf(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node !== 'object') return String(node).trim() || undefined;
  const t = (node as XmlNode)['#text'];
  return t === undefined || t === null ? undefined : String(t).trim() || undefined;
}

/** The first non-empty text found at any of `paths`. */
export function text(node: unknown, ...paths: string[]): string | undefined {
  for (const path of paths) {
    for (const n of all(node, path)) {
      const t = textOf(n);
      if (t !== undefined) return t;
    }
  }
  return undefined;
}

/** An attribute of the first node at `path`. */
export function attr(node: unknown, path: string, name: string): string | undefined {
  for (const n of all(node, path)) {
    const v = n[`@_${name}`];
    if (v !== undefined && String(v).trim() !== '') return String(v).trim();
  }
  return undefined;
}
