import { z } from 'zod';
import { wixLimits } from '../limits.js';
import { bookingsLike, createBooking, type NewBooking } from '../resources/booking-create.js';
import { bookingSummary } from './booking-compact.js';
import { defineTool, scopeOf, wixId, writeScope } from './tool.js';
import { contactName, phrase, quote } from './phrase.js';

/** A local date-time as Wix's slots take it: `YYYY-MM-DDThh:mm:ss`, no offset (the zone is `timezone`). */
const localTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, 'a local time like 2026-03-02T09:00:00 (no offset)');

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const input = z
  .object({
    contactId: wixId.describe("The customer's contact id (find_contacts, create_contact)."),
    serviceId: wixId.describe('The Wix Bookings service booked.'),
    startDate: localTime.optional().describe('Appointment: slot start, local time in timezone.'),
    endDate: localTime.optional().describe('Appointment: slot end, local time in timezone.'),
    timezone: z
      .string()
      .max(64)
      .refine(isTimeZone, 'an IANA time zone such as Europe/Berlin or UTC')
      .optional()
      .describe("Appointment: IANA time zone of the times, e.g. Europe/Berlin (default: the business's)."),
    staffResourceId: wixId
      .optional()
      .describe('Appointment: the staff member (resource id) asked for; Wix then checks their availability.'),
    eventId: z
      .string()
      .min(36)
      .max(wixLimits.bookingEventId.max)
      .regex(/^[\x21-\x7e]+$/, 'an event id (no spaces)')
      .optional()
      .describe('Class: the session (calendar event id) booked; Wix takes the times from it.'),
    participants: z.number().int().min(1).default(1).describe('Number of participants (default 1).'),
    confirm: z
      .boolean()
      .default(false)
      .describe(
        'Create it CONFIRMED, in the Booking Calendar (needs the Manage Bookings permission); default CREATED.',
      ),
    notifyCustomer: z
      .boolean()
      .default(false)
      .describe('Notify the customer about the booking (default false).'),
  })
  .refine((v) => Boolean(v.eventId) !== Boolean(v.startDate || v.endDate), {
    message: 'give eventId (a class session) or startDate and endDate (an appointment), not both',
    path: ['eventId'],
  })
  .refine((v) => v.eventId || (v.startDate && v.endDate && v.startDate < v.endDate), {
    message: 'an appointment needs startDate before endDate',
    path: ['endDate'],
  })
  .refine((v) => !v.eventId || !(v.timezone || v.staffResourceId), {
    message: 'a class session has its own time zone and staff: give only eventId',
    path: ['eventId'],
  });

function newBooking(args: z.output<typeof input>): NewBooking {
  const { contactId, serviceId, participants, confirm, notifyCustomer } = args;
  return {
    contactId,
    serviceId,
    participants,
    confirm,
    notifyCustomer,
    ...(args.eventId ? { eventId: args.eventId } : {}),
    ...(args.startDate ? { start: args.startDate } : {}),
    ...(args.endDate ? { end: args.endDate } : {}),
    ...(args.timezone ? { timezone: args.timezone } : {}),
    ...(args.staffResourceId ? { staffResourceId: args.staffResourceId } : {}),
  };
}

export const createBookingTool = defineTool({
  name: 'create_booking',
  description:
    "Book a customer (contact) into a Wix Bookings service: an appointment slot (start, end, time zone, optional staff) or a class session (eventId). Created CREATED unless confirm is true; payment is not taken. Returns the booking's id, status and times.",
  input,
  access: 'write',
  tags: ['bookings'],
  permission: 'BOOKINGS.BOOKING_CREATE',
  // Never `repeat` (a second booking). Wix keeps no reference of ours on a booking, but contact + service +
  // slot identifies it: see `reconcile`.
  settle: 'reconcile',
  describe(args, about) {
    const when = args.startDate
      ? ` at ${quote(args.startDate, 19)}`
      : args.eventId
        ? ' into a class session'
        : '';
    return phrase('book', 'booked', `${contactName(args.contactId, about)}${when}`);
  },
  async execute(ctx, args) {
    return bookingSummary(await createBooking(ctx.client, writeScope(ctx), newBooking(args)));
  },
  /**
   * Outcome unknown: exactly one live booking (not canceled or declined) of this contact for this service and
   * slot is this write's booking. None (the reader may lag) or several: parked for a person.
   */
  async reconcile(ctx, args) {
    const found = await bookingsLike(ctx.client, scopeOf(ctx), newBooking(args));
    return found.length === 1 ? bookingSummary(found[0]!) : undefined;
  },
});
