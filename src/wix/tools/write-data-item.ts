import { z } from 'zod';
import { queryDataItems } from '../resources/data.js';
import { getDataCollection, writeDataItem } from '../resources/data-write.js';
import { collectionId } from './get-data-collection.js';
import { ToolInputError, defineTool, scopeOf, writeScope, type ToolContext } from './tool.js';
import { phrase, quote } from './phrase.js';

const value = z.union([z.string().max(5000), z.number(), z.boolean(), z.null()]);
const data = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a field key'), value)
  .refine((d) => Object.keys(d).length >= 1 && Object.keys(d).length <= 50, 'give 1-50 fields')
  .describe('Field key → value (text, number, true/false or null). Keys from get_data_collection.');

/** Refuses keys the collection does not have, or may not be written (system and read-only fields). */
async function checkFields(
  ctx: ToolContext,
  tool: string,
  input: { collectionId: string; data: Record<string, unknown> },
) {
  const collection = await getDataCollection(ctx.client, scopeOf(ctx), input.collectionId);
  const writable = new Set(collection.fields.filter((f) => !f.systemField && !f.readOnly).map((f) => f.key));
  const bad = Object.keys(input.data).filter((key) => !writable.has(key));
  if (bad.length) {
    throw new ToolInputError(tool, [
      {
        path: 'data',
        message: `not writable fields of ${input.collectionId}: ${bad.join(', ')} (writable: ${[...writable].join(', ')})`,
      },
    ]);
  }
}

export const insertDataItemTool = defineTool({
  name: 'insert_data_item',
  description:
    "Add an item to one of the site's CMS collections. The fields are checked against the collection's (see get_data_collection) before anything is written.",
  input: z.object({ collectionId, data }),
  access: 'write',
  tags: ['cms'],
  permission: 'Write Data Items',
  // Wix assigns the new item's id, so an insert whose answer was lost cannot be told from an equal item
  // inserted by someone else, and sent again it would add a second item: parked for a person.
  settle: 'park',
  describe(input) {
    return phrase('add', 'added', `an item to the data collection ${quote(input.collectionId, 60)}`);
  },
  async execute(ctx, input) {
    await checkFields(ctx, 'insert_data_item', input);
    const item = await writeDataItem(ctx.client, writeScope(ctx), 'insert', input);
    return { collectionId: input.collectionId, id: item.id };
  },
});

export const saveDataItemTool = defineTool({
  name: 'save_data_item',
  description:
    'Insert or replace an item of a CMS collection by id. Replacing overwrites the whole item: fields not given are lost, so read it first (query_data_items) and send every field. Destructive: over MCP it waits for approval.',
  input: z.object({
    collectionId,
    itemId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'an item id')
      .describe('The item id (_id) to insert or replace.'),
    data,
  }),
  access: 'write',
  tags: ['cms'],
  permission: 'Write Data Items',
  destructive: true,
  // Not `repeat`: saving again would overwrite any change someone made since. Looked up by item id:
  // see `reconcile`.
  settle: 'reconcile',
  describe(input) {
    const item = `the item ${quote(input.itemId, 60)} of the data collection ${quote(input.collectionId, 60)}`;
    return phrase('replace', 'replaced', item);
  },
  async execute(ctx, input) {
    await checkFields(ctx, 'save_data_item', input);
    const item = await writeDataItem(ctx.client, writeScope(ctx), 'save', {
      collectionId: input.collectionId,
      id: input.itemId,
      data: input.data,
    });
    return { collectionId: input.collectionId, id: item.id };
  },
  /** Outcome unknown: applied when the item with this id holds every field value given; else parked. */
  async reconcile(ctx, input) {
    // Filter on `_id`: a data item's id is the `_id` field of its `data`, and Query Data Items filters
    // on `data` field keys (https://dev.wix.com/docs/api-reference/business-solutions/cms/data-items/data-item-object).
    // Wix's own SDK sends the same filter for `items.query(c).eq('_id', id)`: `{ _id: id }` (the shorthand
    // of `{ _id: { $eq: id } }`), built by `@wix/filter-builder@1.0.253` for `@wix/wix-data-items-common@1.0.331`
    // and passed to `POST /wix-data/v2/items/query` as `query.filter` unchanged.
    const page = await queryDataItems(ctx.client, scopeOf(ctx), {
      collectionId: input.collectionId,
      filter: { _id: { $eq: input.itemId } },
      limit: 1,
    });
    const item = page.items.find((i) => (i.id ?? i.data._id) === input.itemId);
    const same = item && Object.entries(input.data).every(([k, v]) => item.data[k] === v);
    return same ? { collectionId: input.collectionId, id: input.itemId } : undefined;
  },
});
