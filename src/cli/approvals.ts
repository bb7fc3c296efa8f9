/** `approvals list|approve|reject|done|resend`: writes waiting for a person. */
import type { Command } from 'commander';
import { withAudit, withCalls } from '../app/commands.js';
import type { ToolCallRecord } from '../calls/audit.js';
import { StartupError } from '../lib/startup-error.js';
import { describeToolCall } from '../wix/tools/describe-call.js';
import { api, config, loadedHandlers, osUser, stderrLogger } from './context.js';

const printCall = (c: ToolCallRecord) =>
  console.log(
    `${c.id}  ${c.createdAt}  ${c.status.padEnd(9)} ${c.handler}  ${describeToolCall(c.tool, c.arguments).todo}  event=${c.eventId}` +
      (c.status === 'unknown' ? `\n    ${c.error ?? 'outcome unknown'}` : ''),
  );

export function registerApprovals(program: Command): void {
  const approvals = program
    .command('approvals')
    .description(
      'writes waiting for a person: pending approval, or outcome unknown (check Wix, then done or resend)',
    );
  approvals
    .command('list')
    .option('--api <url>', 'ask a running service (needs ADMIN_TOKEN)')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { api?: string; json?: boolean }) => {
      const list = opts.api
        ? ((await api(opts.api, '/approvals')) as { approvals: ToolCallRecord[] }).approvals
        : await withAudit(config(), (audit) => audit.listCalls({ status: ['pending', 'unknown'] }));
      if (opts.json) {
        for (const c of list) console.log(JSON.stringify(c));
        return;
      }
      list.forEach(printCall);
      console.log(`${list.length} waiting for a person (pending approval or outcome unknown)`);
    });
  const actionHelp = {
    approve: 'send a pending write to Wix',
    reject: 'never send a pending or outcome-unknown write (again)',
    done: 'an outcome-unknown write IS in Wix: record it as executed',
    resend: 'an outcome-unknown write is NOT in Wix: send it again',
  } as const;
  for (const action of ['approve', 'reject', 'done', 'resend'] as const) {
    approvals
      .command(action)
      .description(actionHelp[action])
      .argument('<id>', 'tool call id (from approvals list)')
      .option('--api <url>', 'decide on a running service (needs ADMIN_TOKEN)')
      .option('--by <name>', 'who decides (recorded)', osUser())
      .action(async (id: string, opts: { api?: string; by: string }) => {
        if (opts.api) {
          printCall(
            (await api(opts.api, `/approvals/${encodeURIComponent(id)}/${action}`, 'POST')) as ToolCallRecord,
          );
          return;
        }
        const cfg = config();
        const logger = stderrLogger(cfg);
        const handlers = await loadedHandlers(cfg);
        try {
          const decided = await withCalls(cfg, { logger, handlers }, (calls) =>
            calls.approvals[action](id, opts.by),
          );
          if ('missing' in decided) {
            console.error(`approvals ${action}: ${decided.missing}`);
            process.exit(2);
          }
          printCall(decided);
          if (decided.status === 'failed' || decided.status === 'unknown') process.exitCode = 1;
        } catch (error) {
          if (error instanceof StartupError) throw error;
          console.error((error as Error).message);
          process.exitCode = 1;
        }
      });
  }
}
