import { z } from 'zod';
import { queryDataItems } from '../resources/data.js';
import { clip } from './compact.js';
import { defineTool, scopeOf } from './tool.js';
import { phrase, quote } from './phrase.js';

const fieldName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a field key: letters, digits and _')
  .describe('Field key in the collection, e.g. title or topic.');
const scalar = z.union([z.string().max(200), z.number(), z.boolean()]);

const operators = {
  eq: '$eq',
  ne: '$ne',
  gt: '$gt',
  gte: '$gte',
  lt: '$lt',
  lte: '$lte',
  startsWith: '$startsWith',
  contains: '$contains',
} as const;

/** System fields a model does not need. */
const hidden = new Set(['_id', '_owner', '_updatedDate']);

function compactValue(value: unknown): unknown {
  if (typeof value === 'string') return clip(value, 1000);
  if (value && typeof value === 'object' && '$date' in value) return (value as { $date: unknown }).$date;
  if (Array.isArray(value)) return value.slice(0, 20).map(compactValue);
  return value;
}

export const queryDataItemsTool = defineTool({
  name: 'query_data_items',
  description:
    "Read items of one of the site's CMS collections (Wix Data), e.g. an FAQ or a policy table. Conditions are all required to match (AND). Long texts are shortened.",
  input: z.object({
    collectionId: z
      .string()
      .regex(/^[A-Za-z0-9_@/-]{1,100}$/, 'a collection id')
      .describe('The collection id, e.g. FAQ.'),
    where: z
      .array(
        z.object({
          field: fieldName,
          op: z
            .enum(Object.keys(operators) as [keyof typeof operators])
            .describe('Comparison; startsWith and contains are for text.'),
          value: scalar.describe('Value to compare with.'),
        }),
      )
      .max(5)
      .default([])
      .describe('Conditions, at most 5.'),
    sortBy: fieldName.optional().describe('Field to sort by.'),
    order: z.enum(['ASC', 'DESC']).default('ASC').describe('Sort order.'),
    limit: z.number().int().min(1).max(50).default(10).describe('Items to return, 1-50 (default 10).'),
  }),
  access: 'read',
  tags: ['cms'],
  // Wix's REST reference names the permission of Query Data Items only by this display name
  // (https://dev.wix.com/docs/rest/api-reference/wix-data/data-items/query-data-items); no package typings
  // give its id.
  permission: 'Read Data Items',
  describe(input) {
    return phrase('read', 'read', `items of the data collection ${quote(input.collectionId, 60)}`);
  },
  async execute(ctx, input) {
    const conditions = input.where.map((c) => ({ [c.field]: { [operators[c.op]]: c.value } }));
    const filter =
      conditions.length === 0 ? undefined : conditions.length === 1 ? conditions[0] : { $and: conditions };
    const page = await queryDataItems(ctx.client, scopeOf(ctx), {
      collectionId: input.collectionId,
      filter,
      sort: input.sortBy ? [{ fieldName: input.sortBy, order: input.order }] : undefined,
      limit: input.limit,
    });
    return {
      items: page.items.map((item) => {
        const fields = Object.entries(item.data)
          .filter(([key]) => !hidden.has(key))
          .slice(0, 30);
        return {
          id: item.id,
          ...Object.fromEntries(fields.map(([key, value]) => [key, compactValue(value)])),
        };
      }),
      total: page.total,
      hasMore: page.hasNext,
    };
  },
});
