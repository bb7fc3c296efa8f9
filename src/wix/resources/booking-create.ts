/**
 * Wix Bookings writer: Create Booking `POST /_api/bookings-service/v2/bookings` with `{booking: {totalParticipants,
 * bookedEntity: {slot}, contactDetails: {contactId}, status}, participantNotification: {notifyParticipants}}` →
 * `{booking}`. Source: `@wix/auto_sdk_bookings_bookings@1.0.241` (`createBooking`,
 * `com.wixpress.bookings.bookings.v2.Bookings.CreateBooking`, permission `BOOKINGS.BOOKING_CREATE`). Its docs:
 * an appointment names the slot's `startDate`, `endDate` (local, `YYYY-MM-DDThh:mm:ss`), `timezone` and
 * `resource`; a class session names `slot.eventId` (≥ 36, ≤ 250 characters) and Wix derives the times; "you
 * must specify either `participantsChoices` or `totalParticipants`" (≥ 1); "Create Booking defaults to
 * `status=CREATED`" (not in the Booking Calendar) and only identities with Manage Bookings may set `CONFIRMED`;
 * `paymentStatus` is always `UNDEFINED`; `notifyParticipants` defaults to false. Wix honours no idempotency key
 * and the booking carries no reference of ours, so a lost answer is settled by `bookingsLike`.
 */
import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
import { bookingSchema, queryBookings, type WixBooking } from './bookings-query.js';
import { fromScope, parseBody, type RequestScope, type WriteScope } from './scope.js';

/** One booking to create: an appointment slot (`start` + `end`) or a class session (`eventId`). */
export interface NewBooking {
  contactId: string;
  serviceId: string;
  /** Appointment: local times `YYYY-MM-DDThh:mm:ss` in `timezone` (Wix: the business's when absent). */
  start?: string;
  end?: string;
  timezone?: string;
  /** Appointment: the staff member (resource) asked for; Wix then checks that resource's availability. */
  staffResourceId?: string;
  /** Class: the session's calendar event id. */
  eventId?: string;
  participants: number;
  /** Send `status: CONFIRMED` (needs Manage Bookings); else Wix creates it `CREATED`. */
  confirm: boolean;
  notifyCustomer: boolean;
}

export function createBookingBody(b: NewBooking) {
  const slot = b.eventId
    ? { serviceId: b.serviceId, eventId: b.eventId }
    : {
        serviceId: b.serviceId,
        ...(b.start ? { startDate: b.start } : {}),
        ...(b.end ? { endDate: b.end } : {}),
        ...(b.timezone ? { timezone: b.timezone } : {}),
        ...(b.staffResourceId ? { resource: { id: b.staffResourceId } } : {}),
      };
  return {
    booking: {
      totalParticipants: b.participants,
      bookedEntity: { slot },
      contactDetails: { contactId: b.contactId },
      ...(b.confirm ? { status: 'CONFIRMED' as const } : {}),
    },
    participantNotification: { notifyParticipants: b.notifyCustomer },
  };
}

/** The Create Booking response fields we read. */
export const createResponse = z.looseObject({ booking: bookingSchema });

export async function createBooking(
  client: WixRequester,
  scope: WriteScope,
  b: NewBooking,
): Promise<WixBooking> {
  const response = await client.request({
    ...endpointRequest('createBooking', {}),
    body: createBookingBody(b),
    ...fromScope(scope),
  });
  return parseBody(createResponse, response, 'create booking').booking;
}

/** `2026-03-02T09:00:00.000` → `2026-03-02T09:00:00`: a local time to the second, as Wix echoes it. */
const toSecond = (local: string | null | undefined) => local?.slice(0, 19);

/** Whether an existing booking is this one: same contact, service and slot (session, or local start and zone). */
export function isSameBooking(booking: WixBooking, b: NewBooking): boolean {
  const slot = booking.bookedEntity?.slot;
  if (!slot || slot.serviceId !== b.serviceId) return false;
  if (booking.contactDetails?.contactId !== b.contactId) return false;
  if (booking.status === 'CANCELED' || booking.status === 'DECLINED') return false;
  if (b.eventId) return slot.eventId === b.eventId;
  return toSecond(slot.startDate) === toSecond(b.start) && (!b.timezone || slot.timezone === b.timezone);
}

/**
 * Live bookings of this contact for this service and slot, newest first, from the first page (100) of
 * Query Extended Bookings: a booking just created is among the newest. The reader may lag behind a write.
 */
export async function bookingsLike(
  client: WixRequester,
  scope: RequestScope,
  b: NewBooking,
): Promise<WixBooking[]> {
  const page = await queryBookings(client, scope, {
    contactId: b.contactId,
    serviceId: b.serviceId,
    sort: 'CREATED_DESC',
    limit: 100,
  });
  return page.bookings.filter((booking) => isSameBooking(booking, b));
}
