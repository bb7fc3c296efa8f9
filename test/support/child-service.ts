import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from './cli.js';
import { onPath } from './kafka-broker.js';

export interface ChildService {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/**
 * Starts test/support/service-process.ts in its own process and waits for `READY <url>`. `timeoutMs` only
 * bounds a start that hangs: on a 2-core machine busy with the rest of the suite a start (PGlite's initdb,
 * when that was the embedded store) took over 30 s once.
 */
export function startChildService(env: Record<string, string>, timeoutMs = 90_000): Promise<ChildService> {
  // Under setpriv --pdeathsig the child dies with the test process, so a test that times out leaves no orphan.
  const command = [process.execPath, '--import', 'tsx', 'test/support/service-process.ts'];
  const [file, ...args] = onPath('setpriv')
    ? ['setpriv', '--pdeathsig', 'SIGKILL', '--', ...command]
    : command;
  const child = spawn(file!, args, {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child service did not start: ${stderr}`));
    }, timeoutMs);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        child,
        url: m[1]!,
        exited,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`child service exited early (${code ?? signal}): ${stderr}`));
    });
  });
}
