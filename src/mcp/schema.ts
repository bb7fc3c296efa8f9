import { z } from 'zod';
import type { AnyWixTool } from '../wix/tools/tool.js';

/** JSON Schema (draft 2020-12) of a tool's input, as clients send it (defaults make fields optional). */
export type InputJsonSchema = {
  type: 'object';
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
  [key: string]: unknown;
};

const cache = new WeakMap<AnyWixTool, InputJsonSchema>();

/** The tool's input schema, built once from its zod input. */
export function inputJsonSchema(tool: AnyWixTool): InputJsonSchema {
  let schema = cache.get(tool);
  if (!schema) {
    const json = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >;
    delete json.$schema;
    schema = { ...json, type: 'object' } as InputJsonSchema;
    cache.set(tool, schema);
  }
  return schema;
}

/**
 * The schema an MCP client sees: the tool's own, plus `siteId` (the instance id to act on), required
 * when the token has several sites and listing them as an enum.
 */
export function mcpInputSchema(tool: AnyWixTool, sites: readonly string[], siteArg: string): InputJsonSchema {
  const base = inputJsonSchema(tool);
  const site = {
    type: 'string',
    enum: [...sites],
    description:
      sites.length === 1
        ? 'The site (Wix instance id). Optional: this token has one site.'
        : 'The site (Wix instance id) to act on: one of the enum values.',
  };
  return {
    ...base,
    properties: { ...base.properties, [siteArg]: site },
    ...(sites.length > 1 ? { required: [...(base.required ?? []), siteArg] } : {}),
  };
}

/**
 * Lowers a numeric `limit` above the tool's maximum to that maximum, so a request for 10,000 items
 * gets one page instead of an error. Returns the note to add to the answer when it did.
 */
export function clampLimit(
  tool: AnyWixTool,
  args: Record<string, unknown>,
): { args: Record<string, unknown>; note?: string } {
  const max = inputJsonSchema(tool).properties?.limit?.maximum;
  if (typeof max !== 'number' || typeof args.limit !== 'number' || args.limit <= max) return { args };
  return {
    args: { ...args, limit: max },
    note: `limit lowered from ${args.limit} to ${max} (one page); use the cursor for more`,
  };
}
