import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bus, NewDeadLetter } from '../../src/bus/port.js';
import { busEventSchema, type BusEvent } from '../../src/domain/events.js';
import { ingestWebhook } from '../../src/webhooks/ingest.js';
import { hs256Key, signWebhook } from '../../src/webhooks/sign.js';
import { importWebhookKeys } from '../../src/webhooks/verify.js';
import { hsKey, rsKey, testKeys } from '../support/keys.js';

/** A Bus that records what it is given (test-only; the real adapters have their own contract suite). */
function recordingBus() {
  const published: BusEvent[] = [];
  const letters: NewDeadLetter[] = [];
  const bus: Pick<Bus, 'publish' | 'deadLetter'> = {
    publish: async (e) => (published.push(e), 'published'),
    deadLetter: async (l) => void letters.push(l),
  };
  return { bus, published, letters };
}

const keys = await importWebhookKeys({ publicKeyPem: testKeys.publicPem, hs256Secret: testKeys.secret });
const valid = {
  eventType: 'wix.ecom.v1.order_created',
  instanceId: 'c8a9f896-cd12-44f3-b2e2-94b84be2dd48',
  identity: { identityType: 'MEMBER', memberId: 'm-1' },
  data: {
    id: 'evt-1',
    slug: 'created',
    entityFqdn: 'wix.ecom.v1.order',
    entityId: 'ord-1',
    eventTime: '2026-11-20T10:48:58.226Z',
    createdEvent: { entity: { id: 'ord-1', lineItems: [] } },
  },
};
const decodeParts = (t: string) =>
  t
    .split('.')
    .map((p) => Buffer.from(p, 'base64url').toString('hex'))
    .join('.');

describe('ingest under random and hostile input (fast-check)', () => {
  it('never accepts random bodies, and never throws', async () => {
    const { bus, published, letters } = recordingBus();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.base64String(), fc.json()),
        async (body) => {
          const r = await ingestWebhook(body, { keys, bus, clockToleranceSec: 60, publishTimeoutMs: 1000 });
          expect(r.outcome).toBe('unauthorized');
        },
      ),
      { numRuns: 2000 },
    );
    expect(published).toHaveLength(0);
    expect(letters).toHaveLength(0);
  });

  it('never accepts a signed token altered anywhere (header, claims or signature)', async () => {
    const tokens = [await signWebhook(valid, rsKey), await signWebhook(valid, hsKey)];
    const { bus, published } = recordingBus();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...tokens),
        fc.nat(),
        fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'),
        fc.constantFrom('replace', 'insert', 'delete', 'truncate'),
        async (token, at, char, how) => {
          const i = at % token.length;
          const forged =
            how === 'replace'
              ? token.slice(0, i) + char + token.slice(i + 1)
              : how === 'insert'
                ? token.slice(0, i) + char + token.slice(i)
                : how === 'delete'
                  ? token.slice(0, i) + token.slice(i + 1)
                  : token.slice(0, i);
          const r = await ingestWebhook(forged, { keys, bus, clockToleranceSec: 60, publishTimeoutMs: 1000 });
          // Base64url's unused trailing bits can decode a different string to the same bytes: that is the same token.
          const sameBytes = forged.split('.').length === 3 && decodeParts(forged) === decodeParts(token);
          if (!sameBytes) expect(r.outcome).toBe('unauthorized');
        },
      ),
      { numRuns: 3000 },
    );
    expect(published.every((e) => e.id === 'evt-1')).toBe(true);
  });

  it('never accepts a token signed with another key', async () => {
    const { bus } = recordingBus();
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 64 }), async (secret) => {
        fc.pre(secret !== testKeys.secret);
        const r = await ingestWebhook(await signWebhook(valid, hs256Key(secret)), {
          keys,
          bus,
          clockToleranceSec: 60,
          publishTimeoutMs: 1000,
        });
        expect(r.outcome).toBe('unauthorized');
      }),
      { numRuns: 300 },
    );
  });

  it('classifies any correctly signed envelope without throwing; what it publishes is a valid bus event', async () => {
    const { bus, published, letters } = recordingBus();
    const field = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.json(),
      fc.object(),
      fc.array(fc.anything()),
    );
    const entity = fc.oneof(
      fc.record({ id: fc.oneof(fc.string(), fc.integer()) }),
      fc.object(),
      fc.string(),
      fc.json(),
    );
    const body = fc.oneof(
      fc.record({ entity }),
      fc.record({ entityAsJson: entity }),
      fc.record({ entityAsJson: fc.json() }),
      fc.record({}),
    );
    const inner = fc.record(
      {
        id: field,
        slug: field,
        entityFqdn: field,
        entityId: field,
        eventTime: fc.oneof(
          field,
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        ),
        createdEvent: body,
        deletedEvent: fc.object(),
      },
      { requiredKeys: [] },
    );
    const outer = fc.record(
      {
        eventType: fc.oneof(
          fc.constantFrom('wix.ecom.v1.order_created', 'wix.contacts.v4.contact_created', 'AppInstalled'),
          field,
        ),
        instanceId: field,
        identity: fc.oneof(field, fc.record({ identityType: field })),
        data: fc.oneof(inner, field),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(outer, async (webhook) => {
        const token = await signWebhook(webhook as never, hsKey);
        const r = await ingestWebhook(token, { keys, bus, clockToleranceSec: 60, publishTimeoutMs: 1000 });
        expect(['published', 'ignored', 'dead_lettered']).toContain(r.outcome);
      }),
      { numRuns: 1500 },
    );
    for (const e of published) expect(busEventSchema.safeParse(e).success).toBe(true);
    expect(letters.every((l) => l.reason === 'invalid_envelope' && l.error.length > 0)).toBe(true);
    expect(letters.length).toBeGreaterThan(0);
  });
});
