import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

/**
 * A Kafka broker for tests: librdkafka's mock cluster, started by Debian's `kcat` (README "Tests").
 * In memory, random ports, topics auto-created with 4
 * partitions, no admin CreateTopics, no idempotent producer, first group join takes 3 s.
 */
export interface MockBroker {
  /** Comma-separated bootstrap list, e.g. `127.0.0.1:40749`. */
  bootstrap: string;
  brokers: string[];
  pid: number;
  /** SIGTERM, then SIGKILL after `graceMs` (default 5000). Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

/** The executable `command` on PATH, or undefined. */
export function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, command);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** True when `kcat` is installed (the mock broker can start). */
export function kafkaAvailable(): boolean {
  return onPath('kcat') !== undefined;
}

const install = 'kcat not installed: apt-get install kcat';

/**
 * `describe` for the suites that need the mock broker. Without kcat the suite is skipped with one line;
 * in CI (`CI=true`) a missing kcat fails instead, so a Kafka suite is never silently green there.
 */
export function describeKafka(name: string, fn: () => void): void {
  if (kafkaAvailable()) return void describe(name, fn);
  if (process.env.CI === 'true') {
    return void describe(name, () => {
      it('needs kcat for the Kafka mock broker', () => {
        throw new Error(`${install} (CI=true requires the Kafka suites to run)`);
      });
    });
  }
  describe.skip(`${name} (${install})`, fn);
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts a mock cluster of `brokers` brokers and resolves with its address. The process is spawned
 * under `setpriv --pdeathsig SIGKILL` (when available) so it dies with the test process.
 */
export function startMockBroker(options: { brokers?: number; timeoutMs?: number } = {}): Promise<MockBroker> {
  const kcat = onPath('kcat');
  if (!kcat) return Promise.reject(new Error(install));
  const args = [
    '-X',
    `test.mock.num.brokers=${options.brokers ?? 1}`,
    '-b',
    'unused:1',
    '-C',
    '-q',
    '-t',
    '__mock_keepalive',
  ];
  const setpriv = onPath('setpriv');
  const child = setpriv
    ? spawn(setpriv, ['--pdeathsig', 'SIGKILL', '--', kcat, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(kcat, args, { stdio: ['ignore', 'ignore', 'pipe'] });

  return new Promise((resolve, reject) => {
    let log = '';
    let ready = false;
    const fail = (message: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${message}\n${log}`));
    };
    const timer = setTimeout(
      () => fail('mock broker: no bootstrap address in time'),
      options.timeoutMs ?? 10_000,
    );
    child.once('error', (error) => fail(`mock broker did not start: ${error.message}`));
    child.once('exit', (code, signal) => fail(`mock broker exited (${code ?? signal}) before it was ready`));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      if (ready) return; // keep draining the pipe, nothing more to learn
      if (log.length < 64_000) log += chunk;
      const match = /replaced with (\S+)/.exec(log);
      if (!match?.[1] || child.pid === undefined) return;
      ready = true;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const bootstrap = match[1];
      let stopping: Promise<void> | undefined;
      resolve({
        bootstrap,
        brokers: bootstrap.split(','),
        pid: child.pid,
        stop(graceMs = 5000) {
          stopping ??= (async () => {
            if (child.exitCode !== null || child.signalCode !== null) return;
            child.kill('SIGTERM');
            if (!(await waitForExit(child, graceMs))) {
              child.kill('SIGKILL');
              await waitForExit(child, 2000);
            }
          })();
          return stopping;
        },
      });
    });
  });
}
