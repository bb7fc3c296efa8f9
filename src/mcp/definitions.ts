import { jsonSchema, tool as aiTool, type ToolSet } from 'ai';
import type { AnyWixTool } from '../wix/tools/tool.js';
import { SITE_ARG, callToolForToken, type CallerToken, type McpCallDeps } from './call.js';
import { toolsInScope, type TokenScope } from './scope.js';
import { inputJsonSchema, mcpInputSchema } from './schema.js';

/** A tool as JSON, for frameworks that fetch tool definitions at runtime (`GET /api/tools`). */
export interface ToolDefinition {
  name: string;
  description: string;
  access: 'read' | 'write';
  tags: string[];
  /** Wix permission scope the tool needs, when declared. */
  permission: string | undefined;
  destructive: boolean;
  /** Safe to send again with no further effect. */
  idempotent: boolean;
  /** JSON Schema of the arguments; includes `siteId` when sites are given. */
  inputSchema: Record<string, unknown>;
}

/** The catalog's tools in a scope, as JSON definitions. */
export function toolDefinitions(
  catalog: readonly AnyWixTool[],
  scope: Pick<TokenScope, 'methods' | 'tags' | 'tools'>,
  sites: readonly string[] = [],
): ToolDefinition[] {
  return toolsInScope(catalog, scope).map((tool) => ({
    name: tool.name,
    description: tool.description,
    access: tool.access,
    tags: tool.tags,
    permission: tool.permission,
    destructive: tool.destructive === true,
    idempotent: tool.access === 'read' || tool.settle === 'repeat',
    inputSchema: sites.length ? mcpInputSchema(tool, sites, SITE_ARG) : inputJsonSchema(tool),
  }));
}

/**
 * The catalog filtered by a token's scope, as Vercel AI SDK tools (for `generateText({ tools })`).
 * Each call goes through the same guarded path as MCP: site check, validation, the site's limiter
 * within a deadline, the token's mode under the `AGENT_MODE` ceiling, idempotency and audit with
 * `mcp:<token name>` as the actor. Failures come back as `{ error }` results the model can read.
 */
export function scopedAiTools(
  deps: McpCallDeps & { catalog: readonly AnyWixTool[] },
  token: CallerToken,
): ToolSet {
  const set: ToolSet = {};
  for (const wixTool of toolsInScope(deps.catalog, token)) {
    set[wixTool.name] = aiTool({
      description: wixTool.description,
      inputSchema: jsonSchema<Record<string, unknown>>(mcpInputSchema(wixTool, token.sites, SITE_ARG)),
      execute: async (input: Record<string, unknown>, options) => {
        const outcome = await callToolForToken(deps, token, wixTool, input, {
          ...(options.abortSignal ? { signal: options.abortSignal } : {}),
        });
        return outcome.ok ? outcome.data : { error: outcome.message };
      },
    });
  }
  return set;
}
