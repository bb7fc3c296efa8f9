/**
 * Shared helpers of the benchmarks: options (flag, then BENCH_* env, then default), statistics, tables,
 * CPU pinning with taskset, child processes that print `READY <url>`, and temp dirs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { onPath } from '../../test/support/kafka-broker.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const benchDir = join(repoRoot, 'bench');

export { onPath };

/**
 * Options of one benchmark: `--name value` on the command line, else `BENCH_NAME` in the environment
 * (dashes become underscores), else the default. Unknown flags are reported, not fatal (run.ts passes
 * the same flags to every benchmark).
 */
export function options<K extends string>(defaults: Record<K, string>): Record<K, string> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: Object.fromEntries(Object.keys(defaults).map((k) => [k, { type: 'string' as const }])),
    strict: false,
    allowPositionals: true,
  });
  const out = {} as Record<K, string>;
  for (const key of Object.keys(defaults) as K[]) {
    const flag = values[key];
    const env = process.env[`BENCH_${key.toUpperCase().replace(/-/g, '_')}`];
    out[key] = typeof flag === 'string' ? flag : env !== undefined && env !== '' ? env : defaults[key];
  }
  return out;
}

export const num = (value: string, name: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name}: not a number: ${value}`);
  return n;
};

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}
export function spread(values: readonly number[], digits = 2): Spread {
  return {
    median: round(median(values), digits),
    min: round(Math.min(...values), digits),
    max: round(Math.max(...values), digits),
  };
}
export const showSpread = (s: Spread) => `${s.median} (${s.min}–${s.max})`;

export const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** Prints rows as an aligned table (first column left-aligned, the rest right-aligned unless `left`). */
export function table(header: string[], rows: (string | number)[][], o: { left?: boolean } = {}): string {
  const all = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 || o.left ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...all.slice(1).map(line)].join('\n');
}

/** What machine and pinning a result came from. */
export function machine() {
  const taskset = onPath('taskset');
  const cores = cpus().length;
  return {
    node: process.version,
    cores,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAvg1mAtStart: round(loadavg()[0] ?? 0),
    taskset: taskset !== undefined,
    pinning:
      taskset && cores >= 2
        ? 'taskset: server -c 0, load generator / emulators -c 1'
        : taskset
          ? 'taskset present but only 1 core: no pinning'
          : 'taskset not found: no pinning',
  };
}

const tasksetPath = onPath('taskset');
const setprivPath = onPath('setpriv');
const coreCount = cpus().length;

/** True when a process can be pinned to `cpu`. */
export const canPin = (cpu: number | undefined): cpu is number =>
  cpu !== undefined && tasksetPath !== undefined && coreCount >= 2 && cpu < coreCount;

/** Pins a running process and all its threads to one core (best effort). */
export function pinPid(pid: number, cpu: number): boolean {
  if (!canPin(cpu)) return false;
  return spawnSync(tasksetPath!, ['-a', '-pc', String(cpu), String(pid)], { stdio: 'ignore' }).status === 0;
}

export interface NodeChild {
  child: ChildProcess;
  pid: number;
  /** Whatever followed `READY ` on stdout (a URL for servers). */
  ready: string;
  stderr(): string;
  /** SIGTERM, wait (a --cpu-prof child writes its profile on a clean exit), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
  exited: Promise<number | null>;
}

/**
 * Runs `node --import tsx <script>` (or plain `node <script>`) pinned to `cpu` (taskset) and dying with
 * this process (setpriv --pdeathsig), and resolves once it printed `READY <something>` on stdout. Both wrappers exec, so the
 * pid is node's.
 */
export function startNode(
  script: string,
  o: {
    args?: string[];
    env?: Record<string, string>;
    cpu?: number;
    nodeFlags?: string[];
    timeoutMs?: number;
    onStdout?: (line: string) => void;
    /** Run plain JavaScript (a build), without the tsx loader. */
    plain?: boolean;
    /** What on a stdout line says the child is ready (returns what `ready` holds). Default `READY <x>`. */
    readyFrom?: (line: string) => string | undefined;
  } = {},
): Promise<NodeChild> {
  const nodeArgs = [
    ...(o.nodeFlags ?? []),
    ...(o.plain ? [] : ['--import', 'tsx']),
    script,
    ...(o.args ?? []),
  ];
  const readyFrom = o.readyFrom ?? ((line: string) => /^READY (.*)$/.exec(line)?.[1]);
  let command = process.execPath;
  let args = nodeArgs;
  if (canPin(o.cpu)) {
    args = ['-c', String(o.cpu), command, ...args];
    command = tasksetPath!;
  }
  if (setprivPath) {
    args = ['--pdeathsig', 'SIGKILL', '--', command, ...args];
    command = setprivPath;
  }
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    if (err.length < 200_000) err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not get ready in time:\n${err.slice(-4000)}`));
    }, o.timeoutMs ?? 60_000);
    let buf = '';
    let ready = false;
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = ready ? undefined : readyFrom(line);
        if (m !== undefined) {
          ready = true;
          clearTimeout(timer);
          resolve({
            child,
            pid: child.pid!,
            ready: m.trim(),
            stderr: () => err,
            exited,
            async stop(graceMs = 15_000) {
              if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
              child.kill('SIGTERM');
              const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
              const code = await exited;
              clearTimeout(t);
              return code;
            },
          });
        } else o.onStdout?.(line);
      }
    });
    void exited.then((code) => {
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before it was ready:\n${err.slice(-4000)}`));
    });
  });
}

/**
 * Runs `node --import tsx <script>` to completion (pinned to `cpu` when possible) and returns the JSON
 * object on its last stdout line. Its other output is passed through when `echo` is set.
 */
export async function runNodeJson<T>(
  script: string,
  o: { args?: string[]; env?: Record<string, string>; cpu?: number; echo?: boolean; timeoutMs?: number } = {},
): Promise<T> {
  let command = process.execPath;
  let args = ['--import', 'tsx', script, ...(o.args ?? [])];
  if (canPin(o.cpu)) {
    args = ['-c', String(o.cpu), command, ...args];
    command = tasksetPath!;
  }
  if (setprivPath) {
    args = ['--pdeathsig', 'SIGKILL', '--', command, ...args];
    command = setprivPath;
  }
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    out += d;
    if (o.echo) process.stdout.write(d);
  });
  child.stderr!.on('data', (d: string) => {
    if (err.length < 100_000) err += d;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 600_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  const last = out.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(
      `${script} exited ${code} without a JSON last line:\n${out.slice(-2000)}\n${err.slice(-4000)}`,
    );
  }
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `wea-bench-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const testKeyPaths = {
  privatePem: join(repoRoot, 'fixtures/keys/test-private.pem'),
  publicPem: join(repoRoot, 'fixtures/keys/test-public.pem'),
};
export const readPublicPem = () => readFileSync(testKeyPaths.publicPem, 'utf8');

/** Prints the last-line JSON object (the convention of every benchmark here). */
export function printJson(result: unknown) {
  console.log(JSON.stringify(result));
}
