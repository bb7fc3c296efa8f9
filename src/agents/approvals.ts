import { describeError } from '../errors.js';
import { observeRequests, type WixRequester } from '../wix/client.js';
import { runTool, type AnyWixTool } from '../wix/tools/tool.js';
import type { Audit, ToolCallRecord } from './audit.js';

export class ApprovalError extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'ApprovalError';
  }
}

/**
 * Writes parked by `approval` mode. Approving executes the write exactly as the agent asked, with the
 * same idempotency key; rejecting records the decision. Each call is decided once, even when two people
 * (or a CLI and the API) decide at the same moment.
 */
export function createApprovals(deps: {
  audit: Audit;
  client: WixRequester;
  /** Tools by name, for calls whose handler is not loaded in this process. */
  tools: readonly AnyWixTool[];
  /** The loaded handlers: a parked call runs the tool of the handler that parked it. */
  handlers?: readonly { name: string; tools: readonly AnyWixTool[] }[];
}) {
  const byName = new Map(deps.tools.map((t) => [t.name, t]));
  const toolOf = (call: ToolCallRecord) =>
    deps.handlers?.find((h) => h.name === call.handler)?.tools.find((t) => t.name === call.tool) ??
    byName.get(call.tool);

  const pendingCall = async (id: string): Promise<ToolCallRecord> => {
    const call = await deps.audit.getCall(id);
    if (!call) throw new ApprovalError(404, `no tool call ${id}`);
    if (call.status !== 'pending')
      throw new ApprovalError(409, `tool call ${id} is ${call.status}, not pending`);
    return call;
  };

  return {
    list: (limit = 100) => deps.audit.listCalls({ status: 'pending', limit }),

    async approve(id: string, by: string): Promise<ToolCallRecord> {
      const call = await pendingCall(id);
      const tool = toolOf(call);
      if (!tool) {
        throw new ApprovalError(
          409,
          `tool ${call.tool} of handler ${call.handler} is not available in this process (load its handlers module: HANDLERS_MODULE)`,
        );
      }
      if (!(await deps.audit.transition(id, 'pending', { status: 'approved', by }))) {
        throw new ApprovalError(409, `tool call ${id} was decided by someone else`);
      }
      try {
        let requestId: string | undefined;
        const client = observeRequests(deps.client, (r) => (requestId = r.requestId ?? requestId));
        const result = await runTool(
          tool,
          {
            client,
            instanceId: call.instanceId,
            ...(call.idempotencyKey ? { idempotencyKey: call.idempotencyKey } : {}),
          },
          call.arguments,
        );
        await deps.audit.transition(id, 'approved', {
          status: 'executed',
          by,
          result,
          ...(requestId ? { wixRequestId: requestId } : {}),
        });
      } catch (error) {
        await deps.audit.transition(id, 'approved', { status: 'failed', by, error: describeError(error) });
      }
      return (await deps.audit.getCall(id))!;
    },

    async reject(id: string, by: string): Promise<ToolCallRecord> {
      await pendingCall(id);
      if (!(await deps.audit.transition(id, 'pending', { status: 'rejected', by }))) {
        throw new ApprovalError(409, `tool call ${id} was decided by someone else`);
      }
      return (await deps.audit.getCall(id))!;
    },
  };
}
export type Approvals = ReturnType<typeof createApprovals>;
