/**
 * A service process for crash tests: the real composition root (with the agents), or with HANDLED_FILE a
 * plain handler that appends each event id to that file, and (CRASH_AFTER_PUBLISH=1) a bus wrapper that SIGKILLs the process right after the
 * durable write, before the HTTP answer. Prints `READY <url>` when listening.
 */
import { appendFileSync } from 'node:fs';
import { loadConfig } from '../../src/config/load.js';
import type { Bus } from '../../src/bus/port.js';
import { createEmbeddedBus } from '../../src/bus/embedded.js';
import { createService, type Role } from '../../src/app/service.js';

const config = loadConfig(process.env);
const crash = process.env.CRASH_AFTER_PUBLISH === '1';
const handledFile = process.env.HANDLED_FILE;

const service = await createService(config, {
  role: (process.env.ROLE as Role | undefined) ?? 'all',
  pollIntervalMs: 20,
  ...(handledFile
    ? {
        handlers: [
          {
            name: 'record',
            on: 'order_created',
            handle: async (event) => appendFileSync(handledFile, `${event.id}\n`),
          },
        ],
      }
    : {}),
  ...(crash
    ? {
        bus: ({ store, topics }) => {
          const real = createEmbeddedBus({ store, topics });
          const crashing: Bus = {
            ...real,
            publish: async (event, options) => {
              const result = await real.publish(event, options);
              process.kill(process.pid, 'SIGKILL');
              return result;
            },
          };
          return crashing;
        },
      }
    : {}),
});
const { url } = await service.start();
process.stdout.write(`READY ${url}\n`);
process.on('SIGTERM', () => void service.stop().then(() => process.exit(0)));
