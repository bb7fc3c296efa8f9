/**
 * SANDBOX ONLY: an OpenAI-compatible chat-completions server that stands in for a model in the demo
 * and the tests. It is NOT an LLM: its replies follow the handlers' own `sandbox` scripts, given to it
 * by handler name (llm-scripts.ts; the request names its handler in the `x-wix-event-agent-handler`
 * header), or, in adversarial mode, the worst behaviour we can think of (llm-adversary.ts). The
 * `sandbox` provider is the ordinary openai-compatible provider pointed at it, so everything else runs
 * the production code path.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import { listen } from '../lib/http-server.js';
import { adversarialTurn, type RawCall } from './llm-adversary.js';
import { readConversation, type ChatRequest } from './llm-conversation.js';
import { HANDLER_HEADER, type SandboxScript } from '../handlers/script.js';
import { scriptedTurn } from './llm-scripts.js';

export type LlmEmulatorMode = 'scripted' | 'adversarial';

export interface LlmEmulatorOptions {
  /** 0 = a free port. Default 0. */
  port?: number;
  host?: string;
  /** Default scripted. */
  mode?: LlmEmulatorMode;
  /** Delay before each answer, ms (model time). Default 0. */
  latencyMs?: number;
  /** Reported usage per answer is at least this many tokens (to test token budgets). Default 0. */
  minTokensPerAnswer?: number;
  /** Requests kept in `requests` (oldest dropped). Default 10_000. */
  maxLogEntries?: number;
  /** Scripts by handler name: the handlers' `sandbox` scripts (see `scriptsOf`). Default none. */
  scripts?: Readonly<Record<string, SandboxScript>>;
}

export interface LlmEmulator {
  /** Base URL for an openai-compatible client, ending in `/v1`. */
  url: string;
  mode: LlmEmulatorMode;
  latencyMs: number;
  minTokensPerAnswer: number;
  /** Every chat request received, in order. */
  requests: ChatRequest[];
  /** Scripts by handler name; add one to script a handler while the emulator runs. */
  scripts: Record<string, SandboxScript>;
  /** The next `count` requests fail with `status` (e.g. 500, 429, 503). */
  failNext(count: number, status?: number): void;
  /** The next `count` requests never answer (a model timeout). */
  hangNext(count: number): void;
  close(): Promise<void>;
}

const tokens = (value: unknown) => Math.ceil(JSON.stringify(value ?? '').length / 4);

/** The `sandbox` scripts of `handlers` by handler name (those without one are left out), for `scripts`. */
export function scriptsOf(
  handlers: readonly { name: string; sandbox?: SandboxScript | undefined }[],
): Record<string, SandboxScript> {
  return Object.fromEntries(handlers.flatMap((h) => (h.sandbox ? [[h.name, h.sandbox]] : [])));
}

/**
 * Starts the LLM emulator on `options.port` (default a free one). It answers each request with the turn
 * of the script of the handler named in its `x-wix-event-agent-handler` header, and fails a request
 * for a handler it has no script for (400, `sandbox_no_script`).
 */
export async function startLlmEmulator(options: LlmEmulatorOptions = {}): Promise<LlmEmulator> {
  const app = express();
  const state = { fail: 0, failStatus: 500, hang: 0 };
  const pending = new Set<NodeJS.Timeout>();
  const emulator: LlmEmulator = {
    url: '',
    mode: options.mode ?? 'scripted',
    latencyMs: options.latencyMs ?? 0,
    minTokensPerAnswer: options.minTokensPerAnswer ?? 0,
    requests: [],
    scripts: { ...options.scripts },
    failNext(count, status = 500) {
      state.fail = count;
      state.failStatus = status;
    },
    hangNext(count) {
      state.hang = count;
    },
    close: async () => {},
  };

  app.use(express.json({ limit: '5mb' }));
  app.get('/v1/models', (_req, res) => {
    res.json({
      object: 'list',
      data: [{ id: 'sandbox-scripted', object: 'model', owned_by: 'wix-event-agent sandbox' }],
    });
  });
  app.post('/v1/chat/completions', (req, res) => {
    const request = req.body as ChatRequest;
    emulator.requests.push(request);
    if (emulator.requests.length > (options.maxLogEntries ?? 10_000)) emulator.requests.shift();
    if (state.hang > 0) {
      state.hang--;
      return; // never answers; the client's deadline must end it
    }
    if (state.fail > 0) {
      state.fail--;
      res
        .status(state.failStatus)
        .json({ error: { message: 'sandbox: injected failure', type: 'server_error' } });
      return;
    }
    const conversation = readConversation(request, req.get(HANDLER_HEADER));
    let calls: RawCall[] = [];
    let content: string | null = null;
    if (emulator.mode === 'adversarial') {
      calls = adversarialTurn(conversation).calls;
    } else {
      const turn = scriptedTurn(conversation, emulator.scripts);
      if (!turn) {
        // Not a plain success: a stand-in with nothing to stand in for fails the run, saying why.
        res.status(400).json({
          error: {
            message:
              `the sandbox model has no script for handler "${conversation.handler ?? 'unknown'}": ` +
              'give the handler a `sandbox` script, or set LLM_PROVIDER to a real model',
            type: 'invalid_request_error',
            code: 'sandbox_no_script',
          },
        });
        return;
      }
      if ('calls' in turn)
        calls = turn.calls.map((c) => ({ name: c.name, arguments: JSON.stringify(c.args) }));
      else content = turn.text;
    }
    const message = {
      role: 'assistant',
      content,
      ...(calls.length
        ? {
            tool_calls: calls.map((c) => ({
              id: `call_${randomUUID().slice(0, 12)}`,
              type: 'function',
              function: c,
            })),
          }
        : {}),
    };
    const prompt = tokens(request.messages);
    const completion = Math.max(tokens(message), emulator.minTokensPerAnswer - prompt);
    const body = {
      id: `chatcmpl-${randomUUID()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: 'sandbox-scripted',
      system_fingerprint: 'sandbox',
      choices: [{ index: 0, message, finish_reason: calls.length ? 'tool_calls' : 'stop' }],
      usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
    };
    if (emulator.latencyMs <= 0) {
      res.json(body);
      return;
    }
    const timer = setTimeout(() => {
      pending.delete(timer);
      res.json(body);
    }, emulator.latencyMs);
    pending.add(timer);
  });

  const server = await listen(app, options.port ?? 0, options.host ?? '127.0.0.1');
  emulator.url = `${server.url}/v1`;
  emulator.close = async () => {
    for (const t of pending) clearTimeout(t);
    await server.close(100);
  };
  return emulator;
}
