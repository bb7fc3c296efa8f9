import { Router } from 'express';
import { z } from 'zod';
import { bookingStatuses } from '../../../wix/resources/bookings-query.js';
import { wixLimits } from '../../../wix/limits.js';
import { addBooking, bookingFilterFields, filterView } from '../bookings.js';
import { applicationError, parseRequest, siteOf, validationError, type RouteContext } from '../http.js';
import type { Entity } from '../model.js';
import { cursorPage, runQuery } from './paging.js';

/** Query Extended Bookings as `@wix/auto_sdk_bookings_extended-bookings` types it (`query` required). */
const queryBody = z.object({
  query: z.object({
    filter: z.record(z.string(), z.unknown()).nullish(),
    sort: z
      .array(z.object({ fieldName: z.string().max(512), order: z.enum(['ASC', 'DESC']).optional() }))
      .optional(),
    cursorPaging: z
      .object({
        limit: z.number().int().min(0).max(wixLimits.bookingsPerQuery.max).nullish(),
        cursor: z.string().max(16000).nullish(),
      })
      .optional(),
  }),
  withBookingAllowedActions: z.boolean().optional(),
  withBookingAttendanceInfo: z.boolean().optional(),
});

/** Create Booking as `@wix/auto_sdk_bookings_bookings` types it (`booking.bookedEntity` required). */
const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
const createBody = z.object({
  booking: z.object({
    totalParticipants: z.number().int().min(1).optional(),
    participantsChoices: z.record(z.string(), z.unknown()).optional(),
    bookedEntity: z.object({
      slot: z
        .object({
          serviceId: z.string().optional(),
          scheduleId: z.string().optional(),
          eventId: z.string().min(36).max(wixLimits.bookingEventId.max).nullish(),
          startDate: localTime.nullish(),
          endDate: localTime.nullish(),
          timezone: z.string().nullish(),
          resource: z.object({ id: z.string().optional() }).optional(),
        })
        .optional(),
      schedule: z.object({ scheduleId: z.string().optional(), serviceId: z.string().nullish() }).optional(),
    }),
    contactDetails: z
      .object({
        contactId: z.string().nullish(),
        firstName: z.string().nullish(),
        lastName: z.string().nullish(),
        email: z.email().nullish(),
        phone: z.string().nullish(),
      })
      .optional(),
    status: z.enum(bookingStatuses).optional(),
  }),
  participantNotification: z
    .object({ notifyParticipants: z.boolean().optional(), message: z.string().nullish() })
    .optional(),
  sendSmsReminder: z.boolean().nullish(),
});

/** Every field a filter names, with its operators (`$and`/`$or`/`$not` looked into). */
function filterFields(filter: unknown, out: [string, string[]][] = []): [string, string[]][] {
  if (!filter || typeof filter !== 'object') return out;
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' || key === '$or')
      for (const f of Array.isArray(value) ? value : []) filterFields(f, out);
    else if (key === '$not') filterFields(value, out);
    else {
      const isOps = value && typeof value === 'object' && !Array.isArray(value);
      out.push([key, isOps ? Object.keys(value).filter((k) => k.startsWith('$')) : ['$eq']]);
    }
  }
  return out;
}

/** Wix refuses filter fields and operators outside its supported-filters table. */
function checkFilter(filter: unknown): void {
  for (const [field, ops] of filterFields(filter)) {
    const allowed = bookingFilterFields[field];
    const bad = allowed ? ops.find((op) => !allowed.includes(op)) : undefined;
    if (!allowed || bad) {
      const description = allowed ? `operator ${bad} is not supported` : 'field is not supported in a filter';
      throw validationError([{ field: `query.filter.${field}`, description, violatedRule: 'OTHER' }]);
    }
  }
}

/**
 * Wix Bookings: Query Extended Bookings (reader) and Create Booking (writer). A created booking is `CREATED`
 * unless `CONFIRMED` is asked ("Create Booking defaults to `status=CREATED`"), with `paymentStatus`
 * `UNDEFINED` ("All bookings are created with `paymentStatus=UNDEFINED`"). A class booking takes its times
 * from the session (`eventId`); the emulator knows only the seeded sessions and answers `SESSION_NOT_FOUND`
 * (a Create Booking error code) for others. No availability check.
 */
export function bookingsRoutes(ctx: RouteContext): Router {
  const router = Router();

  router.post('/_api/bookings-reader/v2/extended-bookings/query', (req, res) => {
    const site = siteOf(res);
    const { query } = parseRequest(queryBody, req.body);
    if (query.filter) checkFilter(query.filter);
    const { page, next } = cursorPage(
      (filter, sort) =>
        runQuery([...site.bookings.values()].map(filterView), filter, sort).map(
          (view) => site.bookings.get(view.id) as Entity,
        ),
      {
        filter: query.filter ?? undefined,
        sort: query.sort,
        limit: query.cursorPaging?.limit ?? 50,
        cursor: query.cursorPaging?.cursor ?? undefined,
      },
      { sort: [{ fieldName: 'createdDate', order: 'DESC' }] },
    );
    res.json({
      extendedBookings: page.map((booking) => ({ booking })),
      pagingMetadata: { count: page.length, cursors: next ? { next } : {}, hasNext: Boolean(next) },
    });
  });

  router.post('/_api/bookings-service/v2/bookings', (req, res) => {
    const site = siteOf(res);
    const { booking: input } = parseRequest(createBody, req.body);
    const slot = input.bookedEntity.slot;
    const violations = [
      ...(input.totalParticipants === undefined && !input.participantsChoices
        ? [
            {
              field: 'booking.totalParticipants',
              description: 'specify totalParticipants or participantsChoices',
            },
          ]
        : []),
      ...(!slot || !slot.serviceId
        ? [
            {
              field: 'booking.bookedEntity.slot.serviceId',
              description: 'the emulator books slots of a service',
            },
          ]
        : []),
      ...(slot && !slot.eventId && (!slot.startDate || !slot.endDate)
        ? [
            {
              field: 'booking.bookedEntity.slot.startDate',
              description: 'an appointment needs startDate and endDate',
            },
          ]
        : []),
    ];
    if (violations.length)
      throw validationError(violations.map((v) => ({ ...v, violatedRule: 'REQUIRED_FIELD' })));
    const session = slot!.eventId ? site.classSessions?.find((s) => s.eventId === slot!.eventId) : undefined;
    if (slot!.eventId && !session) {
      throw applicationError(404, 'SESSION_NOT_FOUND', `No session ${slot!.eventId}`);
    }
    const serviceId = session?.serviceId ?? slot!.serviceId!;
    const service = site.bookingServices?.find((s) => s.id === serviceId) ?? {
      id: serviceId,
      name: 'Service',
      type: 'APPOINTMENT' as const,
    };
    const contactId = input.contactDetails?.contactId ?? undefined;
    const known = contactId ? site.contacts.get(contactId) : undefined;
    const booking = addBooking(site, {
      service,
      contact: {
        contactId: contactId ?? '',
        firstName: input.contactDetails?.firstName ?? known?.info.name.first,
        lastName: input.contactDetails?.lastName ?? known?.info.name.last,
        email: input.contactDetails?.email ?? known?.primaryInfo.email,
      },
      start: session?.start ?? slot!.startDate!,
      end: session?.end ?? slot!.endDate!,
      timezone: session?.timezone ?? slot!.timezone ?? 'UTC',
      ...(session ? { eventId: session.eventId } : {}),
      participants: input.totalParticipants ?? 1,
      status: input.status === 'CONFIRMED' ? 'CONFIRMED' : 'CREATED',
      createdDate: ctx.isoNow(),
    });
    res.json({ booking });
  });

  return router;
}
