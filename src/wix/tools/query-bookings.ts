import { z } from 'zod';
import { wixLimits } from '../limits.js';
import {
  bookingSorts,
  bookingStatuses,
  queryBookings,
  type BookingSort,
} from '../resources/bookings-query.js';
import { bookingSummary } from './booking-compact.js';
import { pageInput } from './paging.js';
import { defineTool, scopeOf, wixId } from './tool.js';
import { contactName, pageNote, phrase } from './phrase.js';

const instant = z.iso.datetime({ offset: true });
const sorts = Object.keys(bookingSorts) as [BookingSort, ...BookingSort[]];

export const queryBookingsTool = defineTool({
  name: 'query_bookings',
  description:
    "Find this site's Wix Bookings bookings (appointments, class sessions, courses) by customer contact, service, status and start time. Returns short summaries (who, what, when in UTC, status); when nextCursor is set, call again with it for more.",
  input: z.object({
    contactId: wixId.optional().describe("Only this customer's bookings (their contact id)."),
    serviceId: wixId
      .optional()
      .describe('Only appointment and class bookings of this service (course bookings are not matched).'),
    statuses: z
      .array(z.enum(bookingStatuses))
      .min(1)
      .max(bookingStatuses.length)
      .optional()
      .describe('Only bookings with one of these statuses.'),
    startFrom: instant
      .optional()
      .describe('Only bookings starting at or after this ISO-8601 date-time, e.g. 2026-03-01T00:00:00Z.'),
    startBefore: instant.optional().describe('Only bookings starting before this ISO-8601 date-time.'),
    sort: z
      .enum(sorts)
      .default('CREATED_DESC')
      .describe('START_ASC (soonest first), START_DESC, or CREATED_DESC (newest bookings first, default).'),
    ...pageInput(wixLimits.bookingsPerQuery.max, 20),
  }),
  access: 'read',
  tags: ['bookings'],
  permission: 'BOOKINGS.BOOKING_READ',
  describe(input, about) {
    const whose = input.contactId ? ` of ${contactName(input.contactId, about)}` : '';
    return phrase('look up', 'looked up', `the bookings${whose}${pageNote(input)}`);
  },
  async execute(ctx, input) {
    const page = await queryBookings(ctx.client, scopeOf(ctx), input);
    return { bookings: page.bookings.map(bookingSummary), nextCursor: page.nextCursor };
  },
});
