import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
import { fromScope, parseBody, type RequestScope } from './scope.js';

export interface DataQuery {
  collectionId: string;
  /** Wix Data filter object, built by the caller from structured conditions. */
  filter?: Record<string, unknown>;
  sort?: { fieldName: string; order: 'ASC' | 'DESC' }[];
  /** Default 20. */
  limit?: number;
  offset?: number;
}

/** The Query Data Items response fields we read. */
export const queryResponse = z.looseObject({
  dataItems: z
    .array(z.looseObject({ id: z.string().optional(), data: z.record(z.string(), z.unknown()).default({}) }))
    .default([]),
  pagingMetadata: z.looseObject({ total: z.number().optional(), hasNext: z.boolean().optional() }).optional(),
});

export interface DataItemPage {
  items: { id: string | undefined; data: Record<string, unknown> }[];
  total: number | undefined;
  hasNext: boolean;
}

/** The Query Data Items request body (offset paging, with the total count). */
export function dataQueryBody(query: DataQuery) {
  return {
    dataCollectionId: query.collectionId,
    query: {
      ...(query.filter ? { filter: query.filter } : {}),
      ...(query.sort?.length ? { sort: query.sort } : {}),
      paging: { limit: query.limit ?? 20, offset: query.offset ?? 0 },
    },
    returnTotalCount: true,
  };
}

/** Queries a CMS (Wix Data) collection. */
export async function queryDataItems(
  client: WixRequester,
  scope: RequestScope,
  query: DataQuery,
): Promise<DataItemPage> {
  const response = await client.request({
    ...endpointRequest('queryDataItems', {}),
    body: dataQueryBody(query),
    read: true,
    ...fromScope(scope),
  });
  const page = parseBody(queryResponse, response, 'query data items');
  return {
    items: page.dataItems.map((item) => ({ id: item.id, data: item.data })),
    total: page.pagingMetadata?.total,
    hasNext: page.pagingMetadata?.hasNext ?? false,
  };
}
