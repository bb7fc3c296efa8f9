/**
 * Wix Events V3 (wix.events.v3.event): Query Events `POST /events/v3/events/query` with
 * `{query: {filter, paging {limit, offset}, sort}, fields}` → `{events, pagingMetadata {count, offset, total}}`;
 * permission `WIX_EVENTS.READ_EVENTS`. Filterable fields (status, dateAndTimeSettings.startDate, title, ...)
 * per the `EventsQueryBuilder` typings. Source: `@wix/auto_sdk_events_wix-events-v-2@1.0.112`
 * (`wix.events.events.v3.EventManagement.QueryEvents`; typings `Event`, `QueryEventsRequest`).
 *
 * `registration` is returned only with the `REGISTRATION` fieldset and `eventPageUrl` (`{base, path}`, not
 * a string) only with `URLS`, so both are asked for. Drafts are returned only with `includeDrafts`, which
 * needs the `WIX_EVENTS.READ_DRAFT_EVENTS` permission; we do not ask for them.
 */
import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
import { fromScope, parseBody, type RequestScope } from './scope.js';

/** Event statuses a query returns without `includeDrafts` (Wix's `Status` without DRAFT). */
export const publishedEventStatuses = ['UPCOMING', 'STARTED', 'ENDED', 'CANCELED'] as const;
export type PublishedEventStatus = (typeof publishedEventStatuses)[number];

/** The fieldsets we ask for: `REGISTRATION` (→ `registration`) and `URLS` (→ `eventPageUrl`). */
export const eventFieldsets = ['REGISTRATION', 'URLS'] as const;

export const eventSchema = z.looseObject({
  id: z.string(),
  title: z.string().nullish(),
  slug: z.string().optional(),
  status: z.string().optional(),
  eventPageUrl: z.looseObject({ base: z.string().optional(), path: z.string().optional() }).optional(),
  location: z
    .looseObject({
      name: z.string().nullish(),
      type: z.string().optional(),
      address: z.looseObject({ addressLine: z.string().nullish(), city: z.string().nullish() }).optional(),
    })
    .optional(),
  dateAndTimeSettings: z
    .looseObject({
      startDate: z.string().nullish(),
      endDate: z.string().nullish(),
      timeZoneId: z.string().nullish(),
      dateAndTimeTbd: z.boolean().nullish(),
    })
    .optional(),
  registration: z.looseObject({ type: z.string().optional(), status: z.string().optional() }).optional(),
});
export type WixEvent = z.output<typeof eventSchema>;

/** The event page's URL (`eventPageUrl.base` + `eventPageUrl.path`), when Wix returned both. */
export function eventPageUrl(event: WixEvent): string | undefined {
  const url = event.eventPageUrl;
  return url?.base && url.path ? `${url.base.replace(/\/$/, '')}${url.path}` : undefined;
}

export interface EventPage {
  events: WixEvent[];
  nextOffset: number | undefined;
  total: number | undefined;
}

export interface EventQuery {
  filter?: Record<string, unknown>;
  sort?: { fieldName: string; order: 'ASC' | 'DESC' }[];
  limit: number;
  offset: number;
}

/** The Query Events request body: offset paging, the fieldsets we read. */
export function queryEventsBody(query: EventQuery) {
  return {
    query: {
      ...(query.filter ? { filter: query.filter } : {}),
      ...(query.sort?.length ? { sort: query.sort } : {}),
      paging: { limit: query.limit, offset: query.offset },
    },
    fields: [...eventFieldsets],
  };
}

/** The Query Events response fields we read. */
export const queryEventsResponse = z.looseObject({
  events: z.array(eventSchema).default([]),
  pagingMetadata: z.looseObject({ total: z.number().nullish(), offset: z.number().nullish() }).optional(),
});

/** One page of the site's published events (no drafts). */
export async function queryEvents(
  client: WixRequester,
  scope: RequestScope,
  query: EventQuery,
): Promise<EventPage> {
  const response = await client.request({
    ...endpointRequest('queryEvents', {}),
    body: queryEventsBody(query),
    read: true,
    ...fromScope(scope),
  });
  const body = parseBody(queryEventsResponse, response, 'query events');
  const total = body.pagingMetadata?.total ?? undefined;
  const next = query.offset + body.events.length;
  return {
    events: body.events,
    total,
    nextOffset: total !== undefined && next < total && body.events.length > 0 ? next : undefined,
  };
}
