import { z } from 'zod';
import { queryProducts } from '../resources/products-query.js';
import { pageInput } from './paging.js';
import { defineTool, scopeOf } from './tool.js';
import { pageNote, phrase, quote } from './phrase.js';

const dateTime = z.iso.datetime({ offset: true });

export const queryProductsTool = defineTool({
  name: 'query_products',
  description:
    "List this store's products, newest first, on either catalog version (V3, or V1 on older stores): name, price, visibility and stock availability. Filter by slug or creation date; when nextCursor is set, call again with it for more.",
  input: z
    .object({
      slug: z
        .string()
        .regex(/^[a-z0-9-]{1,100}$/, 'a product slug: lowercase letters, digits and -')
        .optional()
        .describe('Exact product slug, e.g. house-blend-1kg.'),
      createdFrom: dateTime.optional().describe('Only products created at or after this ISO-8601 date-time.'),
      createdTo: dateTime.optional().describe('Only products created at or before this ISO-8601 date-time.'),
      ...pageInput(100, 20),
    })
    .refine((v) => v.cursor === undefined || /^v(1:\d{1,7}|3:.+)$/.test(v.cursor), {
      message: 'not a cursor of this tool',
      path: ['cursor'],
    }),
  access: 'read',
  tags: ['stores'],
  permission: 'WIX_STORES.PRODUCT_READ',
  describe(input) {
    const slug = input.slug ? ` for the slug ${quote(input.slug, 60)}` : '';
    return phrase('search', 'searched', `the store catalog${slug}${pageNote(input)}`);
  },
  async execute(ctx, input) {
    return queryProducts(ctx.client, scopeOf(ctx), input);
  },
});
