/**
 * The tool catalog: every Wix tool, exported by name (the package's public entry re-exports this file, so a
 * new tool is public once it is listed here), the list, and the union of their names.
 */
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
import { searchProductsTool } from './search-products.js';
import { createProductTool } from './create-product.js';
import { updateProductTool } from './update-product.js';
import { bulkUpdateProductsTool } from './bulk-update-products.js';
import { createOrderTool } from './create-order.js';
import { updateOrderTool } from './update-order.js';
import { queryBookingsTool } from './query-bookings.js';
import { createBookingTool } from './create-booking.js';

/**
 * Every Wix tool, one file each (each declares its Wix permission, access, tags and, for writes, how an
 * unknown outcome is settled). Handlers and MCP tokens pick from these by name.
 */
const allTools = [
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
  searchProductsTool,
  createProductTool,
  updateProductTool,
  bulkUpdateProductsTool,
  createOrderTool,
  updateOrderTool,
  queryBookingsTool,
  createBookingTool,
] as const;

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
  searchProductsTool,
  createProductTool,
  updateProductTool,
  bulkUpdateProductsTool,
  createOrderTool,
  updateOrderTool,
  queryBookingsTool,
  createBookingTool,
};

/** Every Wix tool. Handlers pick from these by name. */
export const wixTools: readonly AnyWixTool[] = allTools;

/** The name of a Wix tool, as a union of its literals (from each tool's `defineTool`). */
export type WixToolName = (typeof allTools)[number]['name'];

export const wixToolsByName: Readonly<Record<WixToolName, AnyWixTool>> = Object.fromEntries(
  wixTools.map((tool) => [tool.name, tool]),
) as Record<WixToolName, AnyWixTool>;
