import { z } from 'zod';
import { getDataCollection } from '../resources/data-write.js';
import { defineTool, scopeOf } from './tool.js';
import { phrase, quote } from './phrase.js';

export const collectionId = z
  .string()
  .regex(/^[A-Za-z0-9_@/-]{1,100}$/, 'a collection id')
  .describe('The collection id, e.g. FAQ.');

export const getDataCollectionTool = defineTool({
  name: 'get_data_collection',
  description:
    "Read a CMS collection's fields (key, type, required, read-only) before querying or writing its items, so field keys and value types are right.",
  input: z.object({ collectionId }),
  access: 'read',
  tags: ['cms'],
  permission: 'WIX_DATA.GET_COLLECTION',
  describe(input) {
    return phrase('read', 'read', `the fields of the data collection ${quote(input.collectionId, 60)}`);
  },
  async execute(ctx, input) {
    const collection = await getDataCollection(ctx.client, scopeOf(ctx), input.collectionId);
    return {
      id: collection.id,
      displayName: collection.displayName,
      fields: collection.fields.slice(0, 100).map((f) => ({
        key: f.key,
        name: f.displayName ?? undefined,
        type: f.type,
        ...(f.required ? { required: true } : {}),
        ...(f.readOnly || f.systemField ? { readOnly: true } : {}),
      })),
    };
  },
});
