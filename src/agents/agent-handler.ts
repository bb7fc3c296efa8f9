import type { EventHandler } from '../consumers/event-handler.js';
import type { BoundHandler } from '../handlers/load.js';
import { runAgent, type AgentDeps } from './loop.js';

/** Turns a handler definition into a consumer EventHandler that runs its agent on each event. */
export function agentHandler(definition: BoundHandler, deps: AgentDeps): EventHandler {
  return {
    name: definition.name,
    on: definition.on,
    async handle(event, ctx) {
      const outcome = await runAgent(deps, definition, event, ctx);
      ctx.logger.info(
        {
          runId: outcome.runId,
          status: outcome.status,
          steps: outcome.steps,
          toolCalls: outcome.toolCalls,
          model: deps.modelName,
          mode: definition.mode,
        },
        `agent ${outcome.status}`,
      );
    },
  };
}
