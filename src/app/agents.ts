/**
 * The worker side of the composition: the Wix client, the model, the call path and the handlers as
 * agents. The only place these are put together for a service.
 */
import { agentHandler } from '../agents/agent-handler.js';
import type { AgentDeps } from '../agents/loop.js';
import type { ModelChoice } from '../agents/model.js';
import type { Approvals } from '../calls/approvals.js';
import type { Audit } from '../calls/audit.js';
import type { Journal } from '../calls/journal.js';
import type { AgentMetrics } from '../calls/metrics.js';
import type { Config } from '../config/load.js';
import type { EventHandler } from '../consumers/event-handler.js';
import type { BoundHandler } from '../handlers/load.js';
import type { Logger } from '../observability/logger.js';
import type { Registry } from '../observability/metrics.js';
import type { Store } from '../store/port.js';
import { buildCalls } from './calls.js';
import { openModel, type ModelRuntime } from './model.js';
import { openWix, type WixConnection } from './wix.js';

export type { WixConnection } from './wix.js';
export type { ModelRuntime } from './model.js';

export interface AgentRuntime {
  handlers: EventHandler[];
  /** The handlers the agents run (checked, settings bound). */
  definitions: BoundHandler[];
  audit: Audit;
  /** The write journal this process owns (agent runs, approvals and MCP calls send through it). */
  journal: Journal;
  metrics: AgentMetrics;
  approvals: Approvals;
  model: ModelRuntime;
  wix: WixConnection;
  close(): Promise<void>;
}

/** What the agents are built from besides the configuration. */
export interface AgentParts {
  store: Store;
  /** The process's audit trail. */
  audit: Audit;
  registry: Registry;
  logger: Logger;
  definitions: BoundHandler[];
  /** A model to use instead of the configured one (the testing kit's scripted model). */
  model?: ModelChoice;
  /** Hears of each run's recorded end (the service's `run` event). */
  onRunFinished?: AgentDeps['onRunFinished'];
}

/**
 * Everything a worker needs to run the handlers as agents, or the reason it cannot (no Wix
 * credentials; the scripted sandbox model against the real Wix API in a mode that writes).
 */
export async function openAgents(
  config: Config,
  parts: AgentParts,
): Promise<AgentRuntime | { missing: string }> {
  const { definitions, logger } = parts;
  const refused = sandboxAgainstRealWix(config, parts);
  if (refused) return { missing: refused };
  const opened = await openWix(config, parts);
  if ('missing' in opened) return opened;
  const { wix } = opened;
  const model: ModelRuntime = parts.model
    ? { ...parts.model, close: async () => {} }
    : await openModel(config, definitions);
  const calls = buildCalls(config, {
    ...parts,
    client: wix.client,
    handlers: definitions,
    sweepOrphans: true,
  });
  warnLooserModes(config, definitions, logger);
  const handlers = definitions.map((definition) =>
    agentHandler(definition, {
      model: model.model,
      modelName: model.name,
      ...(model.headersFor ? { headersFor: model.headersFor } : {}),
      audit: calls.audit,
      journal: calls.journal,
      client: wix.client,
      metrics: calls.metrics,
      // The consumer marks each event processed in a synced commit before acknowledging it.
      runRecords: { asyncCommit: true },
      ...(parts.onRunFinished ? { onRunFinished: parts.onRunFinished } : {}),
    }),
  );
  return {
    handlers,
    definitions,
    audit: calls.audit,
    journal: calls.journal,
    metrics: calls.metrics,
    approvals: calls.approvals,
    model,
    wix,
    async close() {
      calls.close();
      await model.close();
      await wix.close();
    },
  };
}

/** The scripted sandbox model must never write to a real site: against real Wix it may only dry-run. */
function sandboxAgainstRealWix(config: Config, parts: Pick<AgentParts, 'model' | 'definitions'>) {
  const realWix = new URL(config.wix.apiBaseUrl).hostname.endsWith('wixapis.com');
  if (
    parts.model ||
    config.llm.provider !== 'sandbox' ||
    !realWix ||
    parts.definitions.every((d) => d.mode === 'dry-run')
  ) {
    return undefined;
  }
  return (
    'LLM_PROVIDER is sandbox (a scripted stand-in, not an LLM) and WIX_API_BASE_URL is the real Wix API: ' +
    'set LLM_PROVIDER to a real model, or AGENT_MODE=dry-run to try the pipeline without writing to your site'
  );
}

function warnLooserModes(config: Config, definitions: readonly BoundHandler[], logger: Logger) {
  for (const d of definitions) {
    if (!d.looserAsked) continue;
    logger.warn(
      { handler: d.name, asked: d.looserAsked, mode: d.mode, agentMode: config.agentMode },
      'handler mode is looser than AGENT_MODE, which is a ceiling: it runs stricter',
    );
  }
}
