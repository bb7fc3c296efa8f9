/** `runs list|show`: what each handler did with each event. */
import type { Command } from 'commander';
import { withAudit } from '../app/commands.js';
import type { Audit } from '../calls/audit.js';
import { api, config } from './context.js';

export function registerRuns(program: Command): void {
  const runs = program.command('runs').description('agent runs: what each handler did with each event');
  runs
    .command('list')
    .option('--limit <n>', 'how many, newest first', '20')
    .option('--event <id>', 'only runs of this event')
    .option('--api <url>', 'ask a running service (needs ADMIN_TOKEN)')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { limit: string; event?: string; api?: string; json?: boolean }) => {
      const list = opts.api
        ? (
            (await api(
              opts.api,
              `/runs?limit=${opts.limit}${opts.event ? `&eventId=${encodeURIComponent(opts.event)}` : ''}`,
            )) as {
              runs: Awaited<ReturnType<Audit['listRuns']>>;
            }
          ).runs
        : await withAudit(config(), (audit) =>
            audit.listRuns({ limit: Number(opts.limit), ...(opts.event ? { eventId: opts.event } : {}) }),
          );
      if (opts.json) {
        for (const r of list) console.log(JSON.stringify(r));
        return;
      }
      for (const r of list) {
        console.log(
          `${r.id}  ${r.startedAt}  ${r.handler.padEnd(15)} ${r.mode.padEnd(8)} ${r.status.padEnd(9)} steps=${r.steps} calls=${r.toolCalls}  event=${r.eventId}`,
        );
      }
      console.log(`${list.length} run(s)`);
    });
  runs
    .command('show')
    .argument('<id>', 'run id')
    .option('--api <url>', 'ask a running service (needs ADMIN_TOKEN)')
    .action(async (id: string, opts: { api?: string }) => {
      const run = opts.api
        ? await api(opts.api, `/runs/${encodeURIComponent(id)}`)
        : await withAudit(config(), (audit) => audit.getRun(id));
      if (!run) {
        console.error(`no run ${id}`);
        process.exit(1);
      }
      console.log(JSON.stringify(run, null, 2));
    });
}
