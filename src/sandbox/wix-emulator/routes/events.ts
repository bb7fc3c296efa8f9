import { Router } from 'express';
import { z } from 'zod';
import type { EmulatorSite } from '../data.js';
import { parseRequest, siteOf } from '../http.js';
import { runQuery } from './paging.js';

/** An event in Wix's REST shape (Events V3), as `@wix/auto_sdk_events_wix-events-v-2` types it. */
export type EmulatedEvent = Record<string, unknown> & { id: string };

const events = new WeakMap<EmulatorSite, Map<string, EmulatedEvent>>();

export function eventsOf(site: EmulatorSite): Map<string, EmulatedEvent> {
  let map = events.get(site);
  if (!map) {
    map = new Map();
    events.set(site, map);
  }
  return map;
}

/** Adds an event (tests and the demo). */
export function addEvent(
  site: EmulatorSite,
  input: { id: string; title: string; status: string; startDate: string; endDate: string; location?: string },
): EmulatedEvent {
  const event: EmulatedEvent = {
    id: input.id,
    title: input.title,
    slug: input.title.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    status: input.status,
    location: { name: input.location ?? 'Online', type: input.location ? 'VENUE' : 'ONLINE' },
    dateAndTimeSettings: {
      startDate: input.startDate,
      endDate: input.endDate,
      timeZoneId: 'UTC',
      dateAndTimeTbd: false,
    },
    registration: { type: 'RSVP', status: 'OPEN_RSVP' },
    eventPageUrl: { base: 'https://example.wixsite.com/site', path: `/event-details/${input.id}` },
    instanceId: site.instanceId,
  };
  eventsOf(site).set(event.id, event);
  return event;
}

const queryBody = z.object({
  query: z
    .object({
      filter: z.record(z.string(), z.unknown()).optional(),
      sort: z
        .array(z.object({ fieldName: z.string(), order: z.enum(['ASC', 'DESC']).optional() }))
        .optional(),
      paging: z
        .object({
          limit: z.number().int().min(0).max(100).optional(),
          offset: z.number().int().min(0).optional(),
        })
        .optional(),
    })
    .optional(),
  fields: z.array(z.string()).optional(),
  includeDrafts: z.boolean().optional(),
});

/**
 * What Wix returns of an event for the requested fieldsets: `registration` only with `REGISTRATION`,
 * `eventPageUrl` only with `URLS` (`@wix/auto_sdk_events_wix-events-v-2` `Event` and `RequestedFields`).
 */
function withFieldsets(event: EmulatedEvent, fields: string[] = []): EmulatedEvent {
  const { registration, eventPageUrl, ...rest } = event;
  return {
    ...rest,
    ...(fields.includes('REGISTRATION') ? { registration } : {}),
    ...(fields.includes('URLS') ? { eventPageUrl } : {}),
  } as EmulatedEvent;
}

/**
 * Events V3: query (offset paging, default sort createdDate DESC as the SDK documents). Drafts only with
 * `includeDrafts`.
 */
export function eventsRoutes(): Router {
  const router = Router();
  router.post('/events/v3/events/query', (req, res) => {
    const body = parseRequest(queryBody, req.body);
    const query = body.query ?? {};
    const all = runQuery(
      [...eventsOf(siteOf(res)).values()].filter((e) => body.includeDrafts || e.status !== 'DRAFT'),
      query.filter,
      query.sort ?? [{ fieldName: 'createdDate', order: 'DESC' }],
    );
    const offset = query.paging?.offset ?? 0;
    const page = all.slice(offset, offset + (query.paging?.limit ?? 50));
    res.json({
      events: page.map((e) => withFieldsets(e, body.fields)),
      pagingMetadata: { count: page.length, offset, total: all.length, tooManyToCount: false },
    });
  });
  return router;
}
