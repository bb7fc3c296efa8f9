/**
 * The tool list: one line per Wix tool (its file holds everything else: schema, Wix permission, access,
 * tags, how an unknown outcome is settled, its phrase). A new tool is one file and one line here.
 */
export { addOrderNoteTool } from './add-order-note.js';
export { checkInventoryTool } from './check-inventory.js';
export { createTaskTool } from './create-task.js';
export { findContactsTool } from './find-contacts.js';
export { getContactTool } from './get-contact.js';
export { getOrderTool } from './get-order.js';
export { labelContactTool } from './label-contact.js';
export { queryDataItemsTool } from './query-data-items.js';
export { searchOrdersTool } from './search-orders.js';
export { sendInboxMessageTool } from './send-inbox-message.js';
export { cancelOrderTool } from './cancel-order.js';
export { getMemberTool } from './get-member.js';
export { getProductTool } from './get-product.js';
export { listMembersTool } from './list-members.js';
export { queryMembersTool } from './query-members.js';
export { createContactTool } from './create-contact.js';
export { updateContactTool } from './update-contact.js';
export { queryEventsTool } from './query-events.js';
export { getDataCollectionTool } from './get-data-collection.js';
export { insertDataItemTool, saveDataItemTool } from './write-data-item.js';
export { queryProductsTool } from './query-products.js';
export { searchProductsTool } from './search-products.js';
export { createProductTool } from './create-product.js';
export { updateProductTool } from './update-product.js';
export { bulkUpdateProductsTool } from './bulk-update-products.js';
export { createOrderTool } from './create-order.js';
export { updateOrderTool } from './update-order.js';
export { queryBookingsTool } from './query-bookings.js';
export { createBookingTool } from './create-booking.js';
