import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { busEventSchema, type BusEvent } from '../domain/events.js';
import { eventHeaders, type OutgoingRecord } from './kafka-records.js';
import type { DeadLetter, NewDeadLetter } from './port.js';

/**
 * The dead-letter topic holds two kinds of records (JSON values):
 * - `dead_letter`: one letter (id = a uuid), with the original payload and transport headers;
 * - `redriven`: marks letters as re-driven, so listing leaves them out (the topic is append-only).
 */
export const deadLetterHeaders = {
  id: 'wix-dead-letter-id',
  reason: 'wix-dead-letter-reason',
  kind: 'wix-dead-letter-kind',
} as const;

const deadLetterValue = z.object({
  v: z.literal(1),
  kind: z.literal('dead_letter'),
  id: z.string().min(1),
  reason: z.enum(['invalid_envelope', 'max_attempts', 'non_retryable', 'unparsable']),
  error: z.string(),
  attempts: z.number().int(),
  eventId: z.string().nullable(),
  type: z.string().nullable(),
  instanceId: z.string().nullable(),
  payload: z.unknown(),
  headers: z.record(z.string(), z.string()),
  deadAt: z.string(),
});

const redrivenValue = z.object({
  v: z.literal(1),
  kind: z.literal('redriven'),
  ids: z.array(z.string()),
  at: z.string(),
});

const recordValue = z.discriminatedUnion('kind', [deadLetterValue, redrivenValue]);

/** The dead-letter record for `letter`; its key is the site (or event id) so a site's letters stay together. */
export function deadLetterRecord(topic: string, letter: NewDeadLetter, now = new Date()): OutgoingRecord {
  const value: z.infer<typeof deadLetterValue> = {
    v: 1,
    kind: 'dead_letter',
    id: randomUUID(),
    reason: letter.reason,
    error: letter.error,
    attempts: letter.attempts,
    eventId: letter.eventId ?? null,
    type: letter.type ?? null,
    instanceId: letter.instanceId ?? null,
    payload: letter.payload ?? null,
    headers: letter.headers ?? {},
    deadAt: now.toISOString(),
  };
  const routing: Record<string, string> = {};
  if (value.eventId) routing[eventHeaders.eventId] = value.eventId;
  if (value.type) routing[eventHeaders.type] = value.type;
  if (value.instanceId) routing[eventHeaders.instanceId] = value.instanceId;
  return {
    topic,
    key: value.instanceId ?? value.eventId,
    value: JSON.stringify(value),
    headers: {
      ...routing,
      ...value.headers,
      [deadLetterHeaders.kind]: 'dead_letter',
      [deadLetterHeaders.id]: value.id,
      [deadLetterHeaders.reason]: value.reason,
    },
  };
}

/** The record that marks `ids` as re-driven. */
export function redrivenRecord(topic: string, ids: readonly string[], now = new Date()): OutgoingRecord {
  const value: z.infer<typeof redrivenValue> = {
    v: 1,
    kind: 'redriven',
    ids: [...ids],
    at: now.toISOString(),
  };
  return {
    topic,
    key: null,
    value: JSON.stringify(value),
    headers: { [deadLetterHeaders.kind]: 'redriven' },
  };
}

/**
 * Folds the dead-letter topic's record values (in any partition order) into the letters not yet
 * re-driven, newest first. Values that are not ours are skipped and counted in `skipped`.
 */
export function foldDeadLetters(values: Iterable<string | null>): { letters: DeadLetter[]; skipped: number } {
  const letters = new Map<string, { letter: DeadLetter; seq: number }>();
  const redriven = new Set<string>();
  let skipped = 0;
  let seq = 0;
  for (const value of values) {
    let parsed;
    try {
      parsed = value === null ? undefined : recordValue.safeParse(JSON.parse(value));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      skipped++;
      continue;
    }
    const record = parsed.data;
    if (record.kind === 'redriven') {
      for (const id of record.ids) redriven.add(id);
      continue;
    }
    const { v: _v, kind: _kind, ...letter } = record;
    letters.set(record.id, { letter: { ...letter, payload: letter.payload ?? null }, seq: seq++ });
  }
  const open = [...letters.values()].filter(({ letter }) => !redriven.has(letter.id));
  open.sort((a, b) => b.letter.deadAt.localeCompare(a.letter.deadAt) || b.seq - a.seq);
  return { letters: open.map((o) => o.letter), skipped };
}

/** The bus event a letter carries, or undefined (an invalid envelope, an unparsable record). */
export function redrivableEvent(letter: DeadLetter): BusEvent | undefined {
  const parsed = busEventSchema.safeParse(letter.payload);
  return parsed.success ? parsed.data : undefined;
}
