/**
 * Wix Bookings in the emulator: bookings in the REST shape of `@wix/auto_sdk_bookings_bookings`'s `Booking`
 * (dates in UTC, the slot in its local time and time zone), the services and class sessions the seeded
 * studio offers, and what Query Extended Bookings may filter on (Wix's "Supported Filters" page).
 */
import { stableId, type EmulatedService, type EmulatorSite, type Entity } from './model.js';

export type { EmulatedService, EmulatedSession } from './model.js';

/** The fields and operators Query Extended Bookings accepts in a filter (Wix's supported-filters table). */
const idOps = ['$eq', '$ne', '$in'];
const dateOps = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin'];
export const bookingFilterFields: Record<string, string[]> = {
  id: idOps,
  'bookedEntity.item.slot.sessionId': idOps,
  'bookedEntity.item.slot.eventId': idOps,
  'bookedEntity.item.slot.serviceId': idOps,
  'bookedEntity.item.slot.scheduleId': idOps,
  'bookedEntity.item.slot.resource.id': idOps,
  'bookedEntity.item.schedule.scheduleId': idOps,
  'bookedEntity.item.schedule.serviceId': idOps,
  'bookedEntity.tags': ['$hasSome', '$hasAll'],
  'contactDetails.contactId': idOps,
  'contactDetails.email': idOps,
  status: idOps,
  paymentStatus: idOps,
  selectedPaymentOption: idOps,
  externalUserId: idOps,
  createdDate: dateOps,
  startDate: dateOps,
  endDate: dateOps,
  updatedDate: dateOps,
};

/** The offset of `timeZone` from UTC at instant `t`, in ms (local − UTC). */
function offsetMs(t: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(t));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - t;
}

/** `2026-03-02T09:00:00` in `Europe/Berlin` → `2026-03-02T08:00:00.000Z`. */
export function zonedToUtc(local: string, timeZone: string): string {
  const naive = Date.parse(`${local.slice(0, 19)}Z`);
  return new Date(naive - offsetMs(naive - offsetMs(naive, timeZone), timeZone)).toISOString();
}

export interface BookingInput {
  id?: string;
  service: EmulatedService;
  contact: { contactId: string; firstName?: string; lastName?: string; email?: string };
  /** Local slot times in `timezone`, and the class session when one is booked. */
  start: string;
  end: string;
  timezone: string;
  eventId?: string;
  participants: number;
  status: string;
  createdDate: string;
}

/** A booking in Wix's REST shape, stored on the site. */
export function addBooking(site: EmulatorSite, input: BookingInput): Entity {
  const id = input.id ?? stableId(`${site.instanceId}/booking/${site.bookings.size + 1}`);
  const booking: Entity = {
    id,
    revision: '1',
    status: input.status,
    paymentStatus: 'UNDEFINED',
    totalParticipants: input.participants,
    createdDate: input.createdDate,
    updatedDate: input.createdDate,
    startDate: zonedToUtc(input.start, input.timezone),
    endDate: zonedToUtc(input.end, input.timezone),
    contactDetails: input.contact,
    bookedEntity: {
      title: input.service.name,
      tags: [input.service.type === 'CLASS' ? 'GROUP' : 'INDIVIDUAL'],
      slot: {
        serviceId: input.service.id,
        startDate: input.start,
        endDate: input.end,
        timezone: input.timezone,
        ...(input.eventId ? { eventId: input.eventId } : {}),
      },
    },
  };
  site.bookings.set(id, booking);
  return booking;
}

/** The booking as Query Extended Bookings filters it: the slot or schedule also under `bookedEntity.item`. */
export function filterView(booking: Entity): Entity {
  const entity = (booking.bookedEntity ?? {}) as Record<string, unknown>;
  return { ...booking, bookedEntity: { ...entity, item: { slot: entity.slot, schedule: entity.schedule } } };
}
