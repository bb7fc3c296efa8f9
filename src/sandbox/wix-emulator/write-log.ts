import { EventEmitter } from 'node:events';

/** How the emulator answered a write after deciding what to do with it. */
export type WriteAnswer =
  /** Answered at once. */
  | 'answered'
  /** Applied, then answered after an injected delay (the client may have given up). */
  | 'late'
  /** Applied, then answered only when the test released it (`holdAnswers`). */
  | 'held'
  /** Applied, then answered 5xx (`lateAnswers` and friends in `WixFault`). */
  | 'server-error-after-apply'
  /** Applied, then the connection was reset with no answer. */
  | 'reset-after-apply'
  /** Applied, then answered 200 with a body that has none of the fields a client reads (`{}`). */
  | 'unreadable-after-apply'
  /** Refused before any route ran (429, injected 5xx, dropped connection, auth): nothing applied. */
  | 'refused';

/**
 * One write request the emulator received: what it asked for and whether it took effect. The truth a
 * test asserts on is `applied`, not the HTTP status the client saw: with the after-apply faults the
 * two differ on purpose, as they do on the real Wix API.
 */
export interface WriteEntry {
  seq: number;
  /** Epoch ms of arrival. */
  time: number;
  method: string;
  path: string;
  instanceId: string | undefined;
  /** `x-wix-request-id` sent back (or that would have been). */
  requestId: string;
  body: unknown;
  /** True once a route changed the emulator's data (a 2xx from the route itself). */
  applied: boolean;
  /** Status the route produced (before any after-apply fault); 0 while in progress. */
  routeStatus: number;
  answer: WriteAnswer | 'pending';
}

/**
 * The emulator's write log: every write request, with whether it was applied. Also served over HTTP
 * (`GET /_emulator/writes`) so tests in other processes can read it.
 */
export class WriteLog {
  readonly entries: WriteEntry[] = [];
  readonly events = new EventEmitter();

  constructor(private readonly max = 50_000) {
    this.events.setMaxListeners(0);
  }

  add(entry: WriteEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
  }

  /** Marks the entry as decided and tells listeners. */
  settle(entry: WriteEntry, answer: WriteAnswer): void {
    if (entry.answer !== 'pending') return;
    entry.answer = answer;
    this.events.emit('write', entry);
  }

  /** Writes that took effect, optionally only those matching `predicate`. */
  applied(predicate: (entry: WriteEntry) => boolean = () => true): WriteEntry[] {
    return this.entries.filter((e) => e.applied && predicate(e));
  }

  clear(): void {
    this.entries.length = 0;
  }
}
