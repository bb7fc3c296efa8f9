import { busEventSchema, type BusEvent } from '../domain/events.js';
import type { Topics } from '../domain/topics.js';

/** Kafka header names carried by every event record (values are UTF-8 strings). */
export const eventHeaders = {
  eventId: 'wix-event-id',
  type: 'wix-event-type',
  instanceId: 'wix-instance-id',
  schemaVersion: 'schema-version',
} as const;

/** A record to produce, free of kafkajs types. `key` decides the partition (same key, same partition). */
export interface OutgoingRecord {
  topic: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/** A consumed record, free of kafkajs types. */
export interface IncomingRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/** The record of a bus event: key = instanceId (a site's events stay in order), headers repeat the routing facts. */
export function eventRecord(event: BusEvent, topics: Topics): OutgoingRecord {
  return {
    topic: topics.forType(event.type),
    key: event.instanceId,
    value: JSON.stringify(event),
    headers: {
      [eventHeaders.eventId]: event.id,
      [eventHeaders.type]: event.type,
      [eventHeaders.instanceId]: event.instanceId,
      [eventHeaders.schemaVersion]: String(event.v),
    },
  };
}

type RawHeaderValue = Buffer | string | (Buffer | string)[] | undefined;

/** Kafka headers as strings; a repeated header becomes its values joined by `,`. */
export function headersToStrings(
  headers: Record<string, RawHeaderValue> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.map((v) => v.toString()).join(',') : value.toString();
  }
  return out;
}

export type ParsedEvent = { ok: true; event: BusEvent } | { ok: false; error: string; payload: unknown };

/** Parses a record value as a bus event; anything else is `unparsable` with the reason and what was there. */
export function parseEventValue(value: string | null): ParsedEvent {
  if (value === null) return { ok: false, error: 'record has no value', payload: null };
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch (error) {
    return { ok: false, error: `not JSON: ${(error as Error).message}`, payload: value };
  }
  const parsed = busEventSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { ok: false, error: `not a bus event: ${issues}`.slice(0, 2000), payload: json };
  }
  return { ok: true, event: parsed.data };
}
