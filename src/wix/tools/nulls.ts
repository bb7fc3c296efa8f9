import { z } from 'zod';

/** The object schema inside `schema` (through optional, default, nullable wrappers), if any. */
function objectOf(schema: z.ZodType): z.ZodObject | undefined {
  let s: z.ZodType = schema;
  for (let i = 0; i < 5; i++) {
    if (s instanceof z.ZodObject) return s;
    const inner = (s as { def?: { innerType?: z.ZodType } }).def?.innerType;
    if (!inner) return undefined;
    s = inner;
  }
  return undefined;
}

/**
 * `null` for an optional argument means "not given": strict-mode models (OpenAI structured outputs) and
 * many MCP clients send it. Drops such nulls, recursively through nested objects, so the schema sees
 * the argument as absent. A `null` for a required argument is left for the schema to refuse.
 */
export function withoutNulls(schema: z.ZodType, value: unknown): unknown {
  const object = objectOf(schema);
  if (!object || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const field = object.shape[key] as z.ZodType | undefined;
    if (v === null && field && field.safeParse(undefined).success) continue;
    out[key] = field ? withoutNulls(field, v) : v;
  }
  return out;
}

type Json = Record<string, unknown>;

/**
 * The JSON Schema offered to a model, saying what `withoutNulls` does: every optional property also
 * accepts `null` ("not given"), recursively.
 */
export function nullableOptionals(schema: Json): Json {
  if (schema.type !== 'object' || typeof schema.properties !== 'object' || schema.properties === null) {
    return schema;
  }
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const properties: Json = {};
  for (const [key, prop] of Object.entries(schema.properties as Record<string, Json>)) {
    const inner = nullableOptionals(prop);
    properties[key] = required.has(key) ? inner : orNull(inner);
  }
  return { ...schema, properties };
}

function orNull(prop: Json): Json {
  const description =
    typeof prop.description === 'string' ? `${prop.description} null means not given.` : undefined;
  const { description: _, ...rest } = prop;
  return { anyOf: [rest, { type: 'null' }], ...(description ? { description } : {}) };
}
