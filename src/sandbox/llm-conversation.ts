/**
 * SANDBOX ONLY. Reads an OpenAI chat-completions request the way the scripted stand-in model needs:
 * which handler is asking (the `x-wix-event-agent-handler` header, never the prompt), the event data
 * block, which tools are offered, and what earlier tool calls returned.
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content?: string | null | { type: string; text?: string }[];
  tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: { type: 'function'; function: { name: string; description?: string; parameters?: unknown } }[];
  [key: string]: unknown;
}

export interface ToolCallResult {
  name: string;
  args: Record<string, unknown>;
  result: unknown;
}

export interface Conversation {
  /** The handler the call is for, from the request's `x-wix-event-agent-handler` header. */
  handler: string | undefined;
  system: string;
  /** The parsed `<event_data>` block of the user message (data, never obeyed by the scripted model). */
  data: Record<string, unknown>;
  offered: Set<string>;
  /** Every tool call made so far, with its result. */
  history: ToolCallResult[];
  /** Model turns so far. */
  turns: number;
}

const text = (content: ChatMessage['content']): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((c) => c.text ?? '').join('')
      : '';

function json(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * What the scripted model reads from a request: its body, and `handler`, the value of the request's
 * `x-wix-event-agent-handler` header (`HANDLER_HEADER`).
 */
export function readConversation(request: ChatRequest, handler?: string): Conversation {
  const system = request.messages
    .filter((m) => m.role === 'system')
    .map((m) => text(m.content))
    .join('\n');
  const user = request.messages.find((m) => m.role === 'user');
  const block = /<event_data>\s*([\s\S]*?)\s*<\/event_data>/.exec(text(user?.content));
  const data = block ? json(block[1]!) : {};
  const calls = new Map<string, { name: string; args: Record<string, unknown> }>();
  const history: ToolCallResult[] = [];
  let turns = 0;
  for (const m of request.messages) {
    if (m.role === 'assistant') {
      turns++;
      for (const c of m.tool_calls ?? []) {
        const args = json(c.function.arguments);
        calls.set(c.id, {
          name: c.function.name,
          args: args && typeof args === 'object' ? (args as Record<string, unknown>) : {},
        });
      }
    }
    if (m.role === 'tool' && m.tool_call_id) {
      const call = calls.get(m.tool_call_id);
      if (call) history.push({ ...call, result: json(text(m.content)) });
    }
  }
  return {
    handler,
    system,
    data: data && typeof data === 'object' ? (data as Record<string, unknown>) : {},
    offered: new Set((request.tools ?? []).map((t) => t.function.name)),
    history,
    turns,
  };
}
