/**
 * CMS collections and item writes.
 * - Get Data Collection `GET /wix-data/v2/collections/{dataCollectionId}` → `{collection: {id, displayName,
 *   fields: [{key, displayName, type, systemField, readOnly, required}]}}`, permission `WIX_DATA.GET_COLLECTION`
 *   (`@wix/auto_sdk_data_collections@1.0.98`, `DataCollectionService.GetDataCollection`; `/v2` maps to `/wix-data/v2`).
 * - Insert Data Item `POST /wix-data/v2/items` and Save Data Item `POST /wix-data/v2/items/save`, body
 *   `{dataCollectionId, dataItem: {id?, data}}` → `{dataItem}`; save replaces an existing item entirely;
 *   permission "Write Data Items" (https://dev.wix.com/docs/rest/api-reference/wix-data/data-items/save-data-item).
 */
import { z } from 'zod';
import { wixPath, type WixRequester } from '../request.js';
import { fromScope, parseBody, type CallScope, type WriteScope } from './scope.js';

const fieldSchema = z.looseObject({
  key: z.string(),
  displayName: z.string().nullish(),
  type: z.string().optional(),
  systemField: z.boolean().optional(),
  readOnly: z.boolean().nullish(),
  required: z.boolean().nullish(),
});
export type CollectionField = z.output<typeof fieldSchema>;

export interface DataCollection {
  id: string;
  displayName: string | undefined;
  fields: CollectionField[];
}

export async function getDataCollection(
  client: WixRequester,
  scope: CallScope,
  collectionId: string,
): Promise<DataCollection> {
  const response = await client.request({
    method: 'GET',
    path: wixPath`/wix-data/v2/collections/${collectionId}`,
    ...fromScope(scope),
  });
  const c = parseBody(
    z.looseObject({
      collection: z.looseObject({
        id: z.string(),
        displayName: z.string().nullish(),
        fields: z.array(fieldSchema).default([]),
      }),
    }),
    response,
    'get data collection',
  ).collection;
  return { id: c.id, displayName: c.displayName ?? undefined, fields: c.fields };
}

const itemAnswer = z.looseObject({
  dataItem: z.looseObject({ id: z.string().optional(), data: z.record(z.string(), z.unknown()).default({}) }),
});

/** Inserts (`mode: insert`, fails when the id exists) or saves (`mode: save`, replaces an existing item). */
export async function writeDataItem(
  client: WixRequester,
  scope: WriteScope,
  mode: 'insert' | 'save',
  item: { collectionId: string; id?: string; data: Record<string, unknown> },
): Promise<{ id: string | undefined; data: Record<string, unknown> }> {
  const response = await client.request({
    method: 'POST',
    path: mode === 'insert' ? '/wix-data/v2/items' : '/wix-data/v2/items/save',
    body: {
      dataCollectionId: item.collectionId,
      dataItem: { ...(item.id ? { id: item.id } : {}), data: item.data },
    },
    ...fromScope(scope),
  });
  const answer = parseBody(itemAnswer, response, `${mode} data item`).dataItem;
  return {
    id: answer.id ?? (typeof answer.data._id === 'string' ? answer.data._id : undefined),
    data: answer.data,
  };
}
