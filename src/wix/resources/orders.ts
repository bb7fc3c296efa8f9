import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
import { orderSchema, type WixOrder } from '../entities/order.js';
import { fromScope, parseBody, type RequestScope, type WriteScope } from './scope.js';

/** The order: the one model in src/wix/entities/order.ts (re-exported here for existing importers). */
export { lineItemSchema, orderSchema, type WixOrder } from '../entities/order.js';

const getOrderAnswer = z.looseObject({ order: orderSchema });

export async function getOrder(
  client: WixRequester,
  scope: RequestScope,
  orderId: string,
): Promise<WixOrder> {
  const response = await client.request({
    ...endpointRequest('getOrder', { id: orderId }),
    ...fromScope(scope),
  });
  return parseBody(getOrderAnswer, response, 'get order').order;
}

/** Filters of Search Orders. Wix hides INITIALIZED orders unless `status` asks for them. */
export interface OrderSearch {
  buyerContactIds?: string[];
  statuses?: string[];
  paymentStatuses?: string[];
  fulfillmentStatuses?: string[];
  /** ISO-8601, inclusive. */
  createdFrom?: string;
  /** ISO-8601, inclusive. */
  createdTo?: string;
  /** Default 20, Wix allows up to 100. */
  limit?: number;
  /** From a previous page; Wix does not allow filters with a cursor, so they are not sent. */
  cursor?: string;
}

export interface OrderPage {
  orders: WixOrder[];
  nextCursor: string | undefined;
  hasNext: boolean;
}

/** The Search Orders response fields we read. */
export const searchResponse = z.looseObject({
  orders: z.array(orderSchema).default([]),
  metadata: z
    .looseObject({
      hasNext: z.boolean().optional(),
      cursors: z.looseObject({ next: z.string().nullish() }).optional(),
    })
    .optional(),
});

/** Builds the Search Orders filter from our named filters (fields documented as filterable). */
export function orderSearchFilter(search: OrderSearch): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (search.buyerContactIds?.length) filter['buyerInfo.contactId'] = { $in: search.buyerContactIds };
  if (search.statuses?.length) filter.status = { $in: search.statuses };
  if (search.paymentStatuses?.length) filter.paymentStatus = { $in: search.paymentStatuses };
  if (search.fulfillmentStatuses?.length) filter.fulfillmentStatus = { $in: search.fulfillmentStatuses };
  if (search.createdFrom || search.createdTo) {
    filter.createdDate = {
      ...(search.createdFrom ? { $gte: search.createdFrom } : {}),
      ...(search.createdTo ? { $lte: search.createdTo } : {}),
    };
  }
  return filter;
}

/** The Search Orders request body: a cursor alone, or filters sorted newest first. */
export function orderSearchBody(search: OrderSearch) {
  const limit = search.limit ?? 20;
  return search.cursor
    ? { search: { cursorPaging: { limit, cursor: search.cursor } } }
    : {
        search: {
          filter: orderSearchFilter(search),
          sort: [{ fieldName: 'createdDate', order: 'DESC' as const }],
          cursorPaging: { limit },
        },
      };
}

export async function searchOrders(
  client: WixRequester,
  scope: RequestScope,
  search: OrderSearch,
): Promise<OrderPage> {
  const response = await client.request({
    ...endpointRequest('searchOrders', {}),
    body: orderSearchBody(search),
    read: true,
    ...fromScope(scope),
  });
  const page = parseBody(searchResponse, response, 'search orders');
  const next = page.metadata?.cursors?.next ?? undefined;
  return {
    orders: page.orders,
    nextCursor: next || undefined,
    hasNext: Boolean(page.metadata?.hasNext && next),
  };
}

/**
 * The Add Activities body for one merchant comment (`activityType` MERCHANT_COMMENT; the older `type`
 * is deprecated). Source: @wix/auto_sdk_ecom_orders `AddActivitiesRequest`; message <= 5,000 characters.
 */
export function merchantCommentBody(message: string) {
  return {
    orderActivities: [{ activityType: 'MERCHANT_COMMENT' as const, merchantComment: { message } }],
  };
}

/**
 * The Add Activities response fields we read: `activityIds`. Wix also sends the whole `order`, kept as
 * sent and not checked: nothing reads it, and a write's answer that fails a check is an unknown outcome
 * for a person to settle (the note was added), so it checks no more than it reads.
 */
export const addActivitiesResponse = z.looseObject({
  activityIds: z.array(z.string()).default([]),
});

/**
 * Adds a merchant comment to the order's activity timeline (visible to staff in the dashboard) with
 * Add Activities (`POST /ecom/v1/orders/{orderId}/activities/add`); returns the new activity's id.
 */
export async function addMerchantComment(
  client: WixRequester,
  scope: WriteScope,
  orderId: string,
  message: string,
): Promise<{ activityId: string | undefined }> {
  const response = await client.request({
    ...endpointRequest('addOrderActivities', { orderId }),
    body: merchantCommentBody(message),
    ...fromScope(scope),
  });
  const body = parseBody(addActivitiesResponse, response, 'add order activities');
  return { activityId: body.activityIds[0] };
}
