import type { ToolCallRecord, ToolCallStatus } from '../calls/audit.js';

/** What a person can decide on a waiting write, with its button label. */
export const decisions = {
  approve: 'Approve',
  reject: 'Reject',
  /** Outcome unknown: a person found it applied in Wix. */
  done: 'Mark done',
  /** Outcome unknown: a person found it missing in Wix. */
  resend: 'Send again',
} as const;
export type Decision = keyof typeof decisions;

/**
 * Statuses that wait for a person, and the decisions each allows: `pending` (approval mode) and
 * `unknown` (a write whose outcome is unknown, parked by the write path).
 */
export const waitingStatuses: Record<string, readonly Decision[]> = {
  pending: ['approve', 'reject'],
  unknown: ['done', 'resend', 'reject'],
};

/** The statuses listed on the approvals page. */
export const waiting = Object.keys(waitingStatuses) as ToolCallStatus[];

type Decide = (id: string, by: string) => Promise<ToolCallRecord>;

/**
 * The function deciding `decision`, when the approvals service of this process offers it (approve and
 * reject always; done and resend with the outcome-unknown write path).
 */
export function decider(approvals: object | undefined, decision: string): Decide | undefined {
  if (!approvals || !Object.hasOwn(decisions, decision)) return undefined;
  const fn = (approvals as Partial<Record<Decision, Decide>>)[decision as Decision];
  return typeof fn === 'function' ? fn.bind(approvals) : undefined;
}
