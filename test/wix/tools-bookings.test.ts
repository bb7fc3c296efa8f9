import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_INSTANCES, SEED_IDS } from '../../src/sandbox/wix-emulator.js';
import type { WixRequester } from '../../src/wix/request.js';
import { ToolInputError, queryBookingsTool, runTool } from '../../src/wix/tools/index.js';
import { startHarness, type Harness } from './support.js';

const studio = EMULATOR_INSTANCES.studio;
const ids = SEED_IDS.studio;
const QUERY = '/_api/bookings-reader/v2/extended-bookings/query';
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
