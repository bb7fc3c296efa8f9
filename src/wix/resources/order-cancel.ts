/**
 * Cancel Order: `POST /ecom/v1/orders/{id}/cancel` with `{sendOrderCanceledEmail, customMessage (1-1000),
 * restockAllItems}` → `{order}`; application errors ORDER_HAS_AUTHORIZED_TRANSACTION, ORDER_IS_PENDING,
 * ORDER_IS_REJECTED; permission `ECOM.MODIFY_ORDERS`. Source: `@wix/auto_sdk_ecom_orders@1.0.300`
 * (build metadata `com.wix.ecom.orders.v1.Orders.CancelOrder`, typings `CancelOrderRequest`).
 */
import { z } from 'zod';
import { wixPath, type WixRequester } from '../request.js';
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

export async function cancelOrder(
  client: WixRequester,
  scope: WriteScope,
  orderId: string,
  options: CancelOrderOptions,
): Promise<WixOrder> {
  const response = await client.request({
    method: 'POST',
    path: wixPath`/ecom/v1/orders/${orderId}/cancel`,
    body: {
      sendOrderCanceledEmail: options.sendOrderCanceledEmail,
      ...(options.customMessage ? { customMessage: options.customMessage } : {}),
      restockAllItems: options.restockAllItems,
    },
    ...fromScope(scope),
  });
  return parseBody(z.looseObject({ order: orderSchema }), response, 'cancel order').order;
}
