/**
 * Wix's field limits that our tools and the emulator enforce, each with where Wix publishes it: the
 * JSDoc tag (`@maxLength`, `@maxSize`) on a field of an interface in an `@wix/auto_sdk_*` package's
 * typings. test/wix/conformance/limits.conformance.test.ts reads the tag back from the installed package, so a limit
 * here cannot drift from Wix's. Tools bound their input with these (the model gets a clear message
 * before anything reaches Wix) and the emulator refuses what Wix refuses.
 */
export interface WixLimit {
  /** The bound (characters for `maxLength`, items for `maxSize`, the largest number for `max`). */
  max: number;
  /** Where Wix publishes it. */
  source: { package: string; interface: string; field: string; tag: 'maxLength' | 'maxSize' | 'max' };
}

export const wixLimits = {
  /** Task title, characters (Tasks v2). */
  taskTitle: {
    max: 250,
    source: { package: '@wix/auto_sdk_crm_tasks', interface: 'Task', field: 'title', tag: 'maxLength' },
  },
  /** Task description, characters (Tasks v2). */
  taskDescription: {
    max: 500,
    source: { package: '@wix/auto_sdk_crm_tasks', interface: 'Task', field: 'description', tag: 'maxLength' },
  },
  /** Merchant comment on an order (Add Activities), characters. */
  merchantComment: {
    max: 5000,
    source: {
      package: '@wix/auto_sdk_ecom_orders',
      interface: 'MerchantComment',
      field: 'message',
      tag: 'maxLength',
    },
  },
  /** An order's buyer note, characters (what a model is shown is clipped to it). */
  buyerNote: {
    max: 1000,
    source: {
      package: '@wix/auto_sdk_ecom_orders',
      interface: 'Order',
      field: 'buyerNote',
      tag: 'maxLength',
    },
  },
  /** Activities in one Add Activities call. */
  orderActivitiesPerCall: {
    max: 300,
    source: {
      package: '@wix/auto_sdk_ecom_orders',
      interface: 'AddActivitiesRequest',
      field: 'orderActivities',
      tag: 'maxSize',
    },
  },
  /** Inbox message preview text, characters. */
  inboxPreviewText: {
    max: 256,
    source: {
      package: '@wix/auto_sdk_inbox_messages',
      interface: 'MessageContent',
      field: 'previewText',
      tag: 'maxLength',
    },
  },
  /** Inbox basic message text item, characters. */
  inboxText: {
    max: 16384,
    source: {
      package: '@wix/auto_sdk_inbox_messages',
      interface: 'BasicMessageData',
      field: 'text',
      tag: 'maxLength',
    },
  },
  // Stores catalog writes and search (issue 14).
  /** Product name, characters (Catalog V3 and V1 alike). */
  productName: {
    max: 80,
    source: {
      package: '@wix/auto_sdk_stores_products-v-3',
      interface: 'V3Product',
      field: 'name',
      tag: 'maxLength',
    },
  },
  /** Product slug, characters: V1's bound (V3 allows 300), so one value fits both catalogs. */
  productSlug: {
    max: 100,
    source: {
      package: '@wix/auto_sdk_stores_products',
      interface: 'Product',
      field: 'slug',
      tag: 'maxLength',
    },
  },
  /** Product description, characters: V1's bound (V3's `plainDescription` allows 16,000). */
  productDescription: {
    max: 8000,
    source: {
      package: '@wix/auto_sdk_stores_products',
      interface: 'Product',
      field: 'description',
      tag: 'maxLength',
    },
  },
  /** Variant SKU, characters (V3 `Variant.sku`; V1 `Product.sku` is 40 too). */
  productSku: {
    max: 40,
    source: {
      package: '@wix/auto_sdk_stores_products-v-3',
      interface: 'Variant',
      field: 'sku',
      tag: 'maxLength',
    },
  },
  /** Free-text expression of Search Products (V3), characters. */
  productSearchExpression: {
    max: 100,
    source: {
      package: '@wix/auto_sdk_stores_products-v-3',
      interface: 'SearchDetails',
      field: 'expression',
      tag: 'maxLength',
    },
  },
  /** Products in one Bulk Update Products (V3) call. */
  productsPerBulkUpdate: {
    max: 100,
    source: {
      package: '@wix/auto_sdk_stores_products-v-3',
      interface: 'BulkUpdateProductsRequest',
      field: 'products',
      tag: 'maxSize',
    },
  },
  // eCommerce orders: create and update (issue 14).
  /** Line items of one order. */
  orderLineItems: {
    max: 300,
    source: { package: '@wix/auto_sdk_ecom_orders', interface: 'Order', field: 'lineItems', tag: 'maxSize' },
  },
  /** A line item's product name, characters. */
  lineItemName: {
    max: 200,
    source: {
      package: '@wix/auto_sdk_ecom_orders',
      interface: 'ProductName',
      field: 'original',
      tag: 'maxLength',
    },
  },
  /** A line item's quantity (the largest allowed). */
  lineItemQuantity: {
    max: 100000,
    source: {
      package: '@wix/auto_sdk_ecom_orders',
      interface: 'OrderLineItem',
      field: 'quantity',
      tag: 'max',
    },
  },
  /** The id of an order in an external system (`channelInfo.externalOrderId`), characters. */
  externalOrderId: {
    max: 100,
    source: {
      package: '@wix/auto_sdk_ecom_orders',
      interface: 'ChannelInfo',
      field: 'externalOrderId',
      tag: 'maxLength',
    },
  },
  // Bookings: query and create (issue 14).
  /** Bookings in one page of Query Extended Bookings. */
  bookingsPerQuery: {
    max: 100,
    source: {
      package: '@wix/auto_sdk_bookings_extended-bookings',
      interface: 'CursorPaging',
      field: 'limit',
      tag: 'max',
    },
  },
  /** A class session's calendar event id (`bookedEntity.slot.eventId`), characters (at least 36). */
  bookingEventId: {
    max: 250,
    source: {
      package: '@wix/auto_sdk_bookings_bookings',
      interface: 'BookedSlot',
      field: 'eventId',
      tag: 'maxLength',
    },
  },
} as const satisfies Record<string, WixLimit>;
