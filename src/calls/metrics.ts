import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Agent metrics. `pendingApprovals` reads its value from the store on each scrape. */
export function createAgentMetrics(registry: Registry, pendingApprovals?: () => Promise<number>) {
  const metrics = {
    runs: new Counter({
      name: 'wix_agent_runs_total',
      help: 'Agent runs by handler and outcome (the run statuses in src/calls/README.md)',
      labelNames: ['handler', 'outcome'],
      registers: [registry],
    }),
    steps: new Histogram({
      name: 'wix_agent_steps',
      help: 'Model steps per agent run',
      labelNames: ['handler'],
      buckets: [1, 2, 3, 4, 5, 6, 8, 10, 15, 20],
      registers: [registry],
    }),
    tokens: new Counter({
      name: 'wix_agent_tokens_total',
      help: 'Model tokens used, by handler and kind (input, output)',
      labelNames: ['handler', 'kind'],
      registers: [registry],
    }),
    toolCalls: new Counter({
      name: 'wix_agent_tool_calls_total',
      help: 'Tool calls by tool and status (executed, simulated, pending, unknown, refused, failed, deduplicated)',
      labelNames: ['tool', 'status'],
      registers: [registry],
    }),
    writeSettlements: new Counter({
      name: 'wix_write_settlements_total',
      help: 'Writes whose outcome was unknown, by how they were settled (reconciled, repeated, parked)',
      labelNames: ['tool', 'how'],
      registers: [registry],
    }),
    orphanCompletions: new Counter({
      name: 'wix_write_orphan_completions_total',
      help: 'Write outcomes that matched no journal row this process owns (another process settled it first)',
      labelNames: ['tool'],
      registers: [registry],
    }),
    runDeadlines: new Counter({
      name: 'wix_agent_run_deadline_exceeded_total',
      help: 'Agent runs stopped at their deadline (retried later)',
      labelNames: ['handler'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'wix_agent_run_duration_seconds',
      help: 'Agent run duration by handler',
      labelNames: ['handler'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
  };
  if (pendingApprovals) {
    new Gauge({
      name: 'wix_approvals_pending',
      help: 'Writes awaiting a person: pending approval or outcome unknown',
      registers: [registry],
      async collect() {
        this.set(await pendingApprovals().catch(() => 0));
      },
    });
  }
  return metrics;
}
export type AgentMetrics = ReturnType<typeof createAgentMetrics>;
