import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import type { Config } from '../config/load.js';
import { standInHeaders } from '../handlers/script.js';
import { httpFetch } from '../lib/http-fetch.js';

export interface ModelChoice {
  model: LanguageModel;
  /** For logs and the audit trail; the sandbox says so plainly. */
  name: string;
  sandbox: boolean;
  /**
   * Request headers for a handler's model calls, for stand-in models only (the sandbox model, the testing
   * kit's): they learn which handler they serve from them (`x-wix-event-agent-handler`). Undefined for a
   * real model, which gets nothing of the kind.
   */
  headersFor?: (handler: string) => Record<string, string>;
}

/** Model id the sandbox emulator answers as. */
export const SANDBOX_MODEL_ID = 'sandbox-scripted';

/**
 * The Model port: a Vercel AI SDK LanguageModel from `LLM_PROVIDER`. `sandbox` is the openai-compatible
 * provider pointed at the LLM emulator (`sandboxBaseUrl`), so the sandbox runs the production code path.
 * The config schema has already checked that the variables each provider needs are present.
 * Every provider calls its API through `httpFetch` (lib/http-fetch.ts): the answer is read whole, so
 * use the model with `generateText` (as the agent loop does), not for streaming.
 */
export function createModel(llm: Config['llm'], options: { sandboxBaseUrl?: string } = {}): ModelChoice {
  switch (llm.provider) {
    case 'openai': {
      const id = llm.model!;
      return {
        model: createOpenAI({
          apiKey: llm.apiKey!,
          fetch: httpFetch,
          ...(llm.baseUrl ? { baseURL: llm.baseUrl } : {}),
        })(id),
        name: `openai:${id}`,
        sandbox: false,
      };
    }
    case 'anthropic': {
      const id = llm.model!;
      return {
        model: createAnthropic({
          apiKey: llm.apiKey!,
          fetch: httpFetch,
          ...(llm.baseUrl ? { baseURL: llm.baseUrl } : {}),
        })(id),
        name: `anthropic:${id}`,
        sandbox: false,
      };
    }
    case 'openai-compatible': {
      const id = llm.model ?? 'default';
      const provider = createOpenAICompatible({
        name: 'openai-compatible',
        baseURL: llm.baseUrl!,
        fetch: httpFetch,
        ...(llm.apiKey ? { apiKey: llm.apiKey } : {}),
      });
      return {
        model: provider.chatModel(id),
        name: `openai-compatible:${id}@${llm.baseUrl}`,
        sandbox: false,
      };
    }
    case 'sandbox': {
      const baseURL = options.sandboxBaseUrl ?? llm.baseUrl;
      if (!baseURL)
        throw new Error(
          'LLM_PROVIDER=sandbox needs the sandbox LLM emulator running (or LLM_BASE_URL pointing at it)',
        );
      const provider = createOpenAICompatible({
        name: 'sandbox',
        baseURL,
        apiKey: 'sandbox',
        fetch: httpFetch,
      });
      return {
        model: provider.chatModel(SANDBOX_MODEL_ID),
        name: 'sandbox model (scripted, not a real LLM)',
        sandbox: true,
        headersFor: standInHeaders,
      };
    }
  }
}
