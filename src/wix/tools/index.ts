import { addOrderNoteTool } from './add-order-note.js';
import { checkInventoryTool } from './check-inventory.js';
import { createTaskTool } from './create-task.js';
import { findContactsTool } from './find-contacts.js';
import { getContactTool } from './get-contact.js';
import { getOrderTool } from './get-order.js';
import { labelContactTool } from './label-contact.js';
import { queryDataItemsTool } from './query-data-items.js';
import { searchOrdersTool } from './search-orders.js';
import { sendInboxMessageTool } from './send-inbox-message.js';
import { cancelOrderTool } from './cancel-order.js';
import { createContactTool } from './create-contact.js';
import { updateContactTool } from './update-contact.js';
import { queryEventsTool } from './query-events.js';
import { getDataCollectionTool } from './get-data-collection.js';
import { insertDataItemTool, saveDataItemTool } from './write-data-item.js';
import { getMemberTool } from './get-member.js';
import { getProductTool } from './get-product.js';
import { queryProductsTool } from './query-products.js';
import { listMembersTool } from './list-members.js';
import { queryMembersTool } from './query-members.js';
import type { AnyWixTool } from './tool.js';
// Tool catalog (issue 14), second part.
import { searchProductsTool } from './search-products.js';
import { createProductTool } from './create-product.js';
import { updateProductTool } from './update-product.js';
import { bulkUpdateProductsTool } from './bulk-update-products.js';
import { createOrderTool } from './create-order.js';
import { updateOrderTool } from './update-order.js';
// Bookings (issue 14).
import { queryBookingsTool } from './query-bookings.js';
import { createBookingTool } from './create-booking.js';

export * from './tool.js';
export {
  addOrderNoteTool,
  checkInventoryTool,
  createTaskTool,
  findContactsTool,
  getContactTool,
  getOrderTool,
  labelContactTool,
  queryDataItemsTool,
  searchOrdersTool,
  sendInboxMessageTool,
  cancelOrderTool,
  getMemberTool,
  getProductTool,
  listMembersTool,
  queryMembersTool,
  createContactTool,
  updateContactTool,
  queryEventsTool,
  getDataCollectionTool,
  insertDataItemTool,
  saveDataItemTool,
  queryProductsTool,
  // Tool catalog (issue 14), second part.
  searchProductsTool,
  createProductTool,
  updateProductTool,
  bulkUpdateProductsTool,
  createOrderTool,
  updateOrderTool,
  // Bookings (issue 14).
  queryBookingsTool,
  createBookingTool,
};

/** Every Wix tool. Handlers pick from these by name. */
export const wixTools: readonly AnyWixTool[] = [
  getOrderTool,
  searchOrdersTool,
  getContactTool,
  findContactsTool,
  checkInventoryTool,
  queryDataItemsTool,
  labelContactTool,
  createTaskTool,
  addOrderNoteTool,
  sendInboxMessageTool,
  // MCP catalog (issue 14): each file declares its Wix permission, access and tags.
  getProductTool,
  queryProductsTool,
  cancelOrderTool,
  getMemberTool,
  listMembersTool,
  queryMembersTool,
  createContactTool,
  updateContactTool,
  queryEventsTool,
  getDataCollectionTool,
  insertDataItemTool,
  saveDataItemTool,
  // Tool catalog (issue 14), second part.
  searchProductsTool,
  createProductTool,
  updateProductTool,
  bulkUpdateProductsTool,
  createOrderTool,
  updateOrderTool,
  // Bookings (issue 14).
  queryBookingsTool,
  createBookingTool,
];

export type WixToolName =
  | 'get_order'
  | 'search_orders'
  | 'get_contact'
  | 'find_contacts'
  | 'check_inventory'
  | 'query_data_items'
  | 'label_contact'
  | 'create_task'
  | 'add_order_note'
  | 'send_inbox_message'
  | 'get_product'
  | 'query_products'
  | 'cancel_order'
  | 'get_member'
  | 'list_members'
  | 'query_members'
  | 'create_contact'
  | 'update_contact'
  | 'query_events'
  | 'get_data_collection'
  | 'insert_data_item'
  | 'save_data_item'
  // Tool catalog (issue 14), second part.
  | 'search_products'
  | 'create_product'
  | 'update_product'
  | 'bulk_update_products'
  | 'create_order'
  | 'update_order'
  // Bookings (issue 14).
  | 'query_bookings'
  | 'create_booking';

export const wixToolsByName: Readonly<Record<WixToolName, AnyWixTool>> = Object.fromEntries(
  wixTools.map((tool) => [tool.name, tool]),
) as Record<WixToolName, AnyWixTool>;
