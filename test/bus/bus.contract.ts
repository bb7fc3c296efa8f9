import { afterEach, expect, it } from 'vitest';
import type { BusEvent } from '../../src/domain/events.js';
import { AppError, PermanentError } from '../../src/errors.js';
import type { Bus, Delivery, SubscribeOptions, Subscription } from '../../src/bus/port.js';
import { makeEvent, uniquePrefix } from '../support/events.js';
import { waitFor } from '../support/wait.js';

export interface BusUnderTest {
  bus: Bus;
  /** Closes the bus and whatever the setup opened. */
  close(): Promise<void>;
}

export interface BusContractOptions {
  /** Extra time a transport needs to start delivering (Kafka: group join). Default 0. */
  startupMs?: number;
  /**
   * The bus keeps its events in the store (embedded): `findEvent` returns them and `backlog` counts
   * them. Otherwise (Kafka) it keeps their ids only: `findEvent` and `backlog` answer undefined.
   */
  eventsInStore?: boolean;
}

const fast: SubscribeOptions = { maxAttempts: 3, retryBaseMs: 10, retryMaxMs: 50, concurrency: 4 };

/**
 * The Bus contract: every adapter (embedded queue, Kafka) must pass it unchanged.
 * `setup(topicPrefix)` returns a fresh bus whose topics start with `topicPrefix` (unique per test).
 */
export function busContract(
  setup: (topicPrefix: string) => Promise<BusUnderTest>,
  options: BusContractOptions = {},
) {
  const timeoutMs = 15_000 + (options.startupMs ?? 0);
  let current: BusUnderTest | undefined;
  const subscriptions: Subscription[] = [];

  const open = async () => {
    current = await setup(uniquePrefix());
    return current.bus;
  };
  /** Waits until the bus holds exactly one dead letter, and returns the list. */
  const oneDeadLetter = (bus: Bus) =>
    waitFor(
      async () => {
        const letters = await bus.listDeadLetters();
        return letters.length === 1 ? letters : undefined;
      },
      { timeoutMs },
    );
  const subscribe = async (bus: Bus, handler: (d: Delivery) => Promise<void>, opts = fast) => {
    const s = await bus.subscribe(['order_created', 'contact_created'], handler, opts);
    subscriptions.push(s);
    return s;
  };

  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((s) => s.close()));
    await current?.close();
    current = undefined;
  });

  it(
    'delivers a published event once, unchanged, on its first attempt',
    async () => {
      const bus = await open();
      const seen: Delivery[] = [];
      await subscribe(bus, async (d) => void seen.push(d));
      const event = makeEvent();
      expect(await bus.publish(event)).toBe('published');
      await waitFor(() => seen.length === 1, { timeoutMs });
      expect(seen[0]?.event).toEqual(event);
      expect(seen[0]?.attempt).toBe(1);
    },
    timeoutMs + 5000,
  );

  it(
    'answers duplicate for an event id it already accepted, and delivers it once',
    async () => {
      const bus = await open();
      const seen: string[] = [];
      await subscribe(bus, async (d) => void seen.push(d.event.id));
      const event = makeEvent();
      expect(await bus.publish(event)).toBe('published');
      expect(await bus.publish({ ...event, receivedAt: new Date().toISOString() })).toBe('duplicate');
      const marker = makeEvent({ instanceId: event.instanceId });
      await bus.publish(marker);
      await waitFor(() => seen.includes(marker.id), { timeoutMs });
      expect(seen.filter((id) => id === event.id)).toHaveLength(1);
    },
    timeoutMs + 5000,
  );

  it(
    'keeps each site in order (per event type) while sites run concurrently',
    async () => {
      // Order is promised per key within a topic: Kafka keeps one topic per event type, so a site's
      // order_created and contact_created events are ordered each among themselves.
      const bus = await open();
      const sites = ['site-a', 'site-b', 'site-c'].map((s) => `${s}-${Math.random().toString(36).slice(2)}`);
      const key = (e: BusEvent) => `${e.instanceId}/${e.type}`;
      const sent = new Map<string, string[]>();
      const got = new Map<string, string[]>();
      let running = 0;
      let maxRunning = 0;
      await subscribe(bus, async (d) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((r) => setTimeout(r, Math.random() * 5));
        got.set(key(d.event), [...(got.get(key(d.event)) ?? []), d.event.id]);
        running--;
      });
      const events: BusEvent[] = [];
      for (let i = 0; i < 20; i++) {
        for (const site of sites) {
          const e = makeEvent({ instanceId: site, type: i % 2 ? 'contact_created' : 'order_created' });
          events.push(e);
          sent.set(key(e), [...(sent.get(key(e)) ?? []), e.id]);
        }
      }
      for (const e of events) await bus.publish(e);
      await waitFor(() => [...sent.keys()].every((k) => got.get(k)?.length === sent.get(k)?.length), {
        timeoutMs,
      });
      for (const k of sent.keys()) expect(got.get(k)).toEqual(sent.get(k));
      expect(maxRunning).toBeGreaterThan(1);
    },
    timeoutMs + 10_000,
  );

  it(
    'retries a failing delivery with a growing attempt count until it succeeds',
    async () => {
      const bus = await open();
      const attempts: number[] = [];
      await subscribe(bus, async (d) => {
        attempts.push(d.attempt);
        if (d.attempt < 3) throw new Error('flaky');
      });
      await bus.publish(makeEvent());
      await waitFor(() => attempts.length === 3, { timeoutMs });
      await new Promise((r) => setTimeout(r, 300));
      expect(attempts).toEqual([1, 2, 3]);
      expect(await bus.listDeadLetters()).toEqual([]);
    },
    timeoutMs + 5000,
  );

  it(
    'dead-letters after maxAttempts with reason, error and attempts, and moves on to the next event of the site',
    async () => {
      const bus = await open();
      const poison = makeEvent();
      const next = makeEvent({ instanceId: poison.instanceId });
      const handled: string[] = [];
      await subscribe(bus, async (d) => {
        if (d.event.id === poison.id) throw new Error('handler broke on this order');
        handled.push(d.event.id);
      });
      await bus.publish(poison);
      await bus.publish(next);
      await waitFor(() => handled.includes(next.id), { timeoutMs });
      const letters = await oneDeadLetter(bus);
      expect(letters[0]).toMatchObject({
        eventId: poison.id,
        type: 'order_created',
        instanceId: poison.instanceId,
        reason: 'max_attempts',
        attempts: 3,
      });
      expect(letters[0]?.error).toContain('handler broke on this order');
      expect(letters[0]?.payload).toEqual(poison);
    },
    timeoutMs + 5000,
  );

  it(
    'retries a failure that does not count as an attempt past maxAttempts, without dead-lettering it',
    async () => {
      const bus = await open();
      const attempts: number[] = [];
      await subscribe(bus, async (d) => {
        attempts.push(d.attempt);
        // Waiting for a write in flight in another live process: not the event's fault, bound to end.
        if (attempts.length <= fast.maxAttempts + 1) {
          throw new AppError('a write of this event is in flight elsewhere', {
            code: 'WRITE_IN_FLIGHT',
            retryable: true,
            countsAsAttempt: false,
          });
        }
      });
      const event = makeEvent();
      await bus.publish(event);
      await waitFor(() => attempts.length === fast.maxAttempts + 2, { timeoutMs });
      expect(attempts).toEqual(Array.from({ length: fast.maxAttempts + 2 }, () => 1));
      expect(await bus.listDeadLetters()).toEqual([]);
    },
    timeoutMs + 5000,
  );

  it(
    'dead-letters a non-retryable failure on the first attempt',
    async () => {
      const bus = await open();
      const attempts: number[] = [];
      await subscribe(bus, async (d) => {
        attempts.push(d.attempt);
        throw new PermanentError('cannot ever work');
      });
      const event = makeEvent();
      await bus.publish(event);
      const letters = await oneDeadLetter(bus);
      expect(letters[0]).toMatchObject({ eventId: event.id, reason: 'non_retryable', attempts: 1 });
      expect(attempts).toEqual([1]);
    },
    timeoutMs + 5000,
  );

  it(
    'redrives dead letters back to their topic',
    async () => {
      const bus = await open();
      let broken = true;
      const handled: string[] = [];
      await subscribe(bus, async (d) => {
        if (broken) throw new PermanentError('bug');
        handled.push(d.event.id);
      });
      const event = makeEvent({ type: 'contact_created' });
      await bus.publish(event);
      const [letter] = await oneDeadLetter(bus);
      broken = false;
      expect(await bus.redrive({ ids: [letter!.id] })).toBe(1);
      await waitFor(() => handled.includes(event.id), { timeoutMs });
      await waitFor(async () => (await bus.listDeadLetters()).length === 0, { timeoutMs });
    },
    timeoutMs + 5000,
  );

  it(
    'stores a dead letter for an envelope that never became an event, and does not redrive it',
    async () => {
      const bus = await open();
      await bus.deadLetter({
        reason: 'invalid_envelope',
        error: 'data.id: Required',
        attempts: 1,
        eventId: null,
        instanceId: 'inst-1',
        payload: { eventType: 'wix.ecom.v1.order_created', data: { slug: 'created' } },
      });
      const letters = await oneDeadLetter(bus);
      expect(letters[0]).toMatchObject({
        reason: 'invalid_envelope',
        error: 'data.id: Required',
        instanceId: 'inst-1',
      });
      expect(letters[0]?.payload).toEqual({
        eventType: 'wix.ecom.v1.order_created',
        data: { slug: 'created' },
      });
      expect(await bus.redrive({ all: true })).toBe(0);
    },
    timeoutMs + 5000,
  );

  it(
    'lets a long handler keep its event with heartbeats, and close waits for it',
    async () => {
      const bus = await open();
      let finished = 0;
      let deliveries = 0;
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const sub = await subscribe(bus, async (d) => {
        deliveries++;
        await d.heartbeat();
        await gate;
        await d.heartbeat();
        finished++;
      });
      await bus.publish(makeEvent());
      await waitFor(() => deliveries === 1, { timeoutMs });
      const closing = sub.close();
      setTimeout(release, 200);
      await closing;
      expect(finished).toBe(1);
      expect(deliveries).toBe(1);
    },
    timeoutMs + 5000,
  );

  it(
    'lists the events it accepted (at most `limit`), finds them where it keeps them, and counts its backlog',
    async () => {
      const bus = await open();
      const a = makeEvent();
      const b = makeEvent();
      await bus.publish(a);
      await bus.publish(b);
      const listed = await bus.listEvents({ limit: 100 });
      expect(listed.map((e) => e.eventId).sort()).toEqual([a.id, b.id].sort());
      expect(listed.find((e) => e.eventId === a.id)).toMatchObject({
        status: options.eventsInStore ? 'pending' : 'accepted',
        acceptedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(await bus.listEvents({ limit: 1 })).toHaveLength(1);
      expect(await bus.findEvent('never-published')).toBeUndefined();
      if (options.eventsInStore) {
        expect(await bus.findEvent(a.id)).toEqual(JSON.parse(JSON.stringify(a)));
        expect(await bus.backlog()).toMatchObject({ pending: 2, oldestAgeMs: expect.any(Number) });
      } else {
        expect(await bus.findEvent(a.id)).toBeUndefined();
        expect(await bus.backlog()).toBeUndefined();
      }
    },
    timeoutMs + 5000,
  );

  it(
    'delivers nothing after its subscription closed, and a new subscriber picks up what was left',
    async () => {
      const bus = await open();
      const first: string[] = [];
      const sub = await subscribe(bus, async (d) => void first.push(d.event.id));
      const a = makeEvent();
      await bus.publish(a);
      await waitFor(() => first.includes(a.id), { timeoutMs });
      await sub.close();
      const b = makeEvent();
      await bus.publish(b);
      const second: string[] = [];
      await subscribe(bus, async (d) => void second.push(d.event.id));
      await waitFor(() => second.includes(b.id), { timeoutMs });
      expect(first).toEqual([a.id]);
      expect(second).not.toContain(a.id);
    },
    timeoutMs + 10_000,
  );
}
