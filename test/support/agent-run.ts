import { randomUUID } from 'node:crypto';
import { MockLanguageModelV3 } from 'ai/test';
import pino from 'pino';
import { createAudit, type Audit } from '../../src/calls/audit.js';
import { createJournal, newWriteOwner, type Journal } from '../../src/calls/journal.js';
import { runAgent, type RunOutcome } from '../../src/agents/loop.js';
import type { AgentMode } from '../../src/domain/modes.js';
import type { BusEvent } from '../../src/domain/events.js';
import type { HandlerDefinition } from '../../src/handlers/define.js';
import type { BoundHandler } from '../../src/handlers/load.js';
import { migrate } from '../../src/store/migrate.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { CommitOptions, Store } from '../../src/store/port.js';
import type { WixRequester } from '../../src/wix/client.js';
import type { AnyWixTool } from '../../src/wix/tools/tool.js';
import { postgresFactory } from './stores.js';

/** One model step: tool calls to make, or a final text. */
export type Step = { calls: { tool: string; input: Record<string, unknown> }[] } | { text: string };

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};

/** The AI SDK's mock model answering with `steps` in order (then "done"). */
export function scriptedModel(steps: Step[]): MockLanguageModelV3 {
  let i = 0;
  return new MockLanguageModelV3({
    doGenerate: async () => {
      const step = steps[i++] ?? { text: 'done' };
      if ('text' in step) {
        return {
          content: [{ type: 'text', text: step.text }],
          finishReason: { unified: 'stop', raw: 'stop' },
          usage,
          warnings: [],
        };
      }
      return {
        content: step.calls.map((c) => ({
          type: 'tool-call' as const,
          toolCallId: randomUUID(),
          toolName: c.tool,
          input: JSON.stringify(c.input),
        })),
        finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
        usage,
        warnings: [],
      };
    },
  });
}

export function testEvent(instanceId: string, id = randomUUID()): BusEvent {
  return {
    v: 1,
    id,
    type: 'order_created',
    eventType: 'wix.ecom.v1.order_created',
    instanceId,
    entityFqdn: 'wix.ecom.v1.order',
    slug: 'created',
    entityId: 'order-1',
    eventTime: new Date().toISOString(),
    receivedAt: new Date().toISOString(),
    identity: null,
    entity: {},
  };
}

export function testHandler(
  tools: readonly AnyWixTool[],
  extra: Partial<HandlerDefinition> = {},
): HandlerDefinition {
  return {
    name: 'test-handler',
    on: 'order_created',
    tools,
    instructions: 'Do what the event needs.',
    data: () => ({}),
    ...extra,
  };
}

/**
 * A migrated store, its audit and a journal owned by this process. `engine`: SQLite in memory (the
 * default's), or the Postgres server of the tests in a schema of its own (dropped by `close`).
 */
export async function agentStore(engine: 'sqlite' | 'postgres' = 'sqlite', ownerTtlMs = 30_000) {
  const store: Store =
    engine === 'sqlite' ? await openSqliteStore(undefined) : await (await postgresFactory()).open();
  await migrate(store);
  const audit: Audit = createAudit(store);
  const journal: Journal = createJournal(store, newWriteOwner(ownerTtlMs));
  return { store, audit, journal };
}

/** Runs one agent run of `handler` on `event` with the scripted model. */
export function runScripted(
  deps: { audit: Audit; journal: Journal; client: WixRequester; runRecords?: CommitOptions },
  handler: HandlerDefinition,
  event: BusEvent,
  steps: Step[],
  mode: AgentMode = 'live',
): Promise<RunOutcome> {
  return runAgent(
    {
      model: scriptedModel(steps),
      modelName: 'mock',
      audit: deps.audit,
      journal: deps.journal,
      client: deps.client,
      ...(deps.runRecords ? { runRecords: deps.runRecords } : {}),
    },
    bind(handler, { vipLifetimeSpend: 500 }, mode),
    event,
    {
      attempt: 1,
      signal: new AbortController().signal,
      heartbeat: async () => {},
      logger: pino({ level: 'silent' }),
    },
  );
}

/** A definition with its settings applied, as `prepareHandlers` binds it (without its checks). */
export function bind(
  handler: HandlerDefinition,
  settings: Record<string, unknown>,
  mode: AgentMode = handler.mode ?? 'live',
): BoundHandler {
  const guard = handler.guard;
  return {
    name: handler.name,
    on: handler.on as BoundHandler['on'],
    tools: handler.tools,
    instructions:
      typeof handler.instructions === 'string'
        ? handler.instructions
        : handler.instructions(settings as never),
    data: (event) => handler.data(event, settings as never) as Record<string, unknown>,
    ...(guard
      ? { guard: (write, event) => guard.call(handler, write as never, event, settings as never) }
      : {}),
    mode,
    ...(handler.limits ? { limits: handler.limits } : {}),
    settings: settings as BoundHandler['settings'],
    source: 'test',
  };
}
