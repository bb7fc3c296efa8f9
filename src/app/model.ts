/**
 * The model from the configuration: an AI SDK provider (OpenAI, Anthropic, any OpenAI-compatible
 * server), or the sandbox model, whose emulator starts in-process unless `LLM_BASE_URL` points at one.
 */
import type { ModelChoice } from '../agents/model.js';
import type { Config } from '../config/load.js';
import type { BoundHandler } from '../handlers/load.js';
import type { LlmEmulator } from '../sandbox/llm-emulator.js';

export interface ModelRuntime extends ModelChoice {
  /** The in-process sandbox LLM emulator, when the sandbox model runs without LLM_BASE_URL. */
  emulator?: LlmEmulator;
  close(): Promise<void>;
}

/**
 * The model from the config; the sandbox starts its emulator in-process unless LLM_BASE_URL points at
 * one, with the handlers' own `sandbox` scripts.
 */
export async function openModel(
  config: Pick<Config, 'llm'>,
  handlers: readonly Pick<BoundHandler, 'name' | 'sandbox'>[] = [],
): Promise<ModelRuntime> {
  // The AI SDK providers load only when a model is opened (not on an ingress or a worker without credentials).
  const { createModel } = await import('../agents/model.js');
  if (config.llm.provider === 'sandbox' && !config.llm.baseUrl) {
    const { scriptsOf, startLlmEmulator } = await import('../sandbox/llm-emulator.js');
    const emulator = await startLlmEmulator({ scripts: scriptsOf(handlers) });
    return {
      ...createModel(config.llm, { sandboxBaseUrl: emulator.url }),
      emulator,
      close: () => emulator.close(),
    };
  }
  return { ...createModel(config.llm), close: async () => {} };
}
