import type { Logger } from 'pino';
import type { WixRequester } from '../wix/client.js';
import type { AnyWixTool } from '../wix/tools/tool.js';
import type { Audit, ToolCallRecord } from './audit.js';
import type { Journal } from './journal.js';
import type { AgentMetrics } from './metrics.js';
import { writeRefOf } from './run-call.js';
import { sendWrite, settle, type JournalledWrite, type SendDeps } from './send.js';

export class ApprovalError extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'ApprovalError';
  }
}

/** The decisions a person can take on a waiting write. */
export type ApprovalAction = 'approve' | 'reject' | 'done' | 'resend';

export interface ApprovalsDeps {
  audit: Audit;
  journal: Journal;
  client: WixRequester;
  /** Tools by name, for calls whose handler is not loaded in this process. */
  tools: readonly AnyWixTool[];
  /** The loaded handlers: a parked call runs the tool of the handler that parked it. */
  handlers?: readonly { name: string; tools: readonly AnyWixTool[] }[];
  /** Bound of one approved send (limiter waits, retries). Default 60_000. */
  timeoutMs?: number;
  logger?: Logger;
  metrics?: AgentMetrics;
}

/**
 * Writes waiting for a person: `pending` (parked by approval mode) and `unknown` (outcome unknown,
 * parked by the runner or recovery). Each is decided once, even when two people (or a CLI and the
 * API) decide at the same moment:
 * - approve (pending): sent through the write journal like any write; a crash mid-send leaves it
 *   `started` with a dead owner, settled on the next start (see `recoverOrphans`).
 * - resend (unknown): a person checked Wix and found it missing: sent again, the same way.
 * - done (unknown): a person checked Wix and found it applied: recorded as executed.
 * - reject (pending or unknown): not sent (again).
 */
export function createApprovals(deps: ApprovalsDeps) {
  const byName = new Map(deps.tools.map((t) => [t.name, t]));
  const toolOf = (call: ToolCallRecord) =>
    deps.handlers?.find((h) => h.name === call.handler)?.tools.find((t) => t.name === call.tool) ??
    byName.get(call.tool);
  const send: SendDeps = {
    journal: deps.journal,
    client: deps.client,
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  };

  const waiting = async (id: string, allowed: ToolCallRecord['status'][]): Promise<ToolCallRecord> => {
    const call = await deps.audit.getCall(id);
    if (!call) throw new ApprovalError(404, `no tool call ${id}`);
    if (!allowed.includes(call.status)) {
      throw new ApprovalError(409, `tool call ${id} is ${call.status}, not ${allowed.join(' or ')}`);
    }
    return call;
  };
  const decidedElsewhere = (id: string) =>
    new ApprovalError(409, `tool call ${id} was decided by someone else`);

  const sendNow = async (id: string, from: 'pending' | 'unknown', by: string) => {
    const call = await waiting(id, [from]);
    const tool = toolOf(call);
    if (!tool) {
      throw new ApprovalError(
        409,
        `tool ${call.tool} of handler ${call.handler} is not available in this process (load its handlers module: HANDLERS_MODULE)`,
      );
    }
    if (!(await deps.journal.claim(id, from, by))) throw decidedElsewhere(id);
    const write: JournalledWrite = {
      id,
      tool,
      input: call.arguments,
      instanceId: call.instanceId,
      writeRef: writeRefOf(call.idempotencyKey ?? id),
    };
    const timeoutMs = deps.timeoutMs ?? 60_000;
    await sendWrite(send, write, {
      signal: AbortSignal.timeout(timeoutMs),
      deadline: Date.now() + timeoutMs,
      by,
    });
    return (await deps.audit.getCall(id))!;
  };

  return {
    list: (limit = 100) => deps.audit.listCalls({ status: ['pending', 'unknown'], limit }),
    approve: (id: string, by: string) => sendNow(id, 'pending', by),
    resend: (id: string, by: string) => sendNow(id, 'unknown', by),

    async done(id: string, by: string): Promise<ToolCallRecord> {
      await waiting(id, ['unknown']);
      const marked = await deps.audit.transition(id, 'unknown', {
        status: 'executed',
        by,
        error: 'a person found it applied in Wix',
      });
      if (!marked) throw decidedElsewhere(id);
      return (await deps.audit.getCall(id))!;
    },

    async reject(id: string, by: string): Promise<ToolCallRecord> {
      const call = await waiting(id, ['pending', 'unknown']);
      if (!(await deps.audit.transition(id, call.status, { status: 'rejected', by }))) {
        throw decidedElsewhere(id);
      }
      return (await deps.audit.getCall(id))!;
    },

    /**
     * Settles `started` writes whose owner is gone (a crash mid-write, in a run or an approval): each is
     * taken over, then looked up in Wix or parked as `unknown`, as its tool declares. Runs at worker
     * start and then every owner TTL. Returns how many it settled.
     */
    async recoverOrphans(): Promise<number> {
      let settled = 0;
      for (const row of await deps.journal.orphans()) {
        if (!(await deps.journal.claim(row.id, 'started'))) continue;
        const tool = byName.get(row.tool);
        const timeoutMs = deps.timeoutMs ?? 60_000;
        const scope = { signal: AbortSignal.timeout(timeoutMs), deadline: Date.now() + timeoutMs };
        const reason = 'its process stopped while it was in flight';
        if (!tool) {
          await deps.journal.finish(row.id, {
            status: 'unknown',
            error: `outcome unknown: ${reason}; tool ${row.tool} is not available here to look it up. Check Wix, then mark it done or send it again.`,
          });
        } else {
          const write: JournalledWrite = {
            id: row.id,
            tool,
            input: row.arguments,
            instanceId: row.instanceId,
            writeRef: writeRefOf(row.idempotencyKey ?? row.id),
          };
          await settle(send, write, scope, reason);
        }
        settled += 1;
      }
      return settled;
    },
  };
}
export type Approvals = ReturnType<typeof createApprovals>;
