/**
 * Cancel Order: `POST /ecom/v1/orders/{id}/cancel` with `{sendOrderCanceledEmail, customMessage (1-1000),
 * restockAllItems}` → `{order}`; application errors ORDER_HAS_AUTHORIZED_TRANSACTION, ORDER_IS_PENDING,
 * ORDER_IS_REJECTED; permission `ECOM.MODIFY_ORDERS`. Source: `@wix/auto_sdk_ecom_orders@1.0.300`
 * (build metadata `com.wix.ecom.orders.v1.Orders.CancelOrder`, typings `CancelOrderRequest`).
 */
import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
import { orderSchema, type WixOrder } from './orders.js';
import { fromScope, parseBody, type WriteScope } from './scope.js';

export interface CancelOrderOptions {
  /** Email the buyer that the order was canceled. */
  sendOrderCanceledEmail: boolean;
  /** Note added to that email, 1-1000 characters. */
  customMessage?: string;
  /** Put the items back into Wix Stores inventory. */
  restockAllItems: boolean;
}

/** The Cancel Order request body (`CancelOrderRequest` without the path's `id`). */
export function cancelOrderBody(options: CancelOrderOptions) {
  return {
    sendOrderCanceledEmail: options.sendOrderCanceledEmail,
    ...(options.customMessage ? { customMessage: options.customMessage } : {}),
    restockAllItems: options.restockAllItems,
  };
}

/** The Cancel Order response fields we read: `{ order }`. */
export const cancelOrderResponse = z.looseObject({ order: orderSchema });

/**
 * Cancels an order. Wix refuses with 428 ORDER_IS_PENDING (not approved yet) and the other application
 * errors above; they reach the caller as `WixApiError`.
 */
export async function cancelOrder(
  client: WixRequester,
  scope: WriteScope,
  orderId: string,
  options: CancelOrderOptions,
): Promise<WixOrder> {
  const response = await client.request({
    ...endpointRequest('cancelOrder', { id: orderId }),
    body: cancelOrderBody(options),
    ...fromScope(scope),
  });
  return parseBody(cancelOrderResponse, response, 'cancel order').order;
}
