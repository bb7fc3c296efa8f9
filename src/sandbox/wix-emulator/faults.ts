/** Which header an emulated 429 carries. Wix documents none (wix-reference.md, section E). */
export type RetryAfterStyle = 'none' | 'seconds' | 'http-date' | 'ratelimit-reset';

/** Trouble to inject. Each field is one kind of fault; several may be set at once. */
export interface WixFault {
  /** Only requests for this site. Default every site. */
  instanceId?: string;
  /** Only paths equal to (string) or matching (RegExp) this. Default every API path. */
  path?: string | RegExp;
  /** The next N matching requests answer 5xx with Wix's empty envelope. */
  serverErrors?: number;
  /** Status of those answers. Default 503. */
  serverErrorStatus?: number;
  /** The next N matching requests get their connection closed without an answer. */
  dropConnections?: number;
  /** Every matching request is answered this much later (until `clearFaults`). */
  latencyMs?: number;
  /** For this many ms from now, every matching request is refused with 429. */
  rateLimitStormMs?: number;
  /** Header on the storm's 429s. Default `none`. */
  retryAfter?: RetryAfterStyle;
  /**
   * The next N matching writes are applied, then answered `lateAnswerMs` later (Wix applied it; the
   * client may have given up waiting).
   */
  lateAnswers?: number;
  /** Delay of those answers. Default 25_000. */
  lateAnswerMs?: number;
  /** The next N matching writes are applied, then answered 5xx (`serverErrorStatus`, default 503). */
  serverErrorsAfterApply?: number;
  /** The next N matching writes are applied, then their connection is reset with no answer. */
  resetsAfterApply?: number;
  /**
   * The next N matching writes are applied, then answered 200 with `{}`: a 2xx answer without the fields
   * the client reads (as an answer whose shape Wix changed would be). Applied all the same.
   */
  unreadableAnswersAfterApply?: number;
  /**
   * The next N matching writes are applied, then their answers are held until released
   * (`WixEmulator.releaseHeld()` or `POST /_emulator/release`): a write in flight for as long as a test needs.
   */
  holdAnswers?: number;
}

/** What happens to a write's answer after the route applied it. */
export type AfterApply =
  | { kind: 'late'; delayMs: number }
  | { kind: 'held' }
  | { kind: 'server-error'; status: number }
  | { kind: 'reset' }
  | { kind: 'unreadable' };

export type FaultAction =
  | { kind: 'storm'; untilMs: number; retryAfter: RetryAfterStyle }
  | { kind: 'drop' }
  | { kind: 'server-error'; status: number };

interface ActiveFault extends WixFault {
  stormUntil: number | undefined;
}

export class Faults {
  private active: ActiveFault[] = [];

  add(fault: WixFault, now: number): void {
    this.active.push({
      ...fault,
      stormUntil: fault.rateLimitStormMs ? now + fault.rateLimitStormMs : undefined,
    });
  }

  clear(): void {
    this.active = [];
  }

  /** Decides what happens to a request, using up counted faults. */
  decide(
    instanceId: string | undefined,
    path: string,
    now: number,
    write = false,
  ): { latencyMs: number; action?: FaultAction; afterApply?: AfterApply } {
    let latencyMs = 0;
    let action: FaultAction | undefined;
    let afterApply: AfterApply | undefined;
    for (const fault of this.active) {
      if (!matches(fault, instanceId, path)) continue;
      latencyMs += fault.latencyMs ?? 0;
      if (action) continue;
      if (fault.stormUntil !== undefined && now < fault.stormUntil) {
        action = { kind: 'storm', untilMs: fault.stormUntil, retryAfter: fault.retryAfter ?? 'none' };
      } else if (fault.dropConnections) {
        fault.dropConnections -= 1;
        action = { kind: 'drop' };
      } else if (fault.serverErrors) {
        fault.serverErrors -= 1;
        action = { kind: 'server-error', status: fault.serverErrorStatus ?? 503 };
      }
    }
    // A write refused before it reaches a route (429, 5xx, drop) is not applied: no after-apply fault.
    for (const fault of write && !action ? this.active : []) {
      if (afterApply) break;
      if (!matches(fault, instanceId, path)) continue;
      afterApply = takeAfterApply(fault);
    }
    this.active = this.active.filter(
      (f) =>
        f.latencyMs ||
        f.dropConnections ||
        f.serverErrors ||
        f.lateAnswers ||
        f.serverErrorsAfterApply ||
        f.resetsAfterApply ||
        f.unreadableAnswersAfterApply ||
        f.holdAnswers ||
        (f.stormUntil !== undefined && now < f.stormUntil),
    );
    return { latencyMs, action, ...(afterApply ? { afterApply } : {}) };
  }
}

function matches(fault: WixFault, instanceId: string | undefined, path: string): boolean {
  if (fault.instanceId && fault.instanceId !== instanceId) return false;
  if (fault.path === undefined) return true;
  return typeof fault.path === 'string' ? fault.path === path : fault.path.test(path);
}

/** Uses up one after-apply fault of `fault`, if it has one left. */
function takeAfterApply(fault: ActiveFault): AfterApply | undefined {
  if (fault.lateAnswers) {
    fault.lateAnswers -= 1;
    return { kind: 'late', delayMs: fault.lateAnswerMs ?? 25_000 };
  }
  if (fault.holdAnswers) {
    fault.holdAnswers -= 1;
    return { kind: 'held' };
  }
  if (fault.serverErrorsAfterApply) {
    fault.serverErrorsAfterApply -= 1;
    return { kind: 'server-error', status: fault.serverErrorStatus ?? 503 };
  }
  if (fault.resetsAfterApply) {
    fault.resetsAfterApply -= 1;
    return { kind: 'reset' };
  }
  if (fault.unreadableAnswersAfterApply) {
    fault.unreadableAnswersAfterApply -= 1;
    return { kind: 'unreadable' };
  }
  return undefined;
}

/** Headers telling a client to wait `ms`, in the given style. */
export function retryHeaders(style: RetryAfterStyle, ms: number, now: number): Record<string, string> {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (style === 'seconds') return { 'retry-after': String(seconds) };
  // HTTP dates have whole seconds: round up so the date is never before the end of the wait.
  if (style === 'http-date')
    return { 'retry-after': new Date(Math.ceil((now + ms) / 1000) * 1000).toUTCString() };
  if (style === 'ratelimit-reset') return { 'ratelimit-reset': String(seconds) };
  return {};
}
