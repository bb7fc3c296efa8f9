/**
 * Type-level conformance: every field our zod schemas read from Wix (and every field we send) exists in
 * Wix's published typings. Checked by `tsc` (npm run typecheck, and test/wix/conformance/fields.conformance.test.ts in
 * npm test): a renamed or invented field fails with its dotted path in the error message.
 *
 * A new resource adds one `known<UnknownFields<Ours, Theirs>>().toEqualTypeOf<never>()` line per
 * schema it reads and per body it sends (see src/wix/README.md, "Conformance").
 */
import type * as orders from '@wix/auto_sdk_ecom_orders/meta';
import type * as contacts from '@wix/auto_sdk_crm_contacts/meta';
import type * as labels from '@wix/auto_sdk_crm_labels/meta';
import type * as tasks from '@wix/auto_sdk_crm_tasks/meta';
import type * as conversations from '@wix/auto_sdk_inbox_conversations/meta';
import type * as messages from '@wix/auto_sdk_inbox_messages/meta';
import type * as productsV1 from '@wix/auto_sdk_stores_products/meta';
import type * as productsV3 from '@wix/auto_sdk_stores_products-v-3/meta';
import type * as versioning from '@wix/auto_sdk_stores_catalog-versioning/meta';
import type * as members from '@wix/auto_sdk_members_members/meta';
import type * as events from '@wix/auto_sdk_events_wix-events-v-2/meta';
import type * as collections from '@wix/auto_sdk_data_collections/meta';
import type { QueryDataItemsRequest, QueryDataItemsResponse } from '@wix/wix-data-items-common';
import type {
  InsertDataItemRequest,
  InsertDataItemResponse,
  SaveDataItemRequest,
  SaveDataItemResponse,
} from '@wix/wix-data-items-common';
import type { z } from 'zod';
import type * as ourContacts from '../../../src/wix/resources/contacts.js';
import type * as ourData from '../../../src/wix/resources/data.js';
import type * as ourLabels from '../../../src/wix/resources/labels.js';
import type * as ourOrders from '../../../src/wix/resources/orders.js';
import type * as ourStores from '../../../src/wix/resources/stores.js';
import type * as ourTasks from '../../../src/wix/resources/tasks.js';
import type { ContactSourceType } from '../../../src/wix/entities/contact.js';
import type * as ourOrder from '../../../src/wix/entities/order.js';
import type { CatalogVersion } from '../../../src/wix/resources/stores.js';
import type * as ourCancel from '../../../src/wix/resources/order-cancel.js';
import type * as ourContactWrite from '../../../src/wix/resources/contact-write.js';
import type * as ourProduct from '../../../src/wix/resources/product.js';
import type * as ourProductsQuery from '../../../src/wix/resources/products-query.js';
import type * as ourMembers from '../../../src/wix/resources/members.js';
import type * as ourEvents from '../../../src/wix/resources/events.js';
import type * as ourDataWrite from '../../../src/wix/resources/data-write.js';
import type { Literals, UnknownFields } from './unknown-fields.js';
// Tool catalog (issue 14): imports of the resources added for it.
import type * as ourProductSearch from '../../../src/wix/resources/products-search.js';
import type * as ourProductView from '../../../src/wix/resources/product-view.js';
import type * as ourProductCreate from '../../../src/wix/resources/product-create.js';
import type * as ourProductUpdate from '../../../src/wix/resources/product-update.js';
import type * as ourOrderWrite from '../../../src/wix/resources/order-write.js';
// Bookings (issue 14).
import type * as extendedBookings from '@wix/auto_sdk_bookings_extended-bookings/meta';
import type * as ourBookingsQuery from '../../../src/wix/resources/bookings-query.js';
import type * as bookings from '@wix/auto_sdk_bookings_bookings/meta';
import type * as ourBookingCreate from '../../../src/wix/resources/booking-create.js';

/** Wix's REST request and response types of an SDK method, from its `/meta` entry. */
type Req<F extends () => { __originalRequestType: unknown }> = ReturnType<F>['__originalRequestType'];
type Res<F extends () => { __originalResponseType: unknown }> = ReturnType<F>['__originalResponseType'];
type Out<S extends z.ZodType> = z.output<S>;
/** Compiles only when `T` is `never`; otherwise tsc names the unknown field paths. */
declare function known<_T extends never>(): void;

// eCommerce orders (@wix/auto_sdk_ecom_orders)
known<UnknownFields<Out<typeof ourOrder.orderSchema>, orders.OrderOriginal>>();
known<UnknownFields<Out<typeof ourOrder.orderActivitySchema>, orders.ActivityOriginal>>();
known<UnknownFields<Out<typeof ourOrders.searchResponse>, Res<typeof orders.searchOrders>>>();
known<UnknownFields<ReturnType<typeof ourOrders.orderSearchBody>, Req<typeof orders.searchOrders>>>();
known<UnknownFields<ReturnType<typeof ourOrders.merchantCommentBody>, Req<typeof orders.addActivities>>>();
known<UnknownFields<Out<typeof ourOrders.addActivitiesResponse>, Res<typeof orders.addActivities>>>();

// Contacts v4 (@wix/auto_sdk_crm_contacts)
known<UnknownFields<Out<typeof ourContacts.contactSchema>, contacts.ContactOriginal>>();
known<UnknownFields<Out<typeof ourContacts.queryResponse>, Res<typeof contacts.queryContacts>>>();
known<UnknownFields<ReturnType<typeof ourContacts.contactQueryBody>, Req<typeof contacts.queryContacts>>>();
known<UnknownFields<{ labelKeys: string[] }, Req<typeof contacts.labelContact>>>();
known<UnknownFields<Out<typeof ourLabels.labelledContactAnswer>, Res<typeof contacts.labelContact>>>();

// Enums we list: exactly Wix's values (none missing, none invented).
type OrderField<K extends keyof orders.OrderOriginal> = Literals<NonNullable<orders.OrderOriginal[K]>>;
known<Exclude<OrderField<'status'>, ourOrder.OrderStatus>>();
known<Exclude<ourOrder.OrderStatus, OrderField<'status'>>>();
known<Exclude<OrderField<'paymentStatus'>, ourOrder.PaymentStatus>>();
known<Exclude<ourOrder.PaymentStatus, OrderField<'paymentStatus'>>>();
known<Exclude<OrderField<'fulfillmentStatus'>, ourOrder.FulfillmentStatus>>();
known<Exclude<ourOrder.FulfillmentStatus, OrderField<'fulfillmentStatus'>>>();
known<Exclude<Literals<contacts.ContactSourceTypeWithLiteralsOriginal>, ContactSourceType>>();
known<Exclude<ContactSourceType, Literals<contacts.ContactSourceTypeWithLiteralsOriginal>>>();

// Labels (@wix/auto_sdk_crm_labels)
known<UnknownFields<Out<typeof ourLabels.labelSchema>, labels.ContactLabelOriginal>>();
known<UnknownFields<{ displayName: string }, Req<typeof labels.findOrCreateLabel>>>();
known<UnknownFields<{ label: unknown; newLabel: boolean }, Res<typeof labels.findOrCreateLabel>>>();

// Tasks v2 (@wix/auto_sdk_crm_tasks)
known<UnknownFields<Out<typeof ourTasks.taskSchema>, tasks.TaskOriginal>>();
known<UnknownFields<ReturnType<typeof ourTasks.createTaskBody>, Req<typeof tasks.createTask>>>();

// Inbox (@wix/auto_sdk_inbox_conversations, @wix/auto_sdk_inbox_messages)
known<
  UnknownFields<{ participantId: { contactId: string } }, Req<typeof conversations.getOrCreateConversation>>
>();
known<
  UnknownFields<
    { conversation: { id: string }; newConversation: boolean },
    Res<typeof conversations.getOrCreateConversation>
  >
>();
known<
  UnknownFields<
    {
      conversationId: string;
      message: {
        direction: string;
        visibility: string;
        content: { previewText: string; basic: { items: { text: string }[] } };
      };
      sendNotifications: boolean;
    },
    Req<typeof messages.sendMessage>
  >
>();
known<UnknownFields<{ message: { id: string } }, Res<typeof messages.sendMessage>>>();

// Stores (@wix/auto_sdk_stores_catalog-versioning, _products-v-3, _products)
known<UnknownFields<{ catalogVersion: string }, Res<typeof versioning.getCatalogVersion>>>();
known<Exclude<Literals<Res<typeof versioning.getCatalogVersion>['catalogVersion']>, CatalogVersion>>();
known<Exclude<CatalogVersion, Literals<Res<typeof versioning.getCatalogVersion>['catalogVersion']>>>();
known<UnknownFields<Out<typeof ourStores.v3Response>, Res<typeof productsV3.queryProducts>>>();
known<UnknownFields<ReturnType<typeof ourStores.v3QueryBody>, Req<typeof productsV3.queryProducts>>>();
known<UnknownFields<Out<typeof ourStores.v1Response>, productsV1.QueryProductsResponseOriginal>>();
known<UnknownFields<ReturnType<typeof ourStores.v1QueryBody>, productsV1.QueryProductsRequestOriginal>>();

// CMS data items (@wix/wix-data-items-sdk → @wix/wix-data-items-common typings)
known<UnknownFields<Out<typeof ourData.queryResponse>, QueryDataItemsResponse>>();
known<UnknownFields<ReturnType<typeof ourData.dataQueryBody>, QueryDataItemsRequest>>();

// Cancel order (@wix/auto_sdk_ecom_orders cancelOrder)
known<UnknownFields<ReturnType<typeof ourCancel.cancelOrderBody>, Req<typeof orders.cancelOrder>>>();
known<UnknownFields<Out<typeof ourCancel.cancelOrderResponse>, Res<typeof orders.cancelOrder>>>();

// Contact writes (@wix/auto_sdk_crm_contacts createContact, updateContact)
known<
  UnknownFields<ReturnType<typeof ourContactWrite.createContactBody>, Req<typeof contacts.createContact>>
>();
known<
  UnknownFields<ReturnType<typeof ourContactWrite.updateContactBody>, Req<typeof contacts.updateContact>>
>();
known<UnknownFields<Out<typeof ourContactWrite.contactAnswer>, Res<typeof contacts.createContact>>>();
known<UnknownFields<Out<typeof ourContactWrite.contactAnswer>, Res<typeof contacts.updateContact>>>();
type EmailTags = ReturnType<typeof ourContactWrite.createContactBody>['info']['emails'];
type PhoneTags = ReturnType<typeof ourContactWrite.createContactBody>['info']['phones'];
known<
  Exclude<NonNullable<EmailTags>['items'][number]['tag'], Literals<contacts.EmailTagWithLiteralsOriginal>>
>();
known<
  Exclude<NonNullable<PhoneTags>['items'][number]['tag'], Literals<contacts.PhoneTagWithLiteralsOriginal>>
>();

// Task lookup (@wix/auto_sdk_crm_tasks queryTasks)
known<UnknownFields<ReturnType<typeof ourTasks.queryTasksSinceBody>, Req<typeof tasks.queryTasks>>>();
known<UnknownFields<Out<typeof ourTasks.queryTasksResponse>, Res<typeof tasks.queryTasks>>>();

// One product and product queries (@wix/auto_sdk_stores_products-v-3, _products)
known<UnknownFields<Out<typeof ourProduct.getProductV3Response>, Res<typeof productsV3.getProduct>>>();
known<UnknownFields<{ fields: string[] }, Req<typeof productsV3.getProduct>>>();
type V3GetFields = Literals<NonNullable<Req<typeof productsV3.getProduct>['fields']>[number]>;
known<Exclude<(typeof ourProductView.summaryFields)[number], V3GetFields>>();
known<UnknownFields<Out<typeof ourProduct.getProductV1Response>, Res<typeof productsV1.getProduct>>>();
known<
  UnknownFields<ReturnType<typeof ourProductsQuery.productsV3QueryBody>, Req<typeof productsV3.queryProducts>>
>();
known<UnknownFields<Out<typeof ourProductsQuery.productsV3Page>, Res<typeof productsV3.queryProducts>>>();
type V3QueryFields = Literals<NonNullable<Req<typeof productsV3.queryProducts>['fields']>[number]>;
known<Exclude<(typeof ourProductView.summaryFields)[number], V3QueryFields>>();
known<
  UnknownFields<
    ReturnType<typeof ourProductsQuery.productsV1QueryBody>,
    productsV1.QueryProductsRequestOriginal
  >
>();
known<UnknownFields<Out<typeof ourProductsQuery.productsV1Page>, productsV1.QueryProductsResponseOriginal>>();

// Members (@wix/auto_sdk_members_members getMember, listMembers, queryMembers)
known<UnknownFields<Out<typeof ourMembers.memberSchema>, members.MemberOriginal>>();
known<UnknownFields<Out<typeof ourMembers.getMemberResponse>, Res<typeof members.getMember>>>();
known<UnknownFields<{ fieldsets: string[] }, Req<typeof members.getMember>>>();
known<UnknownFields<ReturnType<typeof ourMembers.listMembersRequest>, Req<typeof members.listMembers>>>();
known<UnknownFields<Out<typeof ourMembers.memberPageSchema>, Res<typeof members.listMembers>>>();
known<UnknownFields<ReturnType<typeof ourMembers.queryMembersBody>, Req<typeof members.queryMembers>>>();
known<UnknownFields<Out<typeof ourMembers.memberPageSchema>, Res<typeof members.queryMembers>>>();
type MemberFieldsets = Literals<NonNullable<Req<typeof members.listMembers>['fieldsets']>[number]>;
known<Exclude<(typeof ourMembers.memberFieldsets)[number], MemberFieldsets>>();
// Statuses one can filter on: all of Wix's but UNKNOWN.
type MemberStatusOf = Literals<NonNullable<members.MemberOriginal['status']>>;
known<Exclude<ourMembers.MemberStatus, MemberStatusOf>>();
known<Exclude<MemberStatusOf, ourMembers.MemberStatus | 'UNKNOWN'>>();

// Events V3 (@wix/auto_sdk_events_wix-events-v-2 queryEvents)
known<UnknownFields<Out<typeof ourEvents.eventSchema>, events.EventOriginal>>();
known<UnknownFields<ReturnType<typeof ourEvents.queryEventsBody>, Req<typeof events.queryEvents>>>();
known<UnknownFields<Out<typeof ourEvents.queryEventsResponse>, Res<typeof events.queryEvents>>>();
type EventFieldsets = Literals<NonNullable<Req<typeof events.queryEvents>['fields']>[number]>;
known<Exclude<(typeof ourEvents.eventFieldsets)[number], EventFieldsets>>();
// Statuses a query returns without includeDrafts: all of Wix's but DRAFT.
type EventStatusOf = Literals<NonNullable<events.EventOriginal['status']>>;
known<Exclude<ourEvents.PublishedEventStatus, EventStatusOf>>();
known<Exclude<EventStatusOf, ourEvents.PublishedEventStatus | 'DRAFT'>>();

// CMS collections (@wix/auto_sdk_data_collections getDataCollection) and item writes
// (@wix/wix-data-items-sdk → @wix/wix-data-items-common typings)
known<
  UnknownFields<Out<typeof ourDataWrite.getDataCollectionResponse>, Res<typeof collections.getDataCollection>>
>();
known<UnknownFields<ReturnType<typeof ourDataWrite.dataItemBody>, InsertDataItemRequest>>();
known<UnknownFields<ReturnType<typeof ourDataWrite.dataItemBody>, SaveDataItemRequest>>();
known<UnknownFields<Out<typeof ourDataWrite.dataItemAnswer>, InsertDataItemResponse>>();
known<UnknownFields<Out<typeof ourDataWrite.dataItemAnswer>, SaveDataItemResponse>>();

// Tool catalog (issue 14): Stores search and writes (@wix/auto_sdk_stores_products-v-3, _products)
known<UnknownFields<Out<typeof ourProductSearch.searchResponse>, Res<typeof productsV3.searchProducts>>>();
known<
  UnknownFields<ReturnType<typeof ourProductSearch.productSearchBody>, Req<typeof productsV3.searchProducts>>
>();
type V3Availability = Literals<
  NonNullable<NonNullable<productsV3.V3ProductOriginal['inventory']>['availabilityStatus']>
>;
known<Exclude<V3Availability, (typeof ourProductSearch.availabilityStatuses)[number]>>();
known<Exclude<(typeof ourProductSearch.availabilityStatuses)[number], V3Availability>>();
known<
  UnknownFields<ReturnType<typeof ourProductView.lookupQueryBody>, Req<typeof productsV3.queryProducts>>
>();
known<UnknownFields<Out<typeof ourProductView.lookupResponse>, Res<typeof productsV3.queryProducts>>>();
known<
  UnknownFields<ReturnType<typeof ourProductCreate.createProductV3Body>, Req<typeof productsV3.createProduct>>
>();
known<UnknownFields<Out<typeof ourProductCreate.createV3Response>, Res<typeof productsV3.createProduct>>>();
known<
  UnknownFields<ReturnType<typeof ourProductCreate.createProductV1Body>, Req<typeof productsV1.createProduct>>
>();
known<UnknownFields<Out<typeof ourProductCreate.createV1Response>, Res<typeof productsV1.createProduct>>>();
known<
  UnknownFields<ReturnType<typeof ourProductUpdate.updateProductBody>, Req<typeof productsV3.updateProduct>>
>();
known<UnknownFields<Out<typeof ourProductUpdate.updateResponse>, Res<typeof productsV3.updateProduct>>>();
known<
  UnknownFields<
    ReturnType<typeof ourProductUpdate.bulkUpdateProductsBody>,
    Req<typeof productsV3.bulkUpdateProducts>
  >
>();
known<
  UnknownFields<Out<typeof ourProductUpdate.bulkUpdateResponse>, Res<typeof productsV3.bulkUpdateProducts>>
>();

// Tool catalog (issue 14): eCommerce orders, create and update (@wix/auto_sdk_ecom_orders)
known<UnknownFields<ReturnType<typeof ourOrderWrite.createOrderBody>, Req<typeof orders.createOrder>>>();
known<UnknownFields<Out<typeof ourOrderWrite.orderResponse>, Res<typeof orders.createOrder>>>();
known<UnknownFields<ReturnType<typeof ourOrderWrite.updateOrderBody>, Req<typeof orders.updateOrder>>>();
known<UnknownFields<Out<typeof ourOrderWrite.orderResponse>, Res<typeof orders.updateOrder>>>();
known<
  UnknownFields<ReturnType<typeof ourOrderWrite.externalOrderSearchBody>, Req<typeof orders.searchOrders>>
>();
type ChannelTypes = Literals<NonNullable<orders.ChannelInfoOriginal['type']>>;
known<Exclude<Exclude<ChannelTypes, 'UNSPECIFIED'>, ourOrderWrite.OrderChannel>>();
known<Exclude<ourOrderWrite.OrderChannel, ChannelTypes>>();

// Tool catalog (issue 14): Bookings reader (@wix/auto_sdk_bookings_extended-bookings)
known<UnknownFields<Out<typeof ourBookingsQuery.bookingSchema>, extendedBookings.BookingOriginal>>();
known<
  UnknownFields<
    Out<typeof ourBookingsQuery.queryResponse>,
    Res<typeof extendedBookings.queryExtendedBookings>
  >
>();
known<
  UnknownFields<
    ReturnType<typeof ourBookingsQuery.bookingQueryBody>,
    Req<typeof extendedBookings.queryExtendedBookings>
  >
>();
type ReaderBookingStatus = Literals<NonNullable<extendedBookings.BookingOriginal['status']>>;
known<Exclude<ReaderBookingStatus, ourBookingsQuery.BookingStatus>>();
known<Exclude<ourBookingsQuery.BookingStatus, ReaderBookingStatus>>();
type ReaderSortOrder = NonNullable<extendedBookings.SortingOriginal['order']>;
known<
  Exclude<(typeof ourBookingsQuery.bookingSorts)[ourBookingsQuery.BookingSort]['order'], ReaderSortOrder>
>();

// Tool catalog (issue 14): Bookings writer (@wix/auto_sdk_bookings_bookings)
known<
  UnknownFields<ReturnType<typeof ourBookingCreate.createBookingBody>, Req<typeof bookings.createBooking>>
>();
known<UnknownFields<Out<typeof ourBookingCreate.createResponse>, Res<typeof bookings.createBooking>>>();
known<UnknownFields<Out<typeof ourBookingsQuery.bookingSchema>, bookings.BookingOriginal>>();
known<Exclude<Literals<NonNullable<bookings.BookingOriginal['status']>>, ourBookingsQuery.BookingStatus>>();
