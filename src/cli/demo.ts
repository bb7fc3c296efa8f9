/** `demo`: the whole product on this machine, on the stand-ins. */
import { Option, type Command } from 'commander';
import { runDemo } from '../app/on-demand.js';
import { onShutdownSignal } from '../lib/shutdown.js';
import { config } from './context.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run everything on this machine (Wix emulator, sandbox model) and replay the fixtures')
    .option('--keep-running', 'keep the service up afterwards')
    .addOption(
      new Option('--mode <mode>', 'mode of order-triage')
        .choices(['live', 'dry-run', 'approval'])
        .default('live'),
    )
    .option('--port <port>', 'HTTP port (0 = any free port; default: $PORT, 3000)')
    .action(async (opts: { keepRunning?: boolean; mode: 'live' | 'dry-run' | 'approval'; port?: string }) => {
      // PORT and ADMIN_TOKEN as the service reads them (environment, ./.env, *_FILE).
      const cfg = config();
      const demo = await runDemo({
        keepRunning: Boolean(opts.keepRunning),
        mode: opts.mode,
        port: opts.port === undefined ? cfg.port : Number(opts.port),
        adminToken: cfg.adminToken,
      });
      if (opts.keepRunning)
        onShutdownSignal(() => demo.stop(), { timeoutMs: 10_000, log: (m) => console.log(m) });
    });
}
