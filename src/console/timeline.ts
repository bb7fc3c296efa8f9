import type { ToolCallRecord } from '../calls/audit.js';
import { asObject as obj, asString as str } from '../lib/json-shape.js';
import { describeToolCall } from '../wix/tools/describe-call.js';
import type { DescribeContext } from '../wix/tools/phrase.js';

/** One line of a run's timeline, in plain English, with the raw facts behind it. */
export interface TimelineEntry {
  seq: number;
  /** The sentence, e.g. "labelled the buyer's contact “vip” (executed, Wix request id r-1)". */
  text: string;
  /** A short tag for styling and filtering: ok, write, waiting, refused, failed, muted. */
  tone: 'ok' | 'write' | 'waiting' | 'refused' | 'failed' | 'muted';
  call: ToolCallRecord;
}

const by = (c: ToolCallRecord) => (c.decidedBy ? ` by ${c.decidedBy}` : '');

/** The context for describing calls made on an event (the bus event, as published). */
export function contextOfEvent(event: unknown): DescribeContext {
  const e = obj(event);
  const entity = obj(e.entity);
  if (e.type === 'order_created' || e.type === 'order_approved') {
    return {
      subjectContactId: str(obj(entity.buyerInfo).contactId),
      subjectName: "the buyer's contact",
      orderId: str(entity.id) ?? str(e.entityId),
    };
  }
  if (e.type === 'contact_created') {
    return { subjectContactId: str(entity.id) ?? str(e.entityId), subjectName: 'the new contact' };
  }
  return {};
}

/** The sentence for one call, from its tool's phrase (see `describeToolCall`) and its status. */
export function describeCall(
  call: ToolCallRecord,
  ctx: DescribeContext = {},
): Pick<TimelineEntry, 'text' | 'tone'> {
  const { did, todo } = describeToolCall(call.tool, call.arguments, ctx);
  const error = call.error ? `, ${call.error}` : '';
  const status: string = call.status;
  switch (status) {
    case 'executed': {
      if (call.access === 'read') return { text: did, tone: 'ok' };
      const id = call.wixRequestId ? `, Wix request id ${call.wixRequestId}` : '';
      const decided = call.decidedBy ? `, approved${by(call)}` : '';
      return { text: `${did} (executed${decided}${id})`, tone: 'write' };
    }
    case 'simulated':
      return { text: `would have ${did} (dry-run: nothing was sent to Wix)`, tone: 'muted' };
    case 'pending':
      return { text: `wants to ${todo}: awaiting approval`, tone: 'waiting' };
    case 'approved':
      return { text: `${todo}: approved${by(call)}, being sent to Wix`, tone: 'waiting' };
    case 'rejected':
      return { text: `wanted to ${todo}: rejected${by(call)}`, tone: 'refused' };
    case 'refused':
      return { text: `wanted to ${todo}: refused${error}`, tone: 'refused' };
    case 'failed':
      return { text: `tried to ${todo}: failed${error}`, tone: 'failed' };
    case 'deduplicated':
      return { text: `${todo}: already done earlier for this event, not sent again`, tone: 'muted' };
    case 'started':
      return { text: `sent to Wix: ${todo}; the answer is not recorded yet`, tone: 'waiting' };
    case 'outcome_unknown':
    case 'unknown':
      return {
        text: `sent to Wix: ${todo}; the outcome is unknown, parked for a person to check${error}`,
        tone: 'failed',
      };
    case 'done':
    case 'marked_done':
      return { text: `${did} (marked done${by(call)})`, tone: 'write' };
    default:
      return { text: `${todo}: ${status}${error}`, tone: 'muted' };
  }
}

/** A run's calls in order, each as a sentence. */
export function timeline(calls: readonly ToolCallRecord[], ctx: DescribeContext = {}): TimelineEntry[] {
  return [...calls]
    .sort((a, b) => a.seq - b.seq)
    .map((call) => ({ seq: call.seq, call, ...describeCall(call, ctx) }));
}
