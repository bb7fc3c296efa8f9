import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { AnyWixTool } from '../wix/tools/tool.js';
import { SITE_ARG, callToolForToken, type CallerToken, type McpCallDeps } from './call.js';
import { missingScope, toolsInScope } from './scope.js';
import { mcpInputSchema } from './schema.js';

/** The name and version the server announces. */
export const SERVER_INFO = { name: 'wix-event-agent', version: '0.1.0' } as const;

/** `_meta` key a client may set on `tools/call` to choose the write's idempotency key itself. */
export const IDEMPOTENCY_META_KEY = 'wix-event-agent/idempotencyKey';

/** MCP's description of a tool for this token: schema with `siteId`, honest hints. */
export function mcpToolDefinition(tool: AnyWixTool, token: Pick<CallerToken, 'sites'>): Tool {
  const read = tool.access === 'read';
  return {
    name: tool.name,
    description: `${tool.description}${tool.permission ? ` (Wix permission: ${tool.permission})` : ''}`,
    inputSchema: mcpInputSchema(tool, token.sites, SITE_ARG),
    annotations: {
      readOnlyHint: read,
      // Hints about writes only mean something when readOnlyHint is false.
      ...(read
        ? {}
        : { destructiveHint: tool.destructive === true, idempotentHint: tool.settle === 'repeat' }),
      openWorldHint: true,
    },
  };
}

const text = (value: unknown): CallToolResult['content'] => [
  { type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value) },
];

/**
 * An MCP server for one authenticated token: `tools/list` shows only the tools in its scope, and
 * `tools/call` runs them through `callToolForToken`. Failures are tool results with `isError` and a
 * short message, so the model can act on them.
 */
export function createMcpServer(
  deps: McpCallDeps & { catalog: readonly AnyWixTool[] },
  token: CallerToken,
): Server {
  const server = new Server(SERVER_INFO, {
    capabilities: { tools: {} },
    instructions:
      'Tools act on Wix sites through a scoped token. Results are compact JSON. Writes may be simulated (dry-run) ' +
      'or parked for a person (pending_approval with an approvalId): tell the user, do not retry them.',
  });
  const allowed = toolsInScope(deps.catalog, token);
  const byName = new Map(deps.catalog.map((t) => [t.name, t]));

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: allowed.map((tool) => mcpToolDefinition(tool, token)),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const tool = byName.get(request.params.name);
    if (!tool) return { isError: true, content: text(`unknown tool ${request.params.name.slice(0, 100)}`) };
    if (!allowed.includes(tool)) {
      // Recorded in the audit by callToolForToken, which refuses it before any Wix request.
      const refused = await callToolForToken(deps, token, tool, request.params.arguments);
      return {
        isError: true,
        content: text(refused.ok ? `out of scope: ${missingScope(tool, token)}` : refused.message),
      };
    }
    const key = request.params._meta?.[IDEMPOTENCY_META_KEY];
    const outcome = await callToolForToken(deps, token, tool, request.params.arguments, {
      signal: extra.signal,
      ...(typeof key === 'string' && key.length > 0 && key.length <= 200 ? { clientKey: key } : {}),
    });
    return outcome.ok ? { content: text(outcome.data) } : { isError: true, content: text(outcome.message) };
  });
  return server;
}
