/**
 * Wix Bookings reader: Query Extended Bookings `POST /_api/bookings-reader/v2/extended-bookings/query` with
 * `{query: {filter, sort, cursorPaging: {limit ≤ 100, cursor}}}` → `{extendedBookings: [{booking}],
 * pagingMetadata: {cursors: {next}}}`. A cursor replaces filter and sort ("specify the retrieved
 * `cursorPaging.cursor` token and not `query.filter` or `query.sort`"); each filter field may appear once;
 * dates are filtered in UTC. Source: `@wix/auto_sdk_bookings_extended-bookings@1.0.133`
 * (`queryExtendedBookings`, `com.wixpress.bookings.reader.v2.BookingsReader.QueryExtendedBookings`,
 * permission `BOOKINGS.BOOKING_READ`). Filterable fields and operators: Wix's "Supported Filters" page
 * (https://dev.wix.com/docs/rest/business-solutions/bookings/bookings/bookings-reader-v2/supported-filters),
 * e.g. `contactDetails.contactId`, `bookedEntity.item.slot.serviceId` ($eq $ne $in), `status` ($eq $ne $in),
 * `startDate` ($gt $gte $lt $lte …).
 */
import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
import { fromScope, parseBody, type RequestScope } from './scope.js';

/** Booking statuses (`BookingStatus` of the typings). */
export const bookingStatuses = [
  'CREATED',
  'CONFIRMED',
  'CANCELED',
  'PENDING',
  'DECLINED',
  'WAITING_LIST',
] as const;
export type BookingStatus = (typeof bookingStatuses)[number];

/** Orders a query can be sorted in (field and direction). */
export const bookingSorts = {
  START_ASC: { fieldName: 'startDate', order: 'ASC' },
  START_DESC: { fieldName: 'startDate', order: 'DESC' },
  CREATED_DESC: { fieldName: 'createdDate', order: 'DESC' },
} as const;
export type BookingSort = keyof typeof bookingSorts;

/** A booking as Wix returns it, with the fields we read. Dates are ISO-8601 UTC strings. */
export const bookingSchema = z.looseObject({
  id: z.string(),
  status: z.string().optional(),
  paymentStatus: z.string().optional(),
  totalParticipants: z.number().optional(),
  startDate: z.string().nullish(),
  endDate: z.string().nullish(),
  createdDate: z.string().nullish(),
  revision: z.string().nullish(),
  contactDetails: z
    .looseObject({
      contactId: z.string().nullish(),
      firstName: z.string().nullish(),
      lastName: z.string().nullish(),
      email: z.string().nullish(),
    })
    .optional(),
  bookedEntity: z
    .looseObject({
      title: z.string().nullish(),
      slot: z
        .looseObject({
          serviceId: z.string().optional(),
          eventId: z.string().nullish(),
          /** Local time of the slot in `timezone`, as it was booked. */
          startDate: z.string().nullish(),
          timezone: z.string().nullish(),
        })
        .optional(),
    })
    .optional(),
});
export type WixBooking = z.output<typeof bookingSchema>;

/** The Query Extended Bookings response fields we read. */
export const queryResponse = z.looseObject({
  extendedBookings: z.array(z.looseObject({ booking: bookingSchema.optional() })).default([]),
  pagingMetadata: z
    .looseObject({ cursors: z.looseObject({ next: z.string().nullish() }).optional() })
    .optional(),
});

export interface BookingQuery {
  contactId?: string;
  /** Appointment and class bookings of this service (`bookedEntity.item.slot.serviceId`). */
  serviceId?: string;
  statuses?: BookingStatus[];
  /** Bookings starting at or after / before this instant (ISO-8601, sent as UTC). */
  startFrom?: string;
  startBefore?: string;
  sort: BookingSort;
  /** 1-100. */
  limit: number;
  /** Wix's cursor of the previous page (it carries the first page's filter and sort). */
  cursor?: string;
}

const utc = (instant: string) => new Date(instant).toISOString();

/** The Query Extended Bookings body for this query: each field filtered once, as Wix requires. */
export function bookingQueryBody(q: BookingQuery) {
  if (q.cursor) return { query: { cursorPaging: { limit: q.limit, cursor: q.cursor } } };
  const filter: Record<string, unknown> = {};
  if (q.contactId) filter['contactDetails.contactId'] = { $eq: q.contactId };
  if (q.serviceId) filter['bookedEntity.item.slot.serviceId'] = { $eq: q.serviceId };
  if (q.statuses?.length) filter.status = { $in: q.statuses };
  if (q.startFrom || q.startBefore) {
    filter.startDate = {
      ...(q.startFrom ? { $gte: utc(q.startFrom) } : {}),
      ...(q.startBefore ? { $lt: utc(q.startBefore) } : {}),
    };
  }
  return {
    query: {
      ...(Object.keys(filter).length ? { filter } : {}),
      sort: [{ ...bookingSorts[q.sort] }],
      cursorPaging: { limit: q.limit },
    },
  };
}

/** One page of bookings and Wix's cursor of the next page. */
export async function queryBookings(
  client: WixRequester,
  scope: RequestScope,
  q: BookingQuery,
): Promise<{ bookings: WixBooking[]; nextCursor: string | undefined }> {
  const response = await client.request({
    ...endpointRequest('queryExtendedBookings', {}),
    body: bookingQueryBody(q),
    read: true,
    ...fromScope(scope),
  });
  const page = parseBody(queryResponse, response, 'query extended bookings');
  return {
    bookings: page.extendedBookings.flatMap((e) => (e.booking ? [e.booking] : [])),
    nextCursor: page.pagingMetadata?.cursors?.next ?? undefined,
  };
}
