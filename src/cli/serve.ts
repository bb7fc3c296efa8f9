/** `serve`: the service (webhook ingress and/or workers), or `--sandbox` against the stand-ins. */
import { Option, type Command } from 'commander';
import { startSandbox } from '../app/on-demand.js';
import { createService, type Role } from '../app/service.js';
import { onShutdownSignal } from '../lib/shutdown.js';
import { config, dotenv, env, orConfigError } from './context.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the service (webhook ingress and/or workers)')
    .addOption(
      new Option('--role <role>', 'what this process does')
        .choices(['all', 'ingress', 'worker'])
        .default('all'),
    )
    .option('--handlers <module>', 'a module exporting your handlers (default HANDLERS_MODULE)')
    .option(
      '--sandbox',
      'run against the Wix emulator and the sandbox model, verifying with a local sandbox key pair in ./.wix-event-agent/ (never for production)',
    )
    .action(async (opts: { role: Role; handlers?: string; sandbox?: boolean }) => {
      // Commands import what only they use (Kafka, the emulators, the agents' clients) when they run, so
      // `serve` on the embedded defaults does not carry them (memory at rest).
      const sandbox = opts.sandbox ? await startSandbox() : undefined;
      const cfg = config(sandbox?.env);
      const service = await orConfigError(() =>
        createService(cfg, {
          role: opts.role,
          env,
          ...(opts.handlers ? { handlersModule: opts.handlers } : {}),
        }),
      );
      sandbox?.attach(service.events);
      if (dotenv)
        service.logger.info(
          { path: dotenv.path, applied: dotenv.applied },
          'read .env (the environment wins)',
        );
      if (sandbox)
        service.logger.warn(
          { wixEmulator: sandbox.wix.url },
          'SANDBOX: Wix emulator, sandbox model, test key',
        );
      onShutdownSignal(
        async () => {
          await service.stop();
          await sandbox?.close();
        },
        { timeoutMs: 20_000, log: (m) => service.logger.info(m) },
      );
      await service.start();
    });
}
