// The same kit under node:test (no test framework needed).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createHarness, orderApproved } from 'wix-event-agent/testing';
import { thankBigOrders } from './handlers.js';

/** @type {import('wix-event-agent/testing').Harness} */
let harness;
before(async () => {
  harness = await createHarness({ handlers: [thankBigOrders] });
});
after(() => harness?.close());

test('a small order gets no note', async () => {
  const done = await harness.send(orderApproved({ priceSummary: { total: { amount: '20.00' } } }));
  assert.deepEqual(
    done.runs.map((r) => r.status),
    ['succeeded'],
  );
  assert.deepEqual(done.writes, []);
});
