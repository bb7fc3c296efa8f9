import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Bus } from '../../src/bus/port.js';
import { BusUnavailableError } from '../../src/errors.js';
import { ingestWebhook } from '../../src/webhooks/ingest.js';
import { signWebhook } from '../../src/webhooks/sign.js';
import { importWebhookKeys } from '../../src/webhooks/verify.js';
import { rsKey, testKeys } from '../support/keys.js';

const keys = await importWebhookKeys({ publicKeyPem: testKeys.publicPem });
const body = await signWebhook(
  {
    eventType: 'wix.ecom.v1.order_created',
    instanceId: 'c8a9f896-cd12-44f3-b2e2-94b84be2dd48',
    data: {
      id: 'evt-deadline',
      slug: 'created',
      entityFqdn: 'wix.ecom.v1.order',
      entityId: 'ord-1',
      eventTime: '2026-11-20T10:48:58.226Z',
      createdEvent: { entity: { id: 'ord-1', lineItems: [] } },
    },
  },
  rsKey,
);

/** A bus whose publish hands its signal to `seen` and settles as `settle` decides. */
function busWith(settle: (signal: AbortSignal) => Promise<'published'>) {
  const seen: AbortSignal[] = [];
  const bus: Pick<Bus, 'publish' | 'deadLetter'> = {
    publish: (_e, o) => (seen.push(o!.signal!), settle(o!.signal!)),
    deadLetter: async () => {},
  };
  return { bus, seen };
}

describe('ingest publish deadline', () => {
  afterEach(() => void vi.useRealTimers());

  it('aborts the publish with a TimeoutError after publishTimeoutMs and answers unavailable', async () => {
    vi.useFakeTimers();
    const { bus, seen } = busWith(
      (signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(new BusUnavailableError('aborted'))),
        ),
    );
    const result = ingestWebhook(body, { keys, bus, clockToleranceSec: 60, publishTimeoutMs: 1250 });
    await vi.advanceTimersByTimeAsync(1249);
    expect(seen[0]!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toMatchObject({ outcome: 'unavailable', eventId: 'evt-deadline' });
    expect(seen[0]!.reason).toMatchObject({ name: 'TimeoutError' });
  });

  it('clears the deadline once answered: no timer left behind, the signal never aborts', async () => {
    vi.useFakeTimers();
    const { bus, seen } = busWith(async () => 'published');
    const result = await ingestWebhook(body, { keys, bus, clockToleranceSec: 60, publishTimeoutMs: 1250 });
    expect(result).toMatchObject({ outcome: 'published', eventId: 'evt-deadline' });
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(seen[0]!.aborted).toBe(false);
  });
});
