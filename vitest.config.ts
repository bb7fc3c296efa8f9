import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most files wait on child processes, brokers and HTTP rather than compute: on a 2-core machine
    // vitest's default (cores - 1 = one file at a time) leaves the CPU idle. Three files at a time cut
    // the suite from ~17 to ~7 minutes there; bigger machines keep their default.
    maxWorkers: Math.max(3, availableParallelism() - 1),
  },
});
