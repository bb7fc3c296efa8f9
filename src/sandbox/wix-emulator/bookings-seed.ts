import { addBooking, type EmulatedService, type EmulatedSession } from './bookings.js';
import type { EmulatorSite } from './model.js';

/** Ids the studio's bookings seed uses (see `SEED_IDS.studio`). */
export interface StudioBookingIds {
  contacts: { leo: string; mia: string };
  services: { privateSession: string; morningYoga: string };
  sessions: { yogaMarch2: string; yogaMarch9: string };
  bookings: { leoYoga: string; leoPrivate: string; miaYogaCanceled: string; miaPrivatePending: string };
}

const zone = 'Europe/Berlin';

/**
 * Fresh Start Studio's Wix Bookings: a private session (appointments) and Morning Yoga (classes on
 * 2 and 9 March 2026, 09:00-10:00 Berlin time), and four bookings of Leo and Mia.
 */
export function seedStudioBookings(site: EmulatorSite, ids: StudioBookingIds): void {
  const privateSession: EmulatedService = {
    id: ids.services.privateSession,
    name: 'Private Session',
    type: 'APPOINTMENT',
  };
  const yoga: EmulatedService = { id: ids.services.morningYoga, name: 'Morning Yoga', type: 'CLASS' };
  const sessions: EmulatedSession[] = [
    { eventId: ids.sessions.yogaMarch2, start: '2026-03-02T09:00:00', end: '2026-03-02T10:00:00' },
    { eventId: ids.sessions.yogaMarch9, start: '2026-03-09T09:00:00', end: '2026-03-09T10:00:00' },
  ].map((s) => ({ ...s, serviceId: yoga.id, timezone: zone }));
  site.bookingServices = [privateSession, yoga];
  site.classSessions = sessions;

  const leo = {
    contactId: ids.contacts.leo,
    firstName: 'Leo',
    lastName: 'Martin',
    email: 'leo.martin@example.com',
  };
  const mia = {
    contactId: ids.contacts.mia,
    firstName: 'Mia',
    lastName: 'Wagner',
    email: 'mia.wagner@example.com',
  };
  const march2 = { start: sessions[0]!.start, end: sessions[0]!.end, eventId: sessions[0]!.eventId };
  addBooking(site, {
    id: ids.bookings.leoYoga,
    service: yoga,
    contact: leo,
    ...march2,
    timezone: zone,
    participants: 1,
    status: 'CONFIRMED',
    createdDate: '2026-02-20T10:00:00.000Z',
  });
  addBooking(site, {
    id: ids.bookings.leoPrivate,
    service: privateSession,
    contact: leo,
    start: '2026-03-04T14:00:00',
    end: '2026-03-04T15:00:00',
    timezone: zone,
    participants: 1,
    status: 'CONFIRMED',
    createdDate: '2026-02-21T10:00:00.000Z',
  });
  addBooking(site, {
    id: ids.bookings.miaYogaCanceled,
    service: yoga,
    contact: mia,
    ...march2,
    timezone: zone,
    participants: 2,
    status: 'CANCELED',
    createdDate: '2026-02-22T10:00:00.000Z',
  });
  addBooking(site, {
    id: ids.bookings.miaPrivatePending,
    service: privateSession,
    contact: mia,
    start: '2026-03-10T11:00:00',
    end: '2026-03-10T12:00:00',
    timezone: zone,
    participants: 1,
    status: 'PENDING',
    createdDate: '2026-02-25T10:00:00.000Z',
  });
}
