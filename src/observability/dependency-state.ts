import { Gauge, type Registry } from 'prom-client';
import { describeError } from '../errors.js';
import { errorCodes } from '../lib/error-codes.js';
import type { Logger } from './logger.js';

/** Whether a dependency (store, bus, redis) answered its last check. */
export type DependencyStatus = 'unknown' | 'up' | 'down';

/**
 * Tracks one dependency's reachability and logs only its changes: the first failure (error level,
 * with a described error — message and code, never the library's error object, which may carry
 * credentials), and the recovery (info). Reconnect attempts in between are silent. Exposes
 * `wix_dependency_up{dependency}` (1 up, 0 down) when a registry is given.
 */
export function createDependencyState(
  name: string,
  deps: { logger: Logger; registry?: Registry; variable?: string },
) {
  let status: DependencyStatus = 'unknown';
  const gauge = deps.registry ? dependencyGauge(deps.registry) : undefined;
  return {
    get status(): DependencyStatus {
      return status;
    },
    up(): void {
      if (status === 'down') deps.logger.info({ dependency: name }, `${name} is reachable again`);
      status = 'up';
      gauge?.set({ dependency: name }, 1);
    },
    down(error: unknown): void {
      if (status !== 'down') {
        deps.logger.error(
          {
            dependency: name,
            ...(deps.variable ? { variable: deps.variable } : {}),
            error: describeError(error),
            codes: [...errorCodes(error)].slice(0, 5),
          },
          `${name} is unreachable`,
        );
      }
      status = 'down';
      gauge?.set({ dependency: name }, 0);
    },
    /** Runs `probe`, recording its outcome; rethrows its failure. */
    async check<T>(probe: () => Promise<T>): Promise<T> {
      try {
        const result = await probe();
        this.up();
        return result;
      } catch (error) {
        this.down(error);
        throw error;
      }
    },
  };
}
export type DependencyState = ReturnType<typeof createDependencyState>;

function dependencyGauge(registry: Registry): Gauge<'dependency'> {
  const existing = registry.getSingleMetric('wix_dependency_up');
  if (existing) return existing as Gauge<'dependency'>;
  return new Gauge({
    name: 'wix_dependency_up',
    help: 'Whether a dependency answered its last check (1) or not (0), by dependency',
    labelNames: ['dependency'],
    registers: [registry],
  });
}
