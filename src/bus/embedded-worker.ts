import { randomUUID } from 'node:crypto';
import { busEventSchema, type BusEvent, type EventType } from '../domain/events.js';
import type { Topics } from '../domain/topics.js';
import { describeError } from '../errors.js';
import { isEmbedded, type Store } from '../store/port.js';
import { workerLeases, type ClaimedRow, type WorkerLeases } from './embedded-leases.js';
import type { QueueNews } from './embedded-news.js';
import { decideFailure } from './failure-policy.js';
import type { DeliveryHandler, NewDeadLetter, SubscribeOptions, Subscription } from './port.js';

/** What every worker of one embedded bus shares (see `EmbeddedBusOptions` for the durations). */
export interface WorkerSettings {
  store: Store;
  topics: Topics;
  news: QueueNews;
  /** An embedded store belongs to this process alone: it knows when rows become claimable. */
  hinted: boolean;
  pollIntervalMs: number;
  sweepMs: number;
  leaseMs: number;
  closeGraceMs: number;
  /** Called when the worker's loop hits an unexpected error (it keeps going). */
  onError(error: unknown): void;
  /** Called for each dead letter stored. */
  onDeadLetter(reason: NewDeadLetter['reason']): void;
}

/**
 * Starts a subscriber of the embedded bus: it leases the oldest pending event of each key of `types`,
 * up to `concurrency` keys at a time, and hands each to `handler` (see `createEmbeddedBus`).
 */
export function startWorker(
  settings: WorkerSettings,
  types: readonly EventType[],
  handler: DeliveryHandler,
  subscribeOptions: SubscribeOptions,
): Subscription {
  const worker = new EmbeddedWorker(settings, types, handler, subscribeOptions);
  worker.start();
  return { close: () => worker.close() };
}

class EmbeddedWorker {
  private readonly leases: WorkerLeases;
  private readonly concurrency: number;
  private readonly inFlight = new Map<string, Promise<void>>(); // key -> running delivery
  private readonly abort = new AbortController();
  private closing = false;
  private timer: NodeJS.Timeout | undefined;
  private pumping = false;
  private pumpAgain = false;
  // Embedded store: the news generation at which a claim last came back short (nothing else claimable then),
  // and when this worker last claimed. A claim is worth a statement only after news, or at a sweep.
  private emptyAt = -1;
  private lastClaimAt = 0;
  private stopListening = () => {};

  constructor(
    private readonly s: WorkerSettings,
    types: readonly EventType[],
    private readonly handler: DeliveryHandler,
    private readonly subscribeOptions: SubscribeOptions,
  ) {
    const workerId = randomUUID();
    const topicNames = types.map((t) => s.topics.forType(t));
    this.concurrency = subscribeOptions.concurrency ?? 4;
    this.leases = workerLeases({
      store: s.store,
      news: s.news,
      workerId,
      topicNames,
      leaseMs: s.leaseMs,
      onDeadLetter: s.onDeadLetter,
    });
  }

  /** Listens for news, frees the leases a killed process left (embedded store), then claims and polls. */
  start(): void {
    const { store } = this.s;
    this.stopListening = this.s.news.listen(() => void this.pump());
    // The embedded store belongs to this process alone: leases left by a killed process can go now.
    const start = isEmbedded(store)
      ? store
          .query(`UPDATE bus_events SET locked_by = NULL, locked_until = NULL WHERE status = 'pending'`)
          .catch((error) => this.s.onError(error))
      : Promise.resolve();
    void start.then(() => {
      void this.pump();
      this.schedule();
    });
  }

  /**
   * Stops claiming and lets the deliveries in flight finish (aborted after `closeGraceMs`); a claim
   * still under way gives its rows back (see `pump`).
   */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.stopListening();
    if (this.timer) clearTimeout(this.timer);
    const all = Promise.allSettled([...this.inFlight.values()]);
    const grace = setTimeout(() => this.abort.abort(new Error('subscription closing')), this.s.closeGraceMs);
    await all;
    clearTimeout(grace);
    // A pump may still be waiting on a claim; let it settle so nothing stays leased.
    while (this.pumping) await new Promise((r) => setTimeout(r, 5));
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private worthClaiming(): boolean {
    const { hinted, news, sweepMs } = this.s;
    return !hinted || this.emptyAt !== news.generation || Date.now() - this.lastClaimAt >= sweepMs;
  }

  private schedule(): void {
    if (this.closing) return;
    this.timer = setTimeout(async () => {
      await this.pump();
      this.schedule();
    }, this.s.pollIntervalMs);
  }

  /** Claims rows while there is room and it is worth a statement, and starts delivering each. */
  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    const { news, hinted } = this.s;
    try {
      do {
        this.pumpAgain = false;
        while (!this.closing && this.inFlight.size < this.concurrency && this.worthClaiming()) {
          const limit = this.concurrency - this.inFlight.size;
          const seen = news.generation;
          this.lastClaimAt = Date.now();
          const rows = await this.leases.claim(limit, [...this.inFlight.keys()]);
          // An embedded store runs one statement at a time: a short claim left nothing claimable as of `seen`.
          if (rows.length < limit) this.emptyAt = seen;
          if (this.closing) {
            await Promise.all(
              rows.map((r) => this.leases.release(Number(r.seq), 0, 'released at shutdown', false)),
            );
            if (rows.length > 0) news.announce();
            break;
          }
          for (const row of rows) this.track(row);
          if (rows.length === 0 || (hinted && rows.length < limit)) break;
        }
      } while (this.pumpAgain && !this.closing);
    } catch (error) {
      this.emptyAt = -1; // a failed claim learnt nothing: the next poll tries again
      this.s.onError(error);
    } finally {
      this.pumping = false;
    }
  }

  /** Delivers a claimed row; its key stays in flight until the delivery settles. */
  private track(row: ClaimedRow): void {
    const settled = (more: boolean) => {
      this.inFlight.delete(row.key);
      // Announced only now that the key is out of flight, so a claim it prompts can take the key.
      if (more) this.s.news.announce();
      if (!this.closing) void this.pump();
    };
    const run = this.deliver(row)
      .catch((error) => {
        this.s.onError(error);
        return true; // the row's state is not known: look again
      })
      .then(settled, () => settled(true));
    this.inFlight.set(row.key, run);
  }

  /** Runs one claimed row; resolves whether its key may have a row claimable now (news to announce). */
  private async deliver(row: ClaimedRow): Promise<boolean> {
    const { leases, abort } = this;
    const { leaseMs } = this.s;
    const seq = Number(row.seq);
    const attempt = Number(row.attempts);
    const parsed = busEventSchema.safeParse(
      typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload,
    );
    if (!parsed.success) {
      return leases.bury(row, {
        reason: 'unparsable',
        error: parsed.error.message.slice(0, 2000),
        attempts: attempt,
        eventId: row.event_id,
        instanceId: row.key,
        payload: row.payload,
        headers: { topic: row.topic },
      });
    }
    const event: BusEvent = parsed.data;
    // The claim has just set the lease: the first extension is due a beat from now, not at once.
    let lastBeat = Date.now();
    const heartbeat = async () => {
      if (Date.now() - lastBeat < Math.min(1000, leaseMs / 3)) return;
      lastBeat = Date.now();
      await leases.extendLease(seq);
    };
    const beat = setInterval(() => void heartbeat().catch(() => {}), Math.max(50, leaseMs / 3));
    try {
      await this.handler({ event, attempt, signal: abort.signal, heartbeat });
      clearInterval(beat);
      const more = await leases.finish(seq);
      this.subscribeOptions.onSettled?.({ event, attempt, outcome: 'handled' });
      return more;
    } catch (error) {
      clearInterval(beat);
      if (abort.signal.aborted) {
        // Shutting down: give the event back without counting this attempt.
        return leases.release(seq, 0, describeError(error), false);
      }
      return this.fail(row, event, attempt, error);
    }
  }

  /** A failed delivery by the failure policy's verdict: released for a retry, or buried; then announced. */
  private async fail(row: ClaimedRow, event: BusEvent, attempt: number, error: unknown): Promise<boolean> {
    const decision = decideFailure(error, attempt, this.subscribeOptions);
    const more =
      decision.action === 'retry'
        ? await this.leases.release(Number(row.seq), decision.delayMs, decision.error, decision.counted)
        : await this.leases.bury(row, {
            reason: decision.reason,
            error: decision.error,
            attempts: attempt,
            eventId: event.id,
            type: event.type,
            instanceId: event.instanceId,
            payload: event,
            headers: { topic: row.topic },
          });
    this.subscribeOptions.onSettled?.({
      event,
      attempt,
      outcome: decision.action,
      error: decision.error,
      decision,
    });
    return more;
  }
}
