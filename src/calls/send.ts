import type { Logger } from 'pino';
import { describeError } from '../errors.js';
import { WixApiError, isOutcomeUnknown } from '../wix/errors.js';
import { observeRequests, type ObservedRequest, type WixRequester } from '../wix/client.js';
import { runTool, type AnyWixTool, type ToolContext } from '../wix/tools/tool.js';
import type { CommitOptions } from '../store/port.js';
import type { Journal } from './journal.js';
import type { AgentMetrics } from './metrics.js';

/** What sending and settling a write needs: the same for agent runs, approvals and recovery. */
export interface SendDeps {
  journal: Journal;
  client: WixRequester;
  logger?: Logger;
  metrics?: AgentMetrics;
  /** How a write's outcome commits (`Journal.finish`): a run's `runRecords`; default synced. */
  outcomes?: CommitOptions;
}

/** One journalled write, `started` and owned by `deps.journal.owner`. */
export interface JournalledWrite {
  id: string;
  tool: AnyWixTool;
  /** Arguments as recorded (validated again before sending). */
  input: unknown;
  instanceId: string;
  /** A short reference of the write (from its key) that a tool may put in what it writes, to find it later. */
  writeRef: string;
}

/** How a write ended, as far as we know. */
export type Sent =
  | { kind: 'executed'; result: unknown; requestId?: string; by?: string }
  | { kind: 'failed'; error: unknown }
  | { kind: 'unknown'; note: string };

/** Bounds of one send: the run's (or the approval's) signal and deadline. */
export interface SendScope {
  signal?: AbortSignal;
  deadline?: number;
  /** Who decided the send (a person, for approvals); recorded on the row. */
  by?: string;
}

/**
 * Sends a journalled write once, renewing its owner while in flight (until `scope.deadline`), and
 * records the outcome. A write whose outcome the client could not learn is settled (`settle`), never
 * re-sent blindly. So is one that failed after Wix applied a write request of it (answered 2xx), e.g.
 * an answer without the fields the tool reads, or a read after it refused: recorded `failed`, it would
 * hold no idempotency key and could be sent again. A tool stopped by a refused write request (4xx) has
 * failed: a multi-request tool's earlier writes are its own get-or-create steps (see `WixTool.execute`).
 */
export function sendWrite(deps: SendDeps, write: JournalledWrite, scope: SendScope): Promise<Sent> {
  return send(deps, write, scope, false);
}

/** `sendWrite`; `repeated`: this send is the one repeat `settle` allows (see `WixTool.settle`). */
async function send(
  deps: SendDeps,
  write: JournalledWrite,
  scope: SendScope,
  repeated: boolean,
): Promise<Sent> {
  let requestId: string | undefined;
  /** The last write request of this send that Wix answered 2xx: once there is one, something was applied. */
  let applied: ObservedRequest | undefined;
  /** Whether the last request of this send was a write Wix refused or never got (the tool stopped at it). */
  let refusedWrite = false;
  const client = observeRequests(deps.client, (r) => {
    requestId = r.requestId ?? requestId;
    const ok = r.status >= 200 && r.status < 300;
    refusedWrite = r.write && !ok;
    if (r.write && ok) applied = r;
  });
  const ctx: ToolContext = { client, instanceId: write.instanceId, writeRef: write.writeRef, ...scope };
  const renewEvery = Math.max(50, Math.floor(deps.journal.owner.ttlMs / 3));
  const renewal = setInterval(() => {
    // Alive only until the send's deadline: a send stuck past it (a wait that ignores the signal) lets its
    // row become an orphan within the TTL, so a run waiting for it (WRITE_IN_FLIGHT) waits a bounded time.
    if (scope.deadline !== undefined && Date.now() > scope.deadline) return clearInterval(renewal);
    deps.journal.renew(write.id).catch((error: unknown) => {
      deps.logger?.warn({ err: error, callId: write.id }, 'could not renew the write owner');
    });
  }, renewEvery);
  const started = performance.now();
  const durationMs = () => Math.round(performance.now() - started);
  try {
    const result = await runTool(write.tool, ctx, write.input);
    await record(deps, write, {
      status: 'executed',
      result,
      wixRequestId: requestId ?? null,
      durationMs: durationMs(),
      ...(scope.by ? { by: scope.by } : {}),
    });
    return { kind: 'executed', result, ...(requestId ? { requestId } : {}) };
  } catch (error) {
    if (isOutcomeUnknown(error) && scope.signal?.aborted) {
      // Stopped mid-flight (deadline, shutdown): the row stays `started`; once this owner stops renewing
      // it, recovery looks it up with a fresh deadline (see `Approvals.recoverOrphans`).
      return { kind: 'unknown', note: 'stopped while in flight; recovery will settle it' };
    }
    if (isOutcomeUnknown(error)) {
      const when = new Date(error.sentAt).toISOString();
      const id = error.requestId ?? requestId;
      return settleAfter(
        deps,
        write,
        scope,
        `${error.message} (sent ${when}${id ? `, Wix request id ${id}` : ''})`,
        repeated,
      );
    }
    // Failed after Wix applied a write of it (its answer unreadable, a read after it refused, the tool's
    // own code): what Wix applied is not undone by calling it failed. A tool stopped by a refused write
    // keeps `failed`, as before: its earlier writes are get-or-create steps (label_contact's label).
    if (applied && !refusedWrite) {
      const id = applied.requestId ? `, Wix request id ${applied.requestId}` : '';
      return settleAfter(
        deps,
        write,
        scope,
        `Wix applied ${applied.method} ${applied.path} (answered ${applied.status}${id}), then the call failed: ${describeError(error)}`,
        repeated,
      );
    }
    await record(deps, write, {
      status: 'failed',
      error: describeError(error),
      wixRequestId: (error instanceof WixApiError ? error.requestId : undefined) ?? requestId ?? null,
      durationMs: durationMs(),
      ...(scope.by ? { by: scope.by } : {}),
    });
    return { kind: 'failed', error };
  } finally {
    clearInterval(renewal);
  }
}

/**
 * Settles a write whose outcome is unknown, as its tool declares (`WixTool.settle`):
 * - `repeat`: harmless to apply twice (labels are a set): sent once more; if that outcome is unknown
 *   too, parked (never sent over and over until the deadline).
 * - `reconcile`: looked up in Wix (`WixTool.reconcile`); found → executed; not found or the lookup
 *   failed → parked (a lookup may lag behind a write, so absence is not proof).
 * - `park` (default): parked as `unknown` for a person, with what we know.
 */
export function settle(
  deps: SendDeps,
  write: JournalledWrite,
  scope: SendScope,
  reason: string,
): Promise<Sent> {
  return settleAfter(deps, write, scope, reason, false);
}

/** `settle`; `repeated`: the unknown outcome is that of the one repeat already made. */
async function settleAfter(
  deps: SendDeps,
  write: JournalledWrite,
  scope: SendScope,
  reason: string,
  repeated: boolean,
): Promise<Sent> {
  const how = write.tool.settle ?? (write.tool.reconcile ? 'reconcile' : 'park');
  const count = (outcome: string) =>
    deps.metrics?.writeSettlements.inc({ tool: write.tool.name, how: outcome });
  if (how === 'repeat' && !repeated && !scope.signal?.aborted) {
    count('repeated');
    return send(deps, write, { ...scope, by: scope.by ?? 'system' }, true);
  }
  let lookup = repeated ? 'sent again once (its tool says that is harmless); still unknown' : 'not looked up';
  if (how === 'reconcile' && write.tool.reconcile && !scope.signal?.aborted) {
    try {
      const ctx: ToolContext = {
        client: deps.client,
        instanceId: write.instanceId,
        writeRef: write.writeRef,
        ...scope,
      };
      const parsed = write.tool.input.safeParse(write.input);
      const found = parsed.success ? await write.tool.reconcile(ctx, parsed.data) : undefined;
      if (found !== undefined) {
        count('reconciled');
        await record(deps, write, { status: 'executed', result: found, by: 'reconcile' });
        return { kind: 'executed', result: found, by: 'reconcile' };
      }
      lookup = 'looked up in Wix: not found (a lookup may lag behind a write)';
    } catch (error) {
      lookup = `lookup in Wix failed: ${describeError(error)}`;
    }
  }
  count('parked');
  const note = `outcome unknown: ${reason}; ${lookup}. Check Wix, then mark it done or send it again.`;
  await record(deps, write, { status: 'unknown', error: note.slice(0, 2000) });
  return { kind: 'unknown', note };
}

async function record(
  deps: SendDeps,
  write: JournalledWrite,
  outcome: Parameters<Journal['finish']>[1],
): Promise<void> {
  if (await deps.journal.finish(write.id, outcome, deps.outcomes)) return;
  // Another process settled this write after our owner looked gone: log and count, never silent.
  deps.metrics?.orphanCompletions.inc({ tool: write.tool.name });
  deps.logger?.error(
    { callId: write.id, tool: write.tool.name, outcome: outcome.status, owner: deps.journal.owner.id },
    'write outcome matched no journal row owned by this process',
  );
}
