import { describe, expect, it } from 'vitest';
import { parseEvent, parseOuter } from '../../src/webhooks/envelope.js';

const event = (body: object) =>
  JSON.stringify({
    id: 'evt-1',
    slug: 'created',
    entityFqdn: 'wix.ecom.v1.order',
    entityId: 'ord-1',
    eventTime: '2026-11-20T10:48:58.226Z',
    ...body,
  });
const claims = (outer: object) => ({ data: JSON.stringify(outer), iat: 1, exp: 2 });

describe('parseOuter', () => {
  it('unwraps claims.data into eventType, instanceId, identity and the inner data string', () => {
    const r = parseOuter(
      claims({
        eventType: 't',
        instanceId: 'i',
        data: '{}',
        identity: JSON.stringify({ identityType: 'MEMBER', memberId: 'm' }),
      }),
    );
    expect(r).toEqual({
      ok: true,
      value: {
        eventType: 't',
        instanceId: 'i',
        data: '{}',
        identity: { identityType: 'MEMBER', memberId: 'm' },
      },
    });
  });

  it.each([
    ['claims without data', { iat: 1 }, 'claims.data'],
    ['data that is not JSON', { data: '{nope' }, 'claims.data: not valid JSON'],
    ['a missing instanceId', claims({ eventType: 't', data: '{}' }), 'envelope.instanceId'],
    [
      'data that is an object, not a string',
      claims({ eventType: 't', instanceId: 'i', data: {} }),
      'envelope.data',
    ],
    [
      'identity that is not JSON',
      claims({ eventType: 't', instanceId: 'i', data: '{}', identity: '{' }),
      'envelope.identity',
    ],
  ])('reports %s', (_label, input, where) => {
    const r = parseOuter(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(where);
  });

  it('keeps legacy envelopes such as AppInstalled parseable (their data is not an event)', () => {
    const r = parseOuter(
      claims({
        eventType: 'AppInstalled',
        instanceId: 'i',
        data: JSON.stringify({ appId: 'a', originInstanceId: '' }),
      }),
    );
    expect(r.ok).toBe(true);
  });
});

describe('parseEvent', () => {
  const entity = { id: 'ord-1', number: '10001' };
  it.each([
    ['createdEvent.entity', { createdEvent: { entity } }],
    ['createdEvent.entityAsJson as an object', { createdEvent: { entityAsJson: entity } }],
    [
      'createdEvent.entityAsJson as a JSON string',
      { createdEvent: { entityAsJson: JSON.stringify(entity) } },
    ],
  ])('finds the entity in %s', (_label, body) => {
    const r = parseEvent(event(body));
    expect(r.ok && r.value.entity).toEqual(entity);
    expect(r.ok && r.value.kind).toBe('created');
  });

  it('keeps unknown fields', () => {
    const r = parseEvent(event({ createdEvent: { entity }, entityEventSequence: '7' }));
    expect(r.ok && r.value.raw.entityEventSequence).toBe('7');
  });

  it.each([
    ['no body', {}, 'exactly one of'],
    ['two bodies', { createdEvent: { entity }, deletedEvent: {} }, 'exactly one of'],
    [
      'entityAsJson that is not JSON',
      { createdEvent: { entityAsJson: '{oops' } },
      'createdEvent.entityAsJson',
    ],
    ['a created event without an entity', { createdEvent: {} }, 'entity or entityAsJson'],
    ['a bad eventTime', { createdEvent: { entity }, eventTime: 'yesterday' }, 'eventTime'],
    ['an entity that is an array', { createdEvent: { entity: [entity] } }, 'createdEvent.entity'],
    ['an entity that is a string', { createdEvent: { entity: 'ord-1' } }, 'createdEvent.entity'],
    ['an updatedEvent that is an array', { updatedEvent: [] }, 'updatedEvent'],
    ['a deletedEvent that is null', { deletedEvent: null }, 'deletedEvent'],
    ['an actionEvent that is a number', { actionEvent: 1 }, 'actionEvent'],
  ])('rejects %s', (_label, body, message) => {
    const r = parseEvent(event(body));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });

  it('unwraps updated (entity and changed fields), deleted and action events', () => {
    const changes = { number: '10000' };
    expect(
      parseEvent(event({ updatedEvent: { currentEntity: entity, modifiedFields: changes } })),
    ).toMatchObject({ ok: true, value: { kind: 'updated', entity, changes } });
    expect(
      parseEvent(event({ updatedEvent: { currentEntityAsJson: JSON.stringify(entity) } })),
    ).toMatchObject({ ok: true, value: { kind: 'updated', entity } });
    expect(parseEvent(event({ deletedEvent: {} }))).toMatchObject({
      ok: true,
      value: { kind: 'deleted', entity: null },
    });
    expect(parseEvent(event({ deletedEvent: { deletedEntity: entity } }))).toMatchObject({
      ok: true,
      value: { kind: 'deleted', entity },
    });
    expect(parseEvent(event({ actionEvent: { body: { order: entity } } }))).toMatchObject({
      ok: true,
      value: { kind: 'action', entity: { order: entity } },
    });
  });

  it('hands a __proto__ key on as data, never as a prototype', () => {
    const text = `{"id":"evt-p","slug":"created","entityFqdn":"wix.ecom.v1.order","entityId":"o","eventTime":"2026-11-20T10:48:58.226Z","createdEvent":{"entity":{"id":"o","__proto__":{"polluted":true}}}}`;
    const r = parseEvent(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.getPrototypeOf(r.value.entity)).toBe(Object.prototype);
    expect((r.value.entity as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
