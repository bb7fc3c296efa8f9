/**
 * A scripted stand-in model for tests, built on the AI SDK's `MockLanguageModelV3` (`ai/test`): the test
 * says which tool calls the "model" makes, turn by turn, and the real agent loop, policy and tools run
 * them. Scripts are found by event id, then by handler name (the call's `x-wix-event-agent-handler`
 * header: pass the model on with its `headersFor`, as the harness does); without one the call fails,
 * naming the handler (the run is recorded as failed, never as a success).
 */
import { randomUUID } from 'node:crypto';
import { MockLanguageModelV3 } from 'ai/test';
import {
  HANDLER_HEADER,
  scriptTurn,
  standInHeaders,
  type SandboxScript,
  type ScriptContext,
} from '../handlers/script.js';

type Prompt = { role: string; content: unknown }[];
type Part = {
  type: string;
  text?: string;
  toolCallId?: string;
  toolName?: string;
  input?: unknown;
  output?: unknown;
};

const parts = (content: unknown): Part[] => (Array.isArray(content) ? (content as Part[]) : []);
const textOf = (content: unknown) =>
  typeof content === 'string'
    ? content
    : parts(content)
        .map((p) => p.text ?? '')
        .join('');

function outputValue(output: unknown): unknown {
  const o = output as { type?: string; value?: unknown } | undefined;
  if (!o) return undefined;
  if (o.type === 'text' || o.type === 'error-text') {
    try {
      return JSON.parse(String(o.value));
    } catch {
      return o.value;
    }
  }
  return o.value;
}

/**
 * What the scripted model reads from a call: the handler (its `x-wix-event-agent-handler` header, never
 * the prompt), the offered tools, and from the prompt the event id, the system prompt, the data block
 * and the earlier calls.
 */
export function readPrompt(
  prompt: Prompt,
  headers: Record<string, string | undefined> = {},
  tools: readonly { name: string }[] = [],
): { handler?: string; eventId?: string; context: ScriptContext } {
  const system = prompt
    .filter((m) => m.role === 'system')
    .map((m) => textOf(m.content))
    .join('\n');
  const user = textOf(prompt.find((m) => m.role === 'user')?.content);
  const block = /<event_data>\s*([\s\S]*?)\s*<\/event_data>/.exec(user)?.[1];
  let data: Record<string, unknown> = {};
  try {
    data = block ? (JSON.parse(block) as Record<string, unknown>) : {};
  } catch {
    data = {};
  }
  const calls = new Map<string, { tool: string; input: Record<string, unknown> }>();
  const results: ScriptContext['results'] = [];
  let turn = 0;
  for (const message of prompt) {
    if (message.role === 'assistant') {
      turn++;
      for (const p of parts(message.content).filter((x) => x.type === 'tool-call')) {
        const input = typeof p.input === 'string' ? (JSON.parse(p.input) as unknown) : p.input;
        calls.set(p.toolCallId!, { tool: p.toolName!, input: (input ?? {}) as Record<string, unknown> });
      }
    }
    if (message.role === 'tool') {
      for (const p of parts(message.content).filter((x) => x.type === 'tool-result')) {
        const call = calls.get(p.toolCallId!);
        if (call) results.push({ ...call, result: outputValue(p.output) });
      }
    }
  }
  const handler = headers[HANDLER_HEADER];
  const eventId = /event id (\S+?),/.exec(user)?.[1];
  return {
    ...(handler ? { handler } : {}),
    ...(eventId ? { eventId } : {}),
    context: { data, system, offered: tools.map((t) => t.name), results, turn },
  };
}

export interface ScriptedModel {
  /** The AI SDK model to run the agents on. */
  model: MockLanguageModelV3;
  name: string;
  /** The headers that tell it which handler a call is for: pass it on with the model (`ModelChoice`). */
  headersFor: (handler: string) => Record<string, string>;
  /** Scripts by handler name (used when no event-specific script matches). */
  byHandler: Map<string, SandboxScript>;
  /** Scripts for one event: `eventId` → script, or → scripts by handler name. */
  byEvent: Map<string, SandboxScript | Record<string, SandboxScript>>;
}

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: output, text: output, reasoning: undefined },
});

/** A scripted model; `fallback` gives a handler's script when none was set (its `sandbox` script). */
export function scriptedModel(
  fallback: (handler: string) => SandboxScript | undefined = () => undefined,
): ScriptedModel {
  const byHandler = new Map<string, SandboxScript>();
  const byEvent = new Map<string, SandboxScript | Record<string, SandboxScript>>();
  const find = (handler: string | undefined, eventId: string | undefined): SandboxScript | undefined => {
    const forEvent = eventId ? byEvent.get(eventId) : undefined;
    if (forEvent && (Array.isArray(forEvent) || typeof forEvent === 'function'))
      return forEvent as SandboxScript;
    if (forEvent && handler && Object.hasOwn(forEvent, handler))
      return (forEvent as Record<string, SandboxScript>)[handler];
    if (handler && byHandler.has(handler)) return byHandler.get(handler);
    return handler ? fallback(handler) : undefined;
  };
  const model = new MockLanguageModelV3({
    provider: 'wix-event-agent-testing',
    modelId: 'scripted',
    doGenerate: async (options) => {
      const prompt = options.prompt as unknown as Prompt;
      const { handler, eventId, context } = readPrompt(prompt, options.headers, options.tools);
      const script = find(handler, eventId);
      if (!script) {
        throw new Error(
          `the scripted model has no script for handler "${handler ?? 'unknown'}": pass one to send(event, { script }) or give the handler a sandbox script`,
        );
      }
      const turn = scriptTurn(script, context);
      const size = JSON.stringify(prompt).length;
      if ('text' in turn) {
        return {
          content: [{ type: 'text', text: turn.text }],
          finishReason: { unified: 'stop', raw: 'stop' },
          usage: usage(Math.ceil(size / 4), Math.ceil(turn.text.length / 4)),
          warnings: [],
        };
      }
      return {
        content: turn.calls.map((c) => ({
          type: 'tool-call' as const,
          toolCallId: `call_${randomUUID().slice(0, 12)}`,
          toolName: c.tool,
          input: JSON.stringify(c.input),
        })),
        finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
        usage: usage(Math.ceil(size / 4), 20 * turn.calls.length),
        warnings: [],
      };
    },
  });
  return {
    model,
    name: 'scripted test model (not an LLM)',
    headersFor: standInHeaders,
    byHandler,
    byEvent,
  };
}
