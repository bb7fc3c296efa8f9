/**
 * Stand-in models learn which handler a call is for from a request header, never from the prompt: the
 * production prompt names no handler, a real model's request carries nothing of the kind, and the
 * sandbox model (set up with the header) still runs both built-ins from their own `sandbox` scripts.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAudit } from '../../src/calls/audit.js';
import { openAgents } from '../../src/app/agents.js';
import { loadServiceHandlers } from '../../src/app/handlers.js';
import { eventPrompt, systemPrompt } from '../../src/agents/prompt.js';
import { builtInHandlers } from '../../src/builtin/index.js';
import { loadConfig } from '../../src/config/load.js';
import { HANDLER_HEADER } from '../../src/handlers/script.js';
import { createLogger } from '../../src/observability/logger.js';
import { createRegistry } from '../../src/observability/metrics.js';
import { agentStore } from '../support/agent-run.js';
import { makeEvent } from '../support/events.js';

const order = makeEvent({
  type: 'order_approved',
  entity: { id: 'ord-1', number: '10001', buyerInfo: { contactId: 'buyer-1' }, buyerNote: 'Gift wrap' },
});
const contact = makeEvent({ type: 'contact_created', entity: { id: 'new-1' } });
const eventFor = (handler: string) => (handler === 'order-triage' ? order : contact);

describe('the production prompt', () => {
  it('names no handler for the model: no `handler:` line in the system or the user message', async () => {
    const handlers = await loadServiceHandlers(
      { agentMode: 'live', handlerModes: {}, handlers: undefined },
      { env: {} },
    );
    expect(handlers.map((h) => h.name)).toEqual(['order-triage', 'contact-intake']);
    for (const handler of handlers) {
      for (const text of [systemPrompt(handler, 'live'), eventPrompt(handler, eventFor(handler.name))]) {
        expect(text).not.toMatch(/^\s*handler\s*:/im);
        expect(text).not.toContain(HANDLER_HEADER);
      }
    }
  });
});

/** A chat-completions server that records each request (headers and body) and answers "done". */
async function recordingModel() {
  const requests: { headers: IncomingHttpHeaders; body: { messages: unknown[]; tools?: unknown } }[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      requests.push({
        headers: req.headers,
        body: JSON.parse(raw) as { messages: unknown[]; tools?: unknown },
      });
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 0,
          model: 'm',
          choices: [{ index: 0, message: { role: 'assistant', content: 'done' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return { url, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('which handler a model call is for', () => {
  let s: Awaited<ReturnType<typeof agentStore>>;
  let model: Awaited<ReturnType<typeof recordingModel>>;
  beforeAll(async () => {
    s = await agentStore('sqlite');
    model = await recordingModel();
  });
  afterAll(async () => {
    await model.close();
    await s.store.close();
  });

  /** The agents as the service assembles them, from `env`. */
  async function agentsFor(env: Record<string, string>) {
    const config = loadConfig(env);
    const agents = await openAgents(config, {
      store: s.store,
      audit: createAudit(s.store),
      registry: createRegistry({ defaultMetrics: false }),
      logger: createLogger({ level: 'silent' }),
      definitions: await loadServiceHandlers(config, { env }),
    });
    if ('missing' in agents) throw new Error(agents.missing);
    return agents;
  }

  /** Runs `handler` on its event through the agents as the service assembles them; the request the model got. */
  async function requestOf(llm: Record<string, string>, handler: string) {
    const env = {
      WIX_APP_ID: 'app',
      WIX_APP_SECRET: 'secret',
      WIX_API_BASE_URL: 'http://127.0.0.1:9', // never called: the model answers without tools
      ...llm,
    };
    const agents = await agentsFor(env);
    try {
      const before = model.requests.length;
      await agents.handlers
        .find((h) => h.name === handler)!
        .handle(eventFor(handler), {
          attempt: 1,
          signal: new AbortController().signal,
          heartbeat: async () => {},
          logger: pino({ level: 'silent' }),
        });
      expect(model.requests.length).toBe(before + 1);
      return model.requests.at(-1)!;
    } finally {
      await agents.close();
    }
  }

  it('a real model gets no header and the same messages; the sandbox model gets the handler in its header', async () => {
    for (const handler of ['order-triage', 'contact-intake']) {
      const real = await requestOf(
        { LLM_PROVIDER: 'openai-compatible', LLM_BASE_URL: model.url, LLM_MODEL: 'm' },
        handler,
      );
      const sandbox = await requestOf({ LLM_PROVIDER: 'sandbox', LLM_BASE_URL: model.url }, handler);
      expect(real.headers).not.toHaveProperty(HANDLER_HEADER);
      for (const m of real.body.messages as { content: string }[]) {
        expect(m.content).not.toMatch(/^\s*handler\s*:/im);
      }
      expect(sandbox.headers[HANDLER_HEADER]).toBe(handler);
      // The prompt is the same whichever model answers: the sandbox is told through the header only.
      expect(sandbox.body.messages).toEqual(real.body.messages);
      expect(sandbox.body.tools).toEqual(real.body.tools);
    }
  });

  it('the in-process sandbox model (serve --sandbox) has the built-ins’ own scripts, and no other', async () => {
    const env = { WIX_APP_ID: 'app', WIX_APP_SECRET: 'secret', WIX_API_BASE_URL: 'http://127.0.0.1:9' };
    const agents = await agentsFor(env);
    try {
      expect(agents.model.emulator?.scripts).toEqual(
        Object.fromEntries(builtInHandlers.map((h) => [h.name, h.sandbox])),
      );
    } finally {
      await agents.close();
    }
  });
});
