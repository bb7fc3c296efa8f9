import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { wixTools, wixToolsByName } from '../../src/wix/tools/index.js';

type Schema = Record<string, unknown>;

/** Every string and array reachable in a JSON schema. */
function walk(schema: unknown, visit: (node: Schema, path: string) => void, path = ''): void {
  if (!schema || typeof schema !== 'object') return;
  const node = schema as Schema;
  visit(node, path);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && value && typeof value === 'object') {
      for (const [name, child] of Object.entries(value)) walk(child, visit, `${path}.${name}`);
    } else if (key === 'items' || key === 'additionalProperties') {
      walk(value, visit, `${path}[]`);
    } else if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value)) {
      for (const child of value) walk(child, visit, path);
    }
  }
}

describe('tool definitions', () => {
  it('lists every tool once, with a description, access and tags', () => {
    const names = wixTools.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(Object.keys(wixToolsByName).sort());
    for (const tool of wixTools) {
      expect(tool.description.length).toBeGreaterThan(40);
      expect(['read', 'write']).toContain(tool.access);
      expect(tool.tags.length).toBeGreaterThan(0);
    }
    expect(
      wixTools
        .filter((t) => t.access === 'write')
        .map((t) => t.name)
        .sort(),
    ).toEqual([
      'add_order_note',
      'bulk_update_products',
      'cancel_order',
      'create_booking',
      'create_contact',
      'create_order',
      'create_product',
      'create_task',
      'insert_data_item',
      'label_contact',
      'save_data_item',
      'send_inbox_message',
      'update_contact',
      'update_order',
      'update_product',
    ]);
  });

  it.each(wixTools.map((t) => [t.name, t] as const))(
    '%s: every argument is described and bounded',
    (_name, tool) => {
      const json = z.toJSONSchema(tool.input, { io: 'input' }) as Schema;
      const properties = (json.properties ?? {}) as Record<string, Schema>;
      for (const [name, property] of Object.entries(properties)) {
        expect(property.description, `${name} has a description`).toEqual(expect.any(String));
        expect(name).not.toMatch(/url|body|json/i);
      }
      walk(json, (node, path) => {
        if (node.type === 'string') {
          const bounded =
            node.maxLength !== undefined ||
            node.enum !== undefined ||
            node.format !== undefined ||
            node.pattern !== undefined;
          expect(bounded, `${path} string is bounded`).toBe(true);
        }
        if (node.type === 'array')
          expect(node.maxItems, `${path} array is bounded`).toEqual(expect.any(Number));
      });
    },
  );
});
