import type { RunRecord, ToolCallRecord } from '../calls/audit.js';
import { asObject as obj } from '../lib/json-shape.js';

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** One line describing what a write asked for, e.g. `label_contact first-order`. */
export function describeCall(call: ToolCallRecord): string {
  const a = obj(call.arguments);
  switch (call.tool) {
    case 'label_contact':
      return `label contact ${(Array.isArray(a.labels) ? a.labels : []).join(', ')}`;
    case 'create_task':
      return `task "${clip(String(a.title ?? ''), 70)}"`;
    case 'add_order_note':
      return `order note "${clip(String(a.note ?? ''), 70)}"`;
    case 'send_inbox_message':
      return `inbox message (${String(a.visibility ?? 'staff')}) "${clip(String(a.text ?? ''), 50)}"`;
    default:
      return call.tool;
  }
}

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
    lines.push(`    ${mark[w.status] ?? w.status}: ${describeCall(w)}${why}${id}`);
  }
  if (run.error && run.status !== 'succeeded') lines.push(`    note: ${clip(run.error, 120)}`);
  return lines;
}
