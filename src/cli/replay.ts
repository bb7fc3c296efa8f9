/** `trigger` (a fresh event, signed as Wix signs) and `replay` (fixture webhooks) against a webhook endpoint. */
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { sandboxKeyFiles } from '../app/on-demand.js';
import { loadFixtures, withFreshEventId } from '../sandbox/fixtures.js';
import { replayFixtures } from '../sandbox/replay.js';
import { triggerEvent } from '../sandbox/trigger.js';
import { hs256Key, rs256Key, type SigningKey } from '../webhooks/sign.js';
import { config } from './context.js';

/** `trigger` and `replay`. */
export function registerReplay(program: Command): void {
  registerTrigger(program);
  registerReplayFixtures(program);
}

function registerTrigger(program: Command): void {
  program
    .command('trigger')
    .description('post a fresh event (new ids every time), signed as Wix signs, to a webhook endpoint')
    .argument(
      '<event>',
      'order_created, order_approved, contact_created, or a Wix event type (wix.contacts.v4.contact_updated)',
    )
    .option(
      '--set <path=value...>',
      'override a field of the entity (JSON values parsed), e.g. --set buyerNote="Gift wrap"',
    )
    .option('--instance-id <id>', 'the site (app instance id); default a fresh one')
    .option('--url <url>', 'webhook endpoint (default: http://127.0.0.1:$PORT/webhooks/wix)')
    .option('--private-key <file>', 'RSA private key (PEM): sign RS256, as Wix does')
    .option('--sandbox', 'sign with the sandbox key in ./.wix-event-agent/ (run where serve --sandbox runs)')
    .action(
      async (
        name: string,
        opts: { set?: string[]; instanceId?: string; url?: string; privateKey?: string; sandbox?: boolean },
      ) => {
        const keyFile = opts.privateKey ?? (opts.sandbox ? (await sandboxKeyFiles()).privateKey : undefined);
        // The HS256 secret comes through the configuration (./.env, *_FILE), like the service's own.
        const secret = keyFile ? undefined : config().webhook.hs256Secret;
        if (!keyFile && !secret) {
          console.error(
            'trigger: give --private-key <file> (RS256), --sandbox, or set WIX_WEBHOOK_HS256_SECRET (HS256)',
          );
          process.exit(2);
        }
        let event;
        try {
          event = triggerEvent(name, opts.set ?? [], opts.instanceId ? { instanceId: opts.instanceId } : {});
        } catch (error) {
          console.error((error as Error).message);
          process.exit(2);
        }
        const key: SigningKey = keyFile ? rs256Key(readFileSync(keyFile, 'utf8')) : hs256Key(secret!);
        const [result] = await replayFixtures([{ file: name, name, webhook: event.webhook }], {
          url: opts.url ?? `http://127.0.0.1:${config().port}/webhooks/wix`,
          key,
        });
        const answer = result!.error ?? JSON.stringify(result!.body);
        console.log(
          `${result!.status || 'ERR'} ${event.eventType} event=${event.eventId} instance=${event.instanceId} ${answer}`,
        );
        process.exitCode = result!.status === 200 ? 0 : 1;
      },
    );
}

function registerReplayFixtures(program: Command): void {
  program
    .command('replay')
    .description('sign fixture webhooks exactly as Wix does and POST them to a callback URL')
    .argument('<paths...>', 'fixture files or directories (*.json)')
    .requiredOption('--url <url>', 'the webhook endpoint, e.g. http://127.0.0.1:3000/webhooks/wix')
    .option('--private-key <file>', 'RSA private key (PEM) for RS256, as Wix signs')
    .option(
      '--secret <secret>',
      'HS256 secret (the WIX_WEBHOOK_HS256_SECRET of the receiving service; real Wix signs RS256)',
    )
    .option(
      '--fresh-ids',
      'give each event a new event id, so a replay is handled again instead of answered duplicate',
    )
    .action(
      async (
        paths: string[],
        opts: { url: string; privateKey?: string; secret?: string; freshIds?: boolean },
      ) => {
        if (Boolean(opts.privateKey) === Boolean(opts.secret)) {
          console.error('replay: give exactly one of --private-key <file> or --secret <secret>');
          process.exit(2);
        }
        const key: SigningKey = opts.privateKey
          ? rs256Key(readFileSync(opts.privateKey, 'utf8'))
          : hs256Key(opts.secret!);
        const missing = paths.filter((p) => !existsSync(p));
        if (missing.length > 0) {
          console.error(
            `replay: no such file or directory: ${missing.join(', ')} (give fixture files or directories, e.g. fixtures/wix)`,
          );
          process.exit(2);
        }
        const fixtures = loadFixtures(paths).map((f) => (opts.freshIds ? withFreshEventId(f) : f));
        const width = String(fixtures.length).length;
        const results = await replayFixtures(fixtures, {
          url: opts.url,
          key,
          onResult: (r, i, total) => {
            const answer =
              r.error ??
              (r.body && typeof r.body === 'object' ? JSON.stringify(r.body) : String(r.body ?? ''));
            const progress = total > 1 ? `[${String(i + 1).padStart(width)}/${total}] ` : '';
            console.log(`${progress}${r.status || 'ERR'} ${r.fixture.name} ${Math.round(r.ms)}ms ${answer}`);
          },
        });
        const failed = results.filter((r) => r.status !== 200);
        console.log(`${results.length - failed.length}/${results.length} delivered with 200`);
        process.exitCode = failed.length > 0 ? 1 : 0;
      },
    );
}
