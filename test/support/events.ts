import { randomUUID } from 'node:crypto';
import { BUS_EVENT_VERSION, type BusEvent, type EventType } from '../../src/domain/events.js';

/** A valid bus event with fresh ids; override any field. */
export function makeEvent(overrides: Partial<BusEvent> & { type?: EventType } = {}): BusEvent {
  const type = overrides.type ?? 'order_created';
  const entityId = overrides.entityId ?? randomUUID();
  return {
    v: BUS_EVENT_VERSION,
    id: randomUUID(),
    type,
    eventType: type === 'order_created' ? 'wix.ecom.v1.order_created' : 'wix.contacts.v4.contact_created',
    instanceId: randomUUID(),
    entityFqdn: type === 'order_created' ? 'wix.ecom.v1.order' : 'wix.contacts.v4.contact',
    slug: 'created',
    entityId,
    eventTime: new Date().toISOString(),
    receivedAt: new Date().toISOString(),
    identity: { identityType: 'APP', appId: randomUUID() },
    entity: { id: entityId },
    ...overrides,
  };
}

export function uniquePrefix(): string {
  return `t${randomUUID().slice(0, 8)}.`;
}
