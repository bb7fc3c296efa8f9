import type { WixMethod } from './request.js';

/**
 * Where the facts about one Wix REST endpoint come from.
 *
 * - `meta`: an `@wix/auto_sdk_*` package's `/meta` entry; `method` names the exported function whose
 *   `httpMethod` and `getUrl({ host: 'www.wixapis.com' })` are Wix's own published method and path.
 * - `data-items-client`: `@wix/wix-data-items-sdk`, whose request options (`<method>RequestOptions`)
 *   hold the method and path, mapped to www.wixapis.com by the package's own domain table.
 * - `docs`: an endpoint the package's typings describe (request/response types) but whose method and
 *   path only Wix's REST reference publishes; `doc` is that page. The conformance suite lists these.
 */
export type WixEndpointSource =
  | { kind: 'meta'; package: string; method: string }
  | { kind: 'data-items-client'; package: '@wix/wix-data-items-sdk'; method: string }
  | { kind: 'docs'; package: string; types: string; doc: string };

/** One Wix REST endpoint we call: HTTP method, path template and the published fact it conforms to. */
export interface WixEndpoint {
  method: WixMethod;
  /** Path below `https://www.wixapis.com`, parameters as `{name}` (Wix's own names), e.g. `/ecom/v1/orders/{id}`. */
  path: string;
  source: WixEndpointSource;
  /**
   * Set when the SDK sends this endpoint as `GET` with the request in a `.r` query parameter while Wix's
   * REST reference documents `POST` with a JSON body on the same path; we send the documented POST.
   */
  restPostDoc?: string;
}

/**
 * Every Wix request our resources build, in one place. A new resource adds its entry here and builds its
 * request with `endpointRequest`; `test/wix/conformance/endpoints.conformance.test.ts` then checks method and path against
 * the package metadata (see src/wix/README.md, "Conformance").
 */
export const wixEndpoints = {
  getOrder: {
    method: 'GET',
    path: '/ecom/v1/orders/{id}',
    source: { kind: 'meta', package: '@wix/auto_sdk_ecom_orders', method: 'getOrder' },
  },
  searchOrders: {
    method: 'POST',
    path: '/ecom/v1/orders/search',
    source: { kind: 'meta', package: '@wix/auto_sdk_ecom_orders', method: 'searchOrders' },
  },
  addOrderActivities: {
    method: 'POST',
    path: '/ecom/v1/orders/{orderId}/activities/add',
    source: { kind: 'meta', package: '@wix/auto_sdk_ecom_orders', method: 'addActivities' },
  },
  getContact: {
    method: 'GET',
    path: '/contacts/v4/contacts/{id}',
    source: { kind: 'meta', package: '@wix/auto_sdk_crm_contacts', method: 'getContact' },
  },
  queryContacts: {
    method: 'POST',
    path: '/contacts/v4/contacts/query',
    source: { kind: 'meta', package: '@wix/auto_sdk_crm_contacts', method: 'queryContacts' },
  },
  labelContact: {
    method: 'POST',
    path: '/contacts/v4/contacts/{contactId}/labels',
    source: { kind: 'meta', package: '@wix/auto_sdk_crm_contacts', method: 'labelContact' },
  },
  findOrCreateLabel: {
    method: 'POST',
    path: '/contacts/v4/labels',
    source: { kind: 'meta', package: '@wix/auto_sdk_crm_labels', method: 'findOrCreateLabel' },
  },
  createTask: {
    method: 'POST',
    path: '/crm/tasks/v2/tasks',
    source: { kind: 'meta', package: '@wix/auto_sdk_crm_tasks', method: 'createTask' },
  },
  getOrCreateConversation: {
    method: 'POST',
    path: '/inbox/v2/conversations',
    source: { kind: 'meta', package: '@wix/auto_sdk_inbox_conversations', method: 'getOrCreateConversation' },
  },
  sendMessage: {
    method: 'POST',
    path: '/inbox/v2/messages',
    source: { kind: 'meta', package: '@wix/auto_sdk_inbox_messages', method: 'sendMessage' },
  },
  getCatalogVersion: {
    method: 'GET',
    path: '/stores/v3/provision/version',
    source: { kind: 'meta', package: '@wix/auto_sdk_stores_catalog-versioning', method: 'getCatalogVersion' },
  },
  queryProductsV3: {
    method: 'POST',
    path: '/stores/v3/products/query',
    source: { kind: 'meta', package: '@wix/auto_sdk_stores_products-v-3', method: 'queryProducts' },
    // "Endpoint: POST https://www.wixapis.com/stores/v3/products/query"
    restPostDoc: 'https://dev.wix.com/docs/api-reference/business-solutions/stores/skills/query-products',
  },
  queryProductsV1: {
    method: 'POST',
    path: '/stores-reader/v1/products/query',
    source: {
      kind: 'docs',
      package: '@wix/auto_sdk_stores_products',
      types: 'QueryProductsRequest / QueryProductsResponse',
      // "Use POST https://www.wixapis.com/stores-reader/v1/products/query to query products from a V1 store."
      doc: 'https://dev.wix.com/docs/api-reference/business-solutions/stores/skills/query-products-catalog-v1',
    },
  },
  queryDataItems: {
    method: 'POST',
    path: '/wix-data/v2/items/query',
    source: { kind: 'data-items-client', package: '@wix/wix-data-items-sdk', method: 'queryDataItems' },
  },
  // Cancel order (src/wix/resources/order-cancel.ts)
  cancelOrder: {
    method: 'POST',
    path: '/ecom/v1/orders/{id}/cancel',
    source: { kind: 'meta', package: '@wix/auto_sdk_ecom_orders', method: 'cancelOrder' },
  },
  // Contact writes (src/wix/resources/contact-write.ts)
  createContact: {
    method: 'POST',
    path: '/contacts/v4/contacts',
    source: { kind: 'meta', package: '@wix/auto_sdk_crm_contacts', method: 'createContact' },
  },
  updateContact: {
    method: 'PATCH',
    path: '/contacts/v4/contacts/{contactId}',
    source: { kind: 'meta', package: '@wix/auto_sdk_crm_contacts', method: 'updateContact' },
  },
  // Task lookup (src/wix/resources/tasks.ts)
  queryTasks: {
    method: 'POST',
    path: '/crm/tasks/v2/tasks/query',
    source: { kind: 'meta', package: '@wix/auto_sdk_crm_tasks', method: 'queryTasks' },
  },
  // One product (src/wix/resources/product.ts); product queries reuse queryProductsV3 / queryProductsV1
  getProductV3: {
    method: 'GET',
    path: '/stores/v3/products/{productId}',
    source: { kind: 'meta', package: '@wix/auto_sdk_stores_products-v-3', method: 'getProduct' },
  },
  getProductV1: {
    method: 'GET',
    path: '/stores-reader/v1/products/{id}',
    source: { kind: 'meta', package: '@wix/auto_sdk_stores_products', method: 'getProduct' },
  },
  // Members (src/wix/resources/members.ts)
  getMember: {
    method: 'GET',
    path: '/members/v1/members/{id}',
    source: { kind: 'meta', package: '@wix/auto_sdk_members_members', method: 'getMember' },
  },
  listMembers: {
    method: 'GET',
    path: '/members/v1/members',
    source: { kind: 'meta', package: '@wix/auto_sdk_members_members', method: 'listMembers' },
  },
  queryMembers: {
    method: 'POST',
    path: '/members/v1/members/query',
    source: { kind: 'meta', package: '@wix/auto_sdk_members_members', method: 'queryMembers' },
  },
  // Events V3 (src/wix/resources/events.ts)
  queryEvents: {
    method: 'POST',
    path: '/events/v3/events/query',
    source: { kind: 'meta', package: '@wix/auto_sdk_events_wix-events-v-2', method: 'queryEvents' },
  },
  // CMS collections and item writes (src/wix/resources/data-write.ts)
  getDataCollection: {
    method: 'GET',
    path: '/wix-data/v2/collections/{dataCollectionId}',
    source: { kind: 'meta', package: '@wix/auto_sdk_data_collections', method: 'getDataCollection' },
  },
  insertDataItem: {
    method: 'POST',
    path: '/wix-data/v2/items',
    source: { kind: 'data-items-client', package: '@wix/wix-data-items-sdk', method: 'insertDataItem' },
  },
  saveDataItem: {
    method: 'POST',
    path: '/wix-data/v2/items/save',
    source: { kind: 'data-items-client', package: '@wix/wix-data-items-sdk', method: 'saveDataItem' },
  },
  // Tool catalog (issue 14): Stores catalog writes and search.
  searchProductsV3: {
    method: 'POST',
    path: '/stores/v3/products/search',
    source: { kind: 'meta', package: '@wix/auto_sdk_stores_products-v-3', method: 'searchProducts' },
    // The SDK metadata sends GET with `.r` and names `fallback: [{ method: 'POST', data }]` on the same path.
    restPostDoc:
      'https://dev.wix.com/docs/api-reference/business-solutions/stores/catalog-v3/products-v3/search-products',
  },
  createProductV3: {
    method: 'POST',
    path: '/stores/v3/products',
    source: { kind: 'meta', package: '@wix/auto_sdk_stores_products-v-3', method: 'createProduct' },
  },
  updateProductV3: {
    method: 'PATCH',
    path: '/stores/v3/products/{productId}',
    source: { kind: 'meta', package: '@wix/auto_sdk_stores_products-v-3', method: 'updateProduct' },
  },
  bulkUpdateProductsV3: {
    method: 'POST',
    path: '/stores/v3/bulk/products/update',
    source: { kind: 'meta', package: '@wix/auto_sdk_stores_products-v-3', method: 'bulkUpdateProducts' },
  },
  createProductV1: {
    method: 'POST',
    path: '/stores/v1/products',
    source: { kind: 'meta', package: '@wix/auto_sdk_stores_products', method: 'createProduct' },
  },
  // Tool catalog (issue 14): eCommerce orders, create and update.
  createOrder: {
    method: 'POST',
    path: '/ecom/v1/orders',
    source: { kind: 'meta', package: '@wix/auto_sdk_ecom_orders', method: 'createOrder' },
  },
  updateOrder: {
    method: 'PATCH',
    path: '/ecom/v1/orders/{orderId}',
    source: { kind: 'meta', package: '@wix/auto_sdk_ecom_orders', method: 'updateOrder' },
  },
  // Tool catalog (issue 14): Bookings, query (reader API) and create.
  queryExtendedBookings: {
    method: 'POST',
    path: '/_api/bookings-reader/v2/extended-bookings/query',
    source: {
      kind: 'meta',
      package: '@wix/auto_sdk_bookings_extended-bookings',
      method: 'queryExtendedBookings',
    },
  },
  createBooking: {
    method: 'POST',
    path: '/_api/bookings-service/v2/bookings',
    source: { kind: 'meta', package: '@wix/auto_sdk_bookings_bookings', method: 'createBooking' },
  },
} as const satisfies Record<string, WixEndpoint>;

export type WixEndpointName = keyof typeof wixEndpoints;

/** The `{name}` parameters of a path template, as a record type. */
type PathParams<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? { [K in Name | keyof PathParams<Rest>]: string }
  : Record<never, string>;

/**
 * Method and encoded path of one endpoint: `endpointRequest('getOrder', { id })` →
 * `{ method: 'GET', path: '/ecom/v1/orders/<id, URI-encoded>' }`. Each parameter is one path segment.
 * @throws Error when a parameter is missing (a programming error).
 */
export function endpointRequest<N extends WixEndpointName>(
  name: N,
  params: PathParams<(typeof wixEndpoints)[N]['path']>,
): { method: WixMethod; path: string } {
  const endpoint: WixEndpoint = wixEndpoints[name];
  const values = params as Record<string, string>;
  const path = endpoint.path.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`${name}: path parameter ${key} missing`);
    return encodeURIComponent(value);
  });
  return { method: endpoint.method, path };
}
