import { describe, expect, it } from 'vitest';
import {
  deadLetterRecord,
  foldDeadLetters,
  redrivableEvent,
  redrivenRecord,
} from '../../../src/bus/kafka-dead-letters.js';
import { eventRecord, headersToStrings, parseEventValue } from '../../../src/bus/kafka-records.js';
import { eventTypes } from '../../../src/domain/events.js';
import { topicsFor } from '../../../src/domain/topics.js';
import { makeEvent } from '../../support/events.js';

const topics = topicsFor('wix.', eventTypes);

describe('Kafka event records', () => {
  it('keys an event by instanceId and repeats id, type, site and schema version in headers', () => {
    const event = makeEvent({ type: 'contact_created' });
    const record = eventRecord(event, topics);
    expect(record).toEqual({
      topic: 'wix.contact_created',
      key: event.instanceId,
      value: JSON.stringify(event),
      headers: {
        'wix-event-id': event.id,
        'wix-event-type': 'contact_created',
        'wix-instance-id': event.instanceId,
        'schema-version': '1',
      },
    });
    expect(parseEventValue(record.value)).toEqual({ ok: true, event });
  });

  it('says why a value is not a bus event', () => {
    expect(parseEventValue(null)).toMatchObject({ ok: false, error: 'record has no value' });
    expect(parseEventValue('{oops')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not JSON/),
      payload: '{oops',
    });
    const wrongVersion = { ...makeEvent(), v: 2 };
    expect(parseEventValue(JSON.stringify(wrongVersion))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not a bus event: v:/),
      payload: wrongVersion,
    });
  });

  it('turns Kafka headers into strings', () => {
    expect(
      headersToStrings({ a: Buffer.from('x'), b: 'y', c: [Buffer.from('1'), '2'], d: undefined }),
    ).toEqual({
      a: 'x',
      b: 'y',
      c: '1,2',
    });
  });
});

describe('Kafka dead-letter records', () => {
  it('carries the letter in the value and its id, reason and original headers in the record headers', () => {
    const event = makeEvent();
    const original = eventRecord(event, topics).headers;
    const record = deadLetterRecord('wix.dead_letter', {
      reason: 'max_attempts',
      error: 'boom',
      attempts: 5,
      eventId: event.id,
      type: event.type,
      instanceId: event.instanceId,
      payload: event,
      headers: original,
    });
    const value = JSON.parse(record.value) as { id: string };
    expect(record.key).toBe(event.instanceId);
    expect(record.headers).toMatchObject({
      ...original,
      'wix-dead-letter-id': value.id,
      'wix-dead-letter-reason': 'max_attempts',
    });
  });

  it('folds the topic into the letters not re-driven, newest first', () => {
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    const letter = (s: number, eventId: string | null) =>
      deadLetterRecord(
        'dlq',
        { reason: 'non_retryable', error: 'e', attempts: 1, eventId, payload: { s } },
        at(s),
      );
    const a = letter(1, 'a');
    const b = letter(2, 'b');
    const c = letter(3, null);
    const idOf = (r: { value: string }) => (JSON.parse(r.value) as { id: string }).id;
    const { letters, skipped } = foldDeadLetters([
      a.value,
      'not json',
      c.value,
      b.value,
      redrivenRecord('dlq', [idOf(b)]).value,
      null,
    ]);
    expect(skipped).toBe(2);
    expect(letters.map((l) => l.eventId)).toEqual([null, 'a']);
    expect(letters[0]).toEqual({
      id: idOf(c),
      reason: 'non_retryable',
      error: 'e',
      attempts: 1,
      eventId: null,
      type: null,
      instanceId: null,
      payload: { s: 3 },
      headers: {},
      deadAt: at(3).toISOString(),
    });
  });

  it('re-drives only letters that carry a bus event', () => {
    const event = makeEvent();
    const [withEvent, withoutEvent] = foldDeadLetters([
      deadLetterRecord(
        'dlq',
        { reason: 'max_attempts', error: 'e', attempts: 3, payload: event },
        new Date(2),
      ).value,
      deadLetterRecord(
        'dlq',
        { reason: 'invalid_envelope', error: 'e', attempts: 1, payload: { x: 1 } },
        new Date(1),
      ).value,
    ]).letters;
    expect(redrivableEvent(withEvent!)).toEqual(event);
    expect(redrivableEvent(withoutEvent!)).toBeUndefined();
  });
});
