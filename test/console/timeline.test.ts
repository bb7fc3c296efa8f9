import { describe, expect, it } from 'vitest';
import type { ToolCallRecord } from '../../src/calls/audit.js';
import { contextOfEvent, describeCall, timeline } from '../../src/console/timeline.js';

const call = (over: Partial<ToolCallRecord>): ToolCallRecord => ({
  id: 'c1',
  runId: 'r1',
  seq: 1,
  eventId: 'e1',
  handler: 'order-triage',
  instanceId: 'site',
  tool: 'get_contact',
  access: 'read',
  arguments: {},
  result: null,
  status: 'executed',
  idempotencyKey: null,
  wixRequestId: null,
  durationMs: 5,
  error: null,
  decidedBy: null,
  decidedAt: null,
  createdAt: new Date(0).toISOString(),
  ...over,
});

const order = contextOfEvent({
  type: 'order_created',
  entityId: 'o-1',
  entity: { id: 'o-1', buyerInfo: { contactId: 'buyer' } },
});

describe('plain-English timeline', () => {
  it('names the event’s own contact and order the way a person would', () => {
    expect(describeCall(call({ arguments: { contactId: 'buyer' } }), order).text).toBe(
      "looked up the buyer's contact",
    );
    expect(
      describeCall(
        call({
          tool: 'label_contact',
          access: 'write',
          arguments: { contactId: 'buyer', labels: ['repeat-customer'] },
          wixRequestId: 'req-9',
        }),
        order,
      ).text,
    ).toBe("labelled the buyer's contact “repeat-customer” (executed, Wix request id req-9)");
    expect(
      describeCall(
        call({
          tool: 'send_inbox_message',
          access: 'write',
          arguments: { contactId: 'someone-else', text: 'hi', visibility: 'customer' },
          status: 'refused',
          error: "outside the handler's purpose",
        }),
        order,
      ).text,
    ).toBe(
      "wanted to send a message to a stranger, contact someone-else: “hi”: refused, outside the handler's purpose",
    );
  });

  it('says what each status means', () => {
    const write = {
      tool: 'add_order_note',
      access: 'write' as const,
      arguments: { orderId: 'o-1', note: 'n' },
    };
    const text = (status: string, extra: Partial<ToolCallRecord> = {}) =>
      describeCall(call({ ...write, status: status as ToolCallRecord['status'], ...extra }), order).text;
    expect(text('pending')).toBe('wants to add an internal note to this order: “n”: awaiting approval');
    expect(text('simulated')).toMatch(/^would have added .* \(dry-run: nothing was sent to Wix\)$/);
    expect(text('rejected', { decidedBy: 'ana' })).toMatch(/^wanted to add .*: rejected by ana$/);
    expect(text('failed', { error: 'Wix 500' })).toMatch(/^tried to add .*: failed, Wix 500$/);
    expect(text('deduplicated')).toMatch(/already done earlier/);
    expect(text('started')).toMatch(/not recorded yet/);
  });

  it('describes tools it does not know by name, and orders calls by seq', () => {
    expect(describeCall(call({ tool: 'refund_order', arguments: { orderId: 'x' } })).text).toBe(
      'called the tool refund_order {"orderId":"x"}',
    );
    const t = timeline([call({ seq: 2, id: 'b' }), call({ seq: 1, id: 'a' })]);
    expect(t.map((e) => e.call.id)).toEqual(['a', 'b']);
  });
});
