/**
 * `npm run demo` without --keep-running: what it prints for a service that stops at the end (no console
 * or curl commands, no log path that is deleted), and the lines that explain the answers and the modes.
 * With --keep-running the console, curl commands and log stay (test/console/demo-console.browser.test.ts uses them).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/app/demo.js';

async function demoLines(keepRunning: boolean): Promise<{ lines: string[]; stop(): Promise<void> }> {
  const lines: string[] = [];
  const demo = await runDemo({ keepRunning, mode: 'live', port: 0, out: (l) => lines.push(l) });
  return { lines, stop: () => demo.stop() };
}

/** The per-fixture answer lines: `  200 published     order-approved.visitor`. */
function answers(lines: string[]): string[] {
  return lines.flatMap((l) => /^ {2}\d{3} (\S+) +\S+$/.exec(l)?.[1] ?? []);
}

describe('the demo’s output', () => {
  it('without --keep-running: says the service stops and how to keep it, no dead commands or log path', async () => {
    const { lines } = await demoLines(false);
    const text = lines.join('\n');
    expect(text).not.toMatch(/curl |\/console|Where to look next|service\.log/);
    expect(text).toContain('(its log is deleted at exit, kept with --keep-running)');
    expect(lines.at(-2)).toBe(
      'The service stops now; `npm run demo -- --keep-running` keeps it up, with the console and the API.',
    );
    expect(text).toContain(
      '  modes: order-triage live, contact-intake approval (AGENT_MODE_OVERRIDES, so there are approvals to show)',
    );
    // The explanation counts what the answers above it say.
    const said = answers(lines);
    const dead = said.filter((a) => a === 'dead_lettered').length;
    const ignored = said.filter((a) => a === 'ignored').length;
    expect(dead).toBeGreaterThan(0);
    expect(ignored).toBeGreaterThan(0);
    expect(lines).toContain(
      `  ${dead} dead_lettered: signed but malformed on purpose, kept in the dead letters with the reason (Wix is answered 200); ${ignored} ignored: event types no handler routes.`,
    );
    // The sandbox model ran both built-ins, each from its own `sandbox` script: every run succeeded.
    const runs = lines.flatMap((l) => {
      const m = /^ {2}(\S+) \[(?:live|approval|dry-run)\] (\S+), \d+ model steps/.exec(l);
      return m ? [{ handler: m[1], status: m[2] }] : [];
    });
    expect(new Set(runs.map((r) => r.handler))).toEqual(new Set(['order-triage', 'contact-intake']));
    expect(runs.filter((r) => r.status !== 'succeeded')).toEqual([]);
  }, 180_000);

  it('with --keep-running: the console, the API commands and the log file, which exists', async () => {
    const { lines, stop } = await demoLines(true);
    try {
      const text = lines.join('\n');
      expect(text).toMatch(/console: http:\/\/\S+\/console \(admin token: \S+\)/);
      expect(text).toContain('Where to look next:');
      expect(text).toMatch(/approvals: curl -H 'Authorization: Bearer \S+' http:\/\/\S+\/api\/approvals/);
      const log = /\(log: (\S+service\.log)\)/.exec(text)?.[1];
      expect(log, text).toBeDefined();
      expect(existsSync(log!)).toBe(true);
      // The store line says what the store is: the SQLite file is there, in the directory it names.
      const dir = /store and bus: embedded SQLite in (\S+)$/m.exec(text)?.[1];
      expect(dir, text).toBeDefined();
      expect(existsSync(join(dir!, 'wix-event-agent.sqlite'))).toBe(true);
      expect(lines.at(-1)).toMatch(/^The service keeps running \(Ctrl-C to stop\)/);
    } finally {
      await stop();
    }
  }, 180_000);
});
