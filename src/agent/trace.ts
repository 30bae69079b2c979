/**
 * The tool-call trace of one run, read from the LangChain message list: each call the brain made,
 * with the guard's answer (structured content, or the error text). Both the planner and the
 * verdict read this — never the brain's prose.
 */
import type { BaseMessage } from '@langchain/core/messages';

export interface TraceEntry {
  id: string;
  name: string;
  args: Record<string, unknown>;
  /** False when the guard denied the call or the tool failed. */
  ok: boolean;
  structured?: Record<string, unknown>;
  text: string;
}

export interface ToolCallLike {
  id?: string;
  name: string;
  args: Record<string, unknown>;
}

function structuredOf(message: BaseMessage): Record<string, unknown> | undefined {
  const artifact = (message as { artifact?: unknown }).artifact;
  if (Array.isArray(artifact)) {
    for (const part of artifact) {
      if (part && typeof part === 'object' && (part as { type?: string }).type === 'mcp_structured_content') {
        return (part as { data?: Record<string, unknown> }).data;
      }
    }
  }
  return undefined;
}

function textOf(message: BaseMessage): string {
  const content = message.content;
  if (typeof content === 'string') {
    try {
      const parsed = JSON.parse(content) as { text?: unknown };
      if (parsed && typeof parsed.text === 'string') return parsed.text;
    } catch {
      /* plain text */
    }
    return content;
  }
  return content
    .map((c) => (typeof c === 'string' ? c : 'text' in c && typeof c.text === 'string' ? c.text : ''))
    .join('\n');
}

/** The guard's message without the adapter's wrapping ("ToolException: MCP tool … returned an error: …"). */
export function cleanToolError(text: string): string {
  return text
    .replace(/^(ToolException:\s*)?MCP tool '[^']*' on server '[^']*' returned an error:\s*/, '')
    .replace(/^Error:\s*/, '')
    .replace(/\s*Please fix your mistakes\.?\s*$/, '')
    .trim();
}

/** One tool call and the tool message that answered it. */
export function traceEntry(id: string, call: ToolCallLike, answer: BaseMessage): TraceEntry {
  const text = textOf(answer);
  const status = (answer as { status?: string }).status;
  const ok = status !== 'error' && !/^(ToolException|Error)[:\s]/.test(text) && !/returned an error/.test(text);
  const structured = structuredOf(answer);
  return {
    id,
    name: call.name,
    args: call.args,
    ok,
    text: ok ? text : cleanToolError(text),
    ...(structured ? { structured } : {}),
  };
}

/** Pair every AI tool call with its tool result, in order. Unanswered calls are omitted. */
export function readTrace(messages: readonly BaseMessage[]): TraceEntry[] {
  const calls = new Map<string, ToolCallLike>();
  const entries: TraceEntry[] = [];
  for (const m of messages) {
    const type = m.getType();
    if (type === 'ai') {
      for (const call of (m as { tool_calls?: ToolCallLike[] }).tool_calls ?? []) if (call.id) calls.set(call.id, call);
    } else if (type === 'tool') {
      const id = (m as { tool_call_id?: string }).tool_call_id ?? '';
      const call = calls.get(id);
      if (call) entries.push(traceEntry(id, call, m));
    }
  }
  return entries;
}

/** The last successful result of a tool, if any. */
export function lastResult(trace: readonly TraceEntry[], name: string): TraceEntry | undefined {
  for (let i = trace.length - 1; i >= 0; i--) if (trace[i]!.name === name && trace[i]!.ok) return trace[i];
  return undefined;
}
