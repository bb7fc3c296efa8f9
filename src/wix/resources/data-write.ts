/**
 * CMS collections and item writes.
 * - Get Data Collection `GET /wix-data/v2/collections/{dataCollectionId}` → `{collection: {id, displayName,
 *   fields: [{key, displayName, type, systemField, readOnly, required}]}}`, permission `WIX_DATA.GET_COLLECTION`
 *   (`@wix/auto_sdk_data_collections@1.0.98`, `DataCollectionService.GetDataCollection`; `/v2` maps to `/wix-data/v2`).
 * - Insert Data Item `POST /wix-data/v2/items` and Save Data Item `POST /wix-data/v2/items/save`, body
 *   `{dataCollectionId, dataItem: {id?, data}}` → `{dataItem}`; save replaces an existing item entirely;
 *   permission "Write Data Items" (https://dev.wix.com/docs/rest/api-reference/wix-data/data-items/save-data-item).
 *   Method + URL from `@wix/wix-data-items-sdk@1.0.555` request options (`insertDataItem`, `saveDataItem`);
 *   fields: `@wix/wix-data-items-common@1.0.331` (`InsertDataItemRequest`, `SaveDataItemRequest`, `DataItem`).
 */
import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
import { fromScope, parseBody, type RequestScope, type WriteScope } from './scope.js';

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

/** The Get Data Collection response fields we read. */
export const getDataCollectionResponse = z.looseObject({
  collection: z.looseObject({
    id: z.string(),
    displayName: z.string().nullish(),
    fields: z.array(fieldSchema).default([]),
  }),
});

export async function getDataCollection(
  client: WixRequester,
  scope: RequestScope,
  collectionId: string,
): Promise<DataCollection> {
  const response = await client.request({
    ...endpointRequest('getDataCollection', { dataCollectionId: collectionId }),
    ...fromScope(scope),
  });
  const c = parseBody(getDataCollectionResponse, response, 'get data collection').collection;
  return { id: c.id, displayName: c.displayName ?? undefined, fields: c.fields };
}

/** The Insert / Save Data Item response fields we read: `{ dataItem: { id, data } }`. */
export const dataItemAnswer = z.looseObject({
  dataItem: z.looseObject({ id: z.string().optional(), data: z.record(z.string(), z.unknown()).default({}) }),
});

/** The Insert / Save Data Item request body: `{ dataCollectionId, dataItem: { id?, data } }`. */
export function dataItemBody(item: { collectionId: string; id?: string; data: Record<string, unknown> }) {
  return {
    dataCollectionId: item.collectionId,
    dataItem: { ...(item.id ? { id: item.id } : {}), data: item.data },
  };
}

/** Inserts (`mode: insert`, fails when the id exists) or saves (`mode: save`, replaces an existing item). */
export async function writeDataItem(
  client: WixRequester,
  scope: WriteScope,
  mode: 'insert' | 'save',
  item: { collectionId: string; id?: string; data: Record<string, unknown> },
): Promise<{ id: string | undefined; data: Record<string, unknown> }> {
  const response = await client.request({
    ...endpointRequest(mode === 'insert' ? 'insertDataItem' : 'saveDataItem', {}),
    body: dataItemBody(item),
    ...fromScope(scope),
  });
  const answer = parseBody(dataItemAnswer, response, `${mode} data item`).dataItem;
  return {
    id: answer.id ?? (typeof answer.data._id === 'string' ? answer.data._id : undefined),
    data: answer.data,
  };
}
