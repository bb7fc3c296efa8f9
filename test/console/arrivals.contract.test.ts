import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedBus } from '../../src/bus/embedded.js';
import type { Bus } from '../../src/bus/port.js';
import { createArrivalsLog } from '../../src/console/arrivals.js';
import { eventTypes } from '../../src/domain/events.js';
import { topicsFor } from '../../src/domain/topics.js';
import type { Store } from '../../src/store/port.js';
import { makeEvent } from '../support/events.js';
import { describeIfServer } from '../support/servers.js';
import { storeFactories } from '../support/stores.js';

/**
 * The console's arrivals log on a real store: with the embedded bus on the same store it does not write
 * a published event a second time (it reads the bus's copy through `Bus.findEvent`), and it keeps its
 * own copy otherwise.
 */
for (const factory of await storeFactories()) {
  const suite =
    factory.name !== 'postgres'
      ? describe
      : describeIfServer(factory.available, 'PostgreSQL at 127.0.0.1:5432');
  suite(`arrivals log on ${factory.name}`, () => {
    let store: Store;
    let bus: Bus;
    beforeAll(async () => {
      store = await factory.open();
      bus = createEmbeddedBus({ store, topics: topicsFor('wix.', eventTypes) });
    });
    afterAll(async () => {
      await bus.close();
      await store.close();
    });

    const stored = async (eventId: string) =>
      (
        await store.query<{ outcome: string; event: unknown }>(
          'SELECT outcome, event FROM webhook_arrivals WHERE event_id = $1 ORDER BY id',
          [eventId],
        )
      ).rows;

    it('with the embedded bus, a published or duplicate event is read from the bus, not written twice', async () => {
      const log = createArrivalsLog(store, { eventsOnBus: true, bus });
      const event = makeEvent();
      expect(await bus.publish(event)).toBe('published');
      expect(await bus.publish(event)).toBe('duplicate');
      const facts = {
        eventId: event.id,
        eventType: event.eventType,
        type: event.type,
        instanceId: event.instanceId,
      };
      await log.record([
        { outcome: 'published', ...facts, event },
        { outcome: 'duplicate', ...facts, event },
      ]);

      expect(await stored(event.id)).toEqual([
        { outcome: 'published', event: null },
        { outcome: 'duplicate', event: null },
      ]);
      const [newest] = await log.list({ eventId: event.id });
      expect(newest?.outcome).toBe('duplicate');
      expect((await log.get(newest!.id))?.event).toEqual(JSON.parse(JSON.stringify(event)));
      expect(await log.findEvent(event.id)).toEqual(JSON.parse(JSON.stringify(event)));
    });

    it('keeps its own copy of what is not on the bus: a dead-lettered envelope, and every event without eventsOnBus', async () => {
      const onBus = createArrivalsLog(store, { eventsOnBus: true, bus });
      const envelope = { data: '{"not": "an event"}' };
      await onBus.record([{ outcome: 'dead_lettered', eventId: 'dl-1', detail: 'invalid', event: envelope }]);
      expect(await stored('dl-1')).toEqual([{ outcome: 'dead_lettered', event: envelope }]);
      expect(await onBus.findEvent('dl-1')).toEqual(envelope);

      // The Kafka bus: the store has no bus row for the event, so the log keeps the event itself.
      const kafkaLog = createArrivalsLog(store);
      const event = makeEvent();
      await kafkaLog.record([{ outcome: 'published', eventId: event.id, type: event.type, event }]);
      expect(await stored(event.id)).toEqual([
        { outcome: 'published', event: JSON.parse(JSON.stringify(event)) },
      ]);
      const [arrival] = await kafkaLog.list({ eventId: event.id });
      expect((await kafkaLog.get(arrival!.id))?.event).toEqual(JSON.parse(JSON.stringify(event)));
      expect(await kafkaLog.findEvent(event.id)).toEqual(JSON.parse(JSON.stringify(event)));
    });

    it('an event neither logged nor on the bus is not found', async () => {
      const log = createArrivalsLog(store, { eventsOnBus: true, bus });
      expect(await log.findEvent('never-seen')).toBeUndefined();
    });
  });
}
