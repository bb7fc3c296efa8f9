/** `dlq list|redrive`: dead letters, from the store or a running service. */
import type { Command } from 'commander';
import { withBus } from '../app/commands.js';
import type { DeadLetter } from '../bus/port.js';
import { api, config, stderrLogger } from './context.js';

export function registerDlq(program: Command): void {
  const dlq = program.command('dlq').description('dead letters: events that could not be handled');
  dlq
    .command('list')
    .option('--limit <n>', 'how many, newest first', '50')
    .option('--json', 'one JSON object per line')
    .option('--api <url>', 'ask a running service (needs ADMIN_TOKEN)')
    .action(async (opts: { limit: string; json?: boolean; api?: string }) => {
      type Letters = DeadLetter[];
      const letters: Letters = opts.api
        ? (
            (await api(opts.api, `/dead-letters?limit=${encodeURIComponent(opts.limit)}`)) as {
              deadLetters: Letters;
            }
          ).deadLetters
        : await withBus(config(), stderrLogger(undefined, 'warn'), (bus) =>
            bus.listDeadLetters({ limit: Number(opts.limit) }),
          );
      for (const l of letters) {
        if (opts.json) console.log(JSON.stringify(l));
        else
          console.log(
            `${l.id}  ${l.deadAt}  ${l.reason}  attempts=${l.attempts}  ${l.type ?? '-'}  event=${l.eventId ?? '-'}  ${l.error}`,
          );
      }
      if (!opts.json) console.log(`${letters.length} dead letter(s)`);
    });
  dlq
    .command('redrive')
    .description('put dead-lettered events back on their topic')
    .option('--id <id...>', 'dead letter ids (from dlq list)')
    .option('--all', 'every dead letter')
    .option('--api <url>', 'ask a running service (needs ADMIN_TOKEN)')
    .action(async (opts: { id?: string[]; all?: boolean; api?: string }) => {
      if (!opts.all && !opts.id?.length) {
        console.error('dlq redrive: give --id <id...> or --all');
        process.exit(2);
      }
      const query = opts.all
        ? 'all=true'
        : (opts.id ?? []).map((id) => `id=${encodeURIComponent(id)}`).join('&');
      const n = opts.api
        ? ((await api(opts.api, `/dead-letters/redrive?${query}`, 'POST')) as { redriven: number }).redriven
        : await withBus(config(), stderrLogger(undefined, 'warn'), (bus) =>
            bus.redrive(opts.all ? { all: true } : { ids: opts.id ?? [] }),
          );
      console.log(`${n} event(s) redriven`);
    });
}
