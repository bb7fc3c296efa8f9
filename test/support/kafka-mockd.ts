import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'vitest';
import { repoRoot } from './cli.js';

/**
 * librdkafka's mock cluster through its C API (`kafka-mockd/mockd.c`), for faults the kcat-started
 * broker cannot make: a broker down and up again, injected protocol errors. Built on first use with
 * `cc` against Debian's librdkafka-dev, cached under node_modules/.cache.
 */
export interface Mockd {
  bootstrap: string;
  /** Sends one command (`down 1`, `up 1`, `errors 0 6 6`, `topic t 4`); rejects on ERR. */
  cmd(command: string): Promise<void>;
  stop(): Promise<void>;
}

const source = join(repoRoot, 'test/support/kafka-mockd/mockd.c');
const header = '/usr/include/librdkafka/rdkafka_mock.h';
const missing = 'librdkafka-dev or cc not installed: apt-get install librdkafka-dev gcc';

export function mockdAvailable(): boolean {
  if (!existsSync(header)) return false;
  try {
    execFileSync('cc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `describe` for suites that need mockd: skipped with one line locally, failing in CI (`CI=true`). */
export function describeMockd(name: string, fn: () => void): void {
  if (mockdAvailable()) return void describe(name, fn);
  if (process.env.CI === 'true') {
    return void describe(name, () => {
      it('needs kafka-mockd', () => {
        throw new Error(`${missing} (CI=true requires this suite)`);
      });
    });
  }
  describe.skip(`${name} (${missing})`, fn);
}

function build(): string {
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 12);
  const dir = join(repoRoot, 'node_modules/.cache/kafka-mockd');
  const bin = join(dir, `kafka-mockd-${hash}`);
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('cc', ['-O2', '-Wall', '-o', bin, source, '-lrdkafka'], { stdio: 'pipe' });
  }
  return bin;
}

export function startMockd(brokers = 1): Promise<Mockd> {
  const child = spawn(build(), [String(brokers)], { stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout! });
  const waiters: ((line: string) => void)[] = [];
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`kafka-mockd exited (${code})`)));
    lines.on('line', (line) => {
      const m = /^BOOTSTRAP (\S+)/.exec(line);
      if (m) {
        resolve({
          bootstrap: m[1]!,
          cmd: (command) =>
            new Promise((ok, fail) => {
              waiters.push((answer) =>
                answer === 'OK' ? ok() : fail(new Error(`mockd "${command}": ${answer}`)),
              );
              child.stdin!.write(`${command}\n`);
            }),
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.stdin!.end();
            }),
        });
        return;
      }
      waiters.shift()?.(line);
    });
  });
}
