import { jsonSchema, tool, type Schema, type ToolSet } from 'ai';
import { z } from 'zod';
import { nullableOptionals, withoutNulls } from '../wix/tools/nulls.js';
import type { AnyWixTool } from '../wix/tools/tool.js';
import type { RunContext } from '../calls/context.js';
import { runCall } from '../calls/run-call.js';

/**
 * Each tool's schema for the model, built once: its JSON Schema says every optional argument may be
 * `null` ("not given"), and validation drops such nulls before the tool's zod schema parses them.
 */
const schemas = new WeakMap<AnyWixTool, Schema<Record<string, unknown>>>();
function schemaOf(wixTool: AnyWixTool): Schema<Record<string, unknown>> {
  let schema = schemas.get(wixTool);
  if (!schema) {
    const json = nullableOptionals(
      z.toJSONSchema(wixTool.input, { io: 'input', target: 'draft-7', unrepresentable: 'any' }) as Record<
        string,
        unknown
      >,
    );
    schema = jsonSchema<Record<string, unknown>>(json as Parameters<typeof jsonSchema>[0], {
      validate: (value) => {
        const parsed = wixTool.input.safeParse(withoutNulls(wixTool.input, value));
        return parsed.success
          ? { success: true, value: parsed.data as Record<string, unknown> }
          : { success: false, error: parsed.error };
      },
    });
    schemas.set(wixTool, schema);
  }
  return schema;
}

/**
 * The tools offered to the model: only the handler's, each run through `runCall`. A model may ask for
 * several writes in one step; they run one at a time so that the dedupe and write-count checks of one
 * see the records of the others. Reads run concurrently.
 */
export function offeredTools(ctx: RunContext): ToolSet {
  const set: ToolSet = {};
  let writes: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = writes.then(work, work);
    writes = next.catch(() => {});
    return next;
  };
  for (const wixTool of ctx.handler.tools) {
    set[wixTool.name] = tool({
      description: wixTool.description,
      inputSchema: schemaOf(wixTool),
      execute: (input: Record<string, unknown>) =>
        wixTool.access === 'write'
          ? serialized(() => runCall(ctx, wixTool, input))
          : runCall(ctx, wixTool, input),
    });
  }
  return set;
}
