import type { Bus } from '../bus/port.js';
import { readJson, type Queryable } from '../store/port.js';

/** What the ingress answered a webhook with (`IngestResult['outcome']`). */
export type ArrivalOutcome =
  'published' | 'duplicate' | 'ignored' | 'dead_lettered' | 'unauthorized' | 'unavailable';

export const arrivalOutcomes: readonly ArrivalOutcome[] = [
  'published',
  'duplicate',
  'ignored',
  'dead_lettered',
  'unauthorized',
  'unavailable',
];

export interface NewArrival {
  outcome: ArrivalOutcome;
  eventId?: string | undefined;
  /** Wix event type, e.g. `wix.ecom.v1.order_created`. */
  eventType?: string | undefined;
  /** Bus type when the event type is routed, e.g. `order_created`. */
  type?: string | undefined;
  instanceId?: string | undefined;
  /** Refusal reason or validation error. */
  detail?: string | undefined;
  /** The decoded bus event, or the envelope that was dead-lettered. Never set for unauthorized bodies. */
  event?: unknown;
  /** When the webhook was answered. Default: when recorded. */
  receivedAt?: Date | undefined;
}

export interface Arrival extends Required<Omit<NewArrival, 'event' | 'receivedAt'>> {
  id: string;
  receivedAt: string;
}

export interface ArrivalFilter {
  outcome?: ArrivalOutcome | undefined;
  type?: string | undefined;
  instanceId?: string | undefined;
  eventId?: string | undefined;
  /** Default 100, at most 500. */
  limit?: number | undefined;
}

/** The arrivals log: a bounded record of every webhook answered, for the console. */
export interface ArrivalsLog {
  /** Records arrivals in one statement (the ingress batches them). */
  record(arrivals: readonly NewArrival[]): Promise<void>;
  /** Newest first. */
  list(filter?: ArrivalFilter): Promise<Arrival[]>;
  get(id: string): Promise<(Arrival & { event: unknown }) | undefined>;
  /** The decoded event most recently recorded for a Wix event id, or undefined. */
  findEvent(eventId: string): Promise<unknown>;
  /** Id of the newest arrival (changes when something arrives), or '0'. */
  latestId(): Promise<string>;
}

export interface ArrivalsLogOptions {
  /** Rows kept; older ones are pruned. Default 5000. */
  maxRows?: number;
  /** Larger decoded events are stored as a note saying so. Default 100_000 characters of JSON. */
  maxEventChars?: number;
  /**
   * The bus is the embedded bus on this same store: a published (or duplicate) webhook's event is its
   * queue row, kept as long as an arrival (both go after `RETENTION_QUEUE`), so the log does not
   * write the 5–20 KB event a second time; `get` and `findEvent` read it from `bus`. Default false (the
   * Kafka bus: the log keeps its own copy).
   */
  eventsOnBus?: boolean;
  /**
   * Where `get` and `findEvent` look for an event the log holds no copy of (`Bus.findEvent`). Without
   * it, such an arrival shows no event.
   */
  bus?: Pick<Bus, 'findEvent'> | undefined;
}

/** Outcomes whose event the embedded bus stores itself (the first copy of its id). */
const onBus: ReadonlySet<ArrivalOutcome> = new Set(['published', 'duplicate']);

const text = (v: unknown) => (v == null ? '' : String(v));

function toArrival(r: Record<string, unknown>): Arrival {
  return {
    id: String(r.id),
    receivedAt: new Date(r.received_at as string).toISOString(),
    outcome: r.outcome as ArrivalOutcome,
    eventId: text(r.event_id),
    eventType: text(r.event_type),
    type: text(r.type),
    instanceId: text(r.instance_id),
    detail: text(r.detail),
  };
}

/** The arrivals log in the store (table `webhook_arrivals`, migration 006). */
export function createArrivalsLog(db: Queryable, options: ArrivalsLogOptions = {}): ArrivalsLog {
  const maxRows = options.maxRows ?? 5000;
  const maxEventChars = options.maxEventChars ?? 100_000;
  const eventsOnBus = options.eventsOnBus ?? false;
  const onBusEvent = async (eventId: string) => options.bus?.findEvent(eventId);
  let sincePrune = 0;

  return {
    async record(batch) {
      if (batch.length === 0) return;
      const params: unknown[] = [];
      const rows = batch.map((a) => {
        let event: string | null = null;
        if (a.event !== undefined && !(eventsOnBus && onBus.has(a.outcome))) {
          event = JSON.stringify(a.event) ?? null;
          if (event && event.length > maxEventChars) {
            event = JSON.stringify({ clipped: `decoded event of ${event.length} characters not kept` });
          }
        }
        const values = [
          a.outcome,
          a.eventId ?? null,
          a.eventType?.slice(0, 200) ?? null,
          a.type ?? null,
          a.instanceId?.slice(0, 200) ?? null,
          a.detail?.slice(0, 2000) ?? null,
          event,
          (a.receivedAt ?? new Date()).toISOString(),
        ];
        return `(${values.map((v) => `$${params.push(v)}`).join(', ')})`;
      });
      await db.query(
        `INSERT INTO webhook_arrivals (outcome, event_id, event_type, type, instance_id, detail, event, received_at)
         VALUES ${rows.join(', ')}`,
        params,
      );
      sincePrune += batch.length;
      if (sincePrune >= Math.max(1, Math.floor(maxRows / 10))) {
        sincePrune = 0;
        await db.query(
          `DELETE FROM webhook_arrivals WHERE id <= (SELECT max(id) FROM webhook_arrivals) - $1`,
          [maxRows],
        );
      }
    },

    async list(filter = {}) {
      const where: string[] = [];
      const params: unknown[] = [Math.min(Math.max(filter.limit ?? 100, 1), 500)];
      if (filter.outcome) where.push(`outcome = $${params.push(filter.outcome)}`);
      if (filter.type) where.push(`type = $${params.push(filter.type)}`);
      if (filter.instanceId) where.push(`instance_id = $${params.push(filter.instanceId)}`);
      if (filter.eventId) where.push(`event_id = $${params.push(filter.eventId)}`);
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT id, received_at, outcome, event_id, event_type, type, instance_id, detail FROM webhook_arrivals
          ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $1`,
        params,
      );
      return rows.map(toArrival);
    },

    async get(id) {
      if (!/^\d{1,18}$/.test(id)) return undefined;
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT id, received_at, outcome, event_id, event_type, type, instance_id, detail, event,
                CASE WHEN event IS NULL THEN 1 ELSE 0 END AS no_copy
           FROM webhook_arrivals
          WHERE id = $1`,
        [id],
      );
      const row = rows[0];
      if (!row) return undefined;
      // An arrival without its own copy of the event shows the bus's (see `eventsOnBus`).
      const event =
        Number(row.no_copy) === 1 && row.event_id != null
          ? await onBusEvent(String(row.event_id))
          : readJson(db, row.event);
      return { ...toArrival(row), event: event ?? null };
    },

    async findEvent(eventId) {
      const { rows } = await db.query<{ event: unknown }>(
        `SELECT event FROM webhook_arrivals WHERE event_id = $1 AND event IS NOT NULL ORDER BY id DESC LIMIT 1`,
        [eventId],
      );
      return rows[0] ? (readJson(db, rows[0].event) ?? undefined) : onBusEvent(eventId);
    },

    async latestId() {
      const { rows } = await db.query<{ id: string | null }>(`SELECT max(id) AS id FROM webhook_arrivals`);
      return String(rows[0]?.id ?? '0');
    },
  };
}
