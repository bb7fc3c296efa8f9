import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Tests mirror src/ rooms (test/<room>/...), the kind as a suffix. One project per kind, so the fast
 * ring runs alone in seconds (`npm run test:fast`, or `npx vitest run --project fast`):
 * - fast: everything in process (real HTTP, the emulators, SQLite; Postgres and Redis where reachable)
 * - e2e (`*.e2e.test.ts`): the CLI and the service in child processes, crashes, the packed example
 * - kafka (`*.kafka.test.ts`): against librdkafka's mock cluster (kcat)
 * - browser (`*.browser.test.ts`): the console in Debian's Chromium
 */
const kinds = {
  e2e: 'test/**/*.e2e.test.ts',
  kafka: 'test/**/*.kafka.test.ts',
  browser: 'test/**/*.browser.test.ts',
};

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most files wait on child processes, brokers and HTTP rather than compute: on a 2-core machine
    // vitest's default (cores - 1 = one file at a time) leaves the CPU idle. Three files at a time cut
    // the suite from ~17 to ~7 minutes there; bigger machines keep their default.
    maxWorkers: Math.max(3, availableParallelism() - 1),
    projects: [
      {
        extends: true,
        test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: Object.values(kinds) },
      },
      ...Object.entries(kinds).map(([name, include]) => ({
        extends: true as const,
        test: { name, include: [include] },
      })),
    ],
  },
});
