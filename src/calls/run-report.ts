/** An agent run as a few lines of plain text, for a terminal (the demo prints them). */
import { describeToolCall } from '../wix/tools/describe-call.js';
import type { RunRecord, ToolCallRecord } from './audit.js';

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const mark: Record<string, string> = {
  executed: 'done',
  simulated: 'simulated (dry-run)',
  pending: 'AWAITING APPROVAL',
  refused: 'refused',
  failed: 'failed',
  deduplicated: 'already done',
  rejected: 'rejected',
};

/** The lines the demo prints for one agent run. */
export function describeRun(run: RunRecord & { calls: ToolCallRecord[] }): string[] {
  const reads = [
    ...new Set(run.calls.filter((c) => c.access === 'read' && c.status === 'executed').map((c) => c.tool)),
  ];
  const writes = run.calls.filter((c) => c.access === 'write' || c.access === 'unknown');
  const lines = [
    `  ${run.handler} [${run.mode}] ${run.status}, ${run.steps} model steps, ${run.durationMs ?? '?'} ms`,
  ];
  lines.push(`    looked up: ${reads.length ? reads.join(', ') : 'nothing'}`);
  for (const w of writes) {
    const id = w.status === 'pending' ? `  (approval id ${w.id})` : '';
    const why = w.status === 'refused' && w.error ? ` — ${clip(w.error, 80)}` : '';
    lines.push(`    ${mark[w.status] ?? w.status}: ${describeToolCall(w.tool, w.arguments).todo}${why}${id}`);
  }
  if (run.error && run.status !== 'succeeded') lines.push(`    note: ${clip(run.error, 120)}`);
  return lines;
}
