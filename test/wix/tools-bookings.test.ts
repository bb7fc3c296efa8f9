import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_INSTANCES, SEED_IDS } from '../../src/sandbox/wix-emulator.js';
import { WixOutcomeUnknownError } from '../../src/wix/errors.js';
import type { WixRequester } from '../../src/wix/request.js';
import { ToolInputError, createBookingTool, queryBookingsTool, runTool } from '../../src/wix/tools/index.js';
import { startHarness, type Harness } from './support.js';

const studio = EMULATOR_INSTANCES.studio;
const ids = SEED_IDS.studio;
const QUERY = '/_api/bookings-reader/v2/extended-bookings/query';
const CREATE = '/_api/bookings-service/v2/bookings';
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => {
  h.emulator.reset();
  bodies = [];
});
afterAll(async () => {
  await h.close();
});
/** The client, recording the body of every request it sends (the emulator logs bodies of writes only). */
let bodies: { path: string; body: unknown }[] = [];
const ctx = (extra: { writeRef?: string } = {}) => {
  const recording: WixRequester = {
    request: (request) => {
      bodies.push({ path: request.path, body: request.body });
      return h.client.request(request);
    },
  };
  return { ...h.ctx(studio), client: recording, ...extra };
};
const bodiesTo = (path: string) => bodies.filter((b) => b.path === path).map((b) => b.body);

describe('query_bookings (Bookings reader: Query Extended Bookings)', () => {
  it("filters by contact, status and start time in Wix's query language; answers compact bookings", async () => {
    const found = await runTool(queryBookingsTool, ctx(), {
      contactId: ids.contacts.leo,
      statuses: ['CONFIRMED', 'PENDING'],
      startFrom: '2026-03-01T00:00:00+01:00',
      startBefore: '2026-03-03T00:00:00Z',
      sort: 'START_ASC',
    });
    expect(found).toEqual({
      bookings: [
        {
          id: ids.bookings.leoYoga,
          status: 'CONFIRMED',
          paymentStatus: 'UNDEFINED',
          title: 'Morning Yoga',
          serviceId: ids.services.morningYoga,
          // 09:00 in Berlin (UTC+1 in March).
          start: '2026-03-02T08:00:00.000Z',
          end: '2026-03-02T09:00:00.000Z',
          timezone: 'Europe/Berlin',
          contactId: ids.contacts.leo,
          name: 'Leo Martin',
          email: 'leo.martin@example.com',
          participants: 1,
          createdDate: '2026-02-20T10:00:00.000Z',
        },
      ],
      nextCursor: undefined,
    });
    expect(bodiesTo(QUERY)).toEqual([
      {
        query: {
          filter: {
            'contactDetails.contactId': { $eq: ids.contacts.leo },
            status: { $in: ['CONFIRMED', 'PENDING'] },
            startDate: { $gte: '2026-02-28T23:00:00.000Z', $lt: '2026-03-03T00:00:00.000Z' },
          },
          sort: [{ fieldName: 'startDate', order: 'ASC' }],
          cursorPaging: { limit: 20 },
        },
      },
    ]);
    const yoga = await runTool(queryBookingsTool, ctx(), { serviceId: ids.services.morningYoga });
    expect(yoga.bookings.map((b) => [b.id, b.status])).toEqual([
      [ids.bookings.miaYogaCanceled, 'CANCELED'],
      [ids.bookings.leoYoga, 'CONFIRMED'],
    ]);
  });

  it('pages with limit and nextCursor; the cursor alone carries the first query', async () => {
    const first = await runTool(queryBookingsTool, ctx(), { limit: 3, sort: 'START_DESC' });
    expect(first.bookings).toHaveLength(3);
    expect(first.nextCursor).toEqual(expect.any(String));
    const rest = await runTool(queryBookingsTool, ctx(), { limit: 3, cursor: first.nextCursor });
    expect(rest).toMatchObject({ nextCursor: undefined });
    expect([...first.bookings, ...rest.bookings].map((b) => b.start)).toEqual([
      '2026-03-10T10:00:00.000Z',
      '2026-03-04T13:00:00.000Z',
      '2026-03-02T08:00:00.000Z',
      '2026-03-02T08:00:00.000Z',
    ]);
    expect(bodiesTo(QUERY)[1]).toEqual({ query: { cursorPaging: { limit: 3, cursor: first.nextCursor } } });
  });

  it('refuses bad arguments before Wix; the emulator refuses what Wix refuses', async () => {
    for (const bad of [
      { limit: 101 },
      { limit: 0 },
      { statuses: ['BOOKED'] },
      { statuses: [] },
      { startFrom: '2026-03-01' },
      { contactId: 'not an id' },
      { sort: 'NAME_ASC' },
    ]) {
      await expect(runTool(queryBookingsTool, ctx(), bad)).rejects.toBeInstanceOf(ToolInputError);
    }
    expect(h.emulator.requests.filter((r) => r.path === QUERY)).toHaveLength(0);
    const direct = (query: unknown) =>
      h.client.request({ method: 'POST', path: QUERY, body: { query }, instanceId: studio, read: true });
    // Only the fields and operators of Wix's supported-filters table; at most 100 per page.
    await expect(direct({ filter: { 'contactDetails.firstName': { $eq: 'Leo' } } })).rejects.toMatchObject({
      status: 400,
      code: 'VALIDATION_ERROR',
    });
    await expect(direct({ filter: { status: { $gt: 'A' } } })).rejects.toMatchObject({ status: 400 });
    await expect(direct({ cursorPaging: { limit: 101 } })).rejects.toMatchObject({ status: 400 });
  });
});

describe('create_booking (Bookings writer: Create Booking)', () => {
  const appointment = {
    contactId: ids.contacts.leo,
    serviceId: ids.services.privateSession,
    startDate: '2026-03-11T10:00:00',
    endDate: '2026-03-11T11:00:00',
    timezone: 'Europe/Berlin',
  };

  it('books an appointment slot (CREATED, customer not notified by default) and a class session', async () => {
    const staff = '5f1b7c2e-0000-4000-a000-00000000a11a';
    const booked = await runTool(createBookingTool, ctx(), { ...appointment, staffResourceId: staff });
    expect(booked).toMatchObject({
      status: 'CREATED',
      paymentStatus: 'UNDEFINED',
      serviceId: ids.services.privateSession,
      title: 'Private Session',
      start: '2026-03-11T09:00:00.000Z',
      end: '2026-03-11T10:00:00.000Z',
      contactId: ids.contacts.leo,
      name: 'Leo Martin',
      participants: 1,
    });
    expect(h.emulator.writes.at(-1)).toMatchObject({ method: 'POST', path: CREATE });
    expect(h.emulator.writes.at(-1)?.body).toEqual({
      booking: {
        totalParticipants: 1,
        bookedEntity: {
          slot: {
            serviceId: ids.services.privateSession,
            startDate: '2026-03-11T10:00:00',
            endDate: '2026-03-11T11:00:00',
            timezone: 'Europe/Berlin',
            resource: { id: staff },
          },
        },
        contactDetails: { contactId: ids.contacts.leo },
      },
      participantNotification: { notifyParticipants: false },
    });

    const yoga = await runTool(createBookingTool, ctx(), {
      contactId: ids.contacts.mia,
      serviceId: ids.services.morningYoga,
      eventId: ids.sessions.yogaMarch9,
      participants: 2,
      confirm: true,
      notifyCustomer: true,
    });
    expect(yoga).toMatchObject({ status: 'CONFIRMED', start: '2026-03-09T08:00:00.000Z', participants: 2 });
    expect(h.emulator.writes.at(-1)?.body).toEqual({
      booking: {
        totalParticipants: 2,
        bookedEntity: { slot: { serviceId: ids.services.morningYoga, eventId: ids.sessions.yogaMarch9 } },
        contactDetails: { contactId: ids.contacts.mia },
        status: 'CONFIRMED',
      },
      participantNotification: { notifyParticipants: true },
    });
    const mias = await runTool(queryBookingsTool, ctx(), { contactId: ids.contacts.mia, sort: 'START_ASC' });
    expect(mias.bookings.map((b) => b.id)).toContain(yoga.id);
  });

  it('answer lost: reconcile finds the one live booking of contact, service and slot; never sends it again', async () => {
    h.emulator.setFault({ path: CREATE, serverErrorsAfterApply: 1 });
    await expect(runTool(createBookingTool, ctx(), appointment)).rejects.toBeInstanceOf(
      WixOutcomeUnknownError,
    );
    const args = createBookingTool.input.parse(appointment);
    expect(await createBookingTool.reconcile!(ctx(), args)).toMatchObject({
      start: '2026-03-11T09:00:00.000Z',
      status: 'CREATED',
    });
    expect(h.emulator.writeLog.applied((w) => w.path === CREATE)).toHaveLength(1);
    expect(h.emulator.writes.filter((w) => w.path === CREATE)).toHaveLength(1);
    expect(bodiesTo(QUERY).at(-1)).toEqual({
      query: {
        filter: {
          'contactDetails.contactId': { $eq: ids.contacts.leo },
          'bookedEntity.item.slot.serviceId': { $eq: ids.services.privateSession },
        },
        sort: [{ fieldName: 'createdDate', order: 'DESC' }],
        cursorPaging: { limit: 100 },
      },
    });
    expect(createBookingTool.settle).toBe('reconcile');

    // Another slot, another zone, or a second live booking of the same slot: not proof, parked.
    expect(
      await createBookingTool.reconcile!(ctx(), { ...args, startDate: '2026-03-11T12:00:00' }),
    ).toBeUndefined();
    expect(await createBookingTool.reconcile!(ctx(), { ...args, timezone: 'UTC' })).toBeUndefined();
    await runTool(createBookingTool, ctx(), appointment);
    expect(await createBookingTool.reconcile!(ctx(), args)).toBeUndefined();
  });

  it('a lost answer of a booking never applied, or only a canceled one of that slot: parked', async () => {
    h.emulator.setFault({ path: CREATE, dropConnections: 1 });
    const class9 = {
      contactId: ids.contacts.leo,
      serviceId: ids.services.morningYoga,
      eventId: ids.sessions.yogaMarch9,
    };
    await expect(runTool(createBookingTool, ctx(), class9)).rejects.toBeInstanceOf(WixOutcomeUnknownError);
    expect(h.emulator.writeLog.applied((w) => w.path === CREATE)).toHaveLength(0);
    expect(await createBookingTool.reconcile!(ctx(), createBookingTool.input.parse(class9))).toBeUndefined();
    const miaCanceled = { ...class9, contactId: ids.contacts.mia, eventId: ids.sessions.yogaMarch2 };
    expect(
      await createBookingTool.reconcile!(ctx(), createBookingTool.input.parse(miaCanceled)),
    ).toBeUndefined();
    const leoLive = { ...class9, eventId: ids.sessions.yogaMarch2 };
    expect(await createBookingTool.reconcile!(ctx(), createBookingTool.input.parse(leoLive))).toMatchObject({
      id: ids.bookings.leoYoga,
    });
  });

  it('refuses bad arguments before Wix; the emulator refuses what Wix refuses', async () => {
    const { startDate, endDate, timezone, ...who } = appointment;
    const event = ids.sessions.yogaMarch2;
    for (const bad of [
      who,
      { ...appointment, eventId: event },
      { ...who, startDate },
      { ...appointment, endDate: startDate },
      { ...appointment, startDate: '2026-03-11T10:00:00+01:00' },
      { ...appointment, timezone: 'Mars/Olympus' },
      { ...appointment, participants: 0 },
      { ...who, eventId: 'too-short' },
      { ...who, eventId: event, timezone },
      { ...appointment, contactId: 'not an id' },
      { startDate, endDate, serviceId: appointment.serviceId },
    ]) {
      await expect(runTool(createBookingTool, ctx(), bad)).rejects.toBeInstanceOf(ToolInputError);
    }
    expect(h.emulator.writes).toHaveLength(0);
    const direct = (booking: unknown) =>
      h.client.request({ method: 'POST', path: CREATE, body: { booking }, instanceId: studio });
    const slot = { serviceId: appointment.serviceId, startDate, endDate, timezone };
    // "You must specify either participantsChoices or totalParticipants"; eventId ≤ 250; bookedEntity required.
    await expect(direct({ bookedEntity: { slot } })).rejects.toMatchObject({
      status: 400,
      code: 'VALIDATION_ERROR',
    });
    await expect(
      direct({ totalParticipants: 1, bookedEntity: { slot: { ...slot, eventId: 'e'.repeat(251) } } }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(direct({ totalParticipants: 1 })).rejects.toMatchObject({ status: 400 });
    await expect(
      direct({
        totalParticipants: 1,
        bookedEntity: { slot: { serviceId: slot.serviceId, eventId: 'e'.repeat(36) } },
      }),
    ).rejects.toMatchObject({ status: 404, code: 'SESSION_NOT_FOUND' });
    expect(h.emulator.writeLog.applied((w) => w.path === CREATE)).toHaveLength(0);
  });
});
