/**
 * Wix Events V3 (wix.events.v3.event): Query Events `POST /events/v3/events/query` with
 * `{query: {filter, paging {limit, offset}, sort}}` → `{events, pagingMetadata {count, offset, total}}`;
 * permission `WIX_EVENTS.READ_EVENTS`. Filterable fields (status, dateAndTimeSettings.startDate, title, ...)
 * per the `EventsQueryBuilder` typings. Source: `@wix/auto_sdk_events_wix-events-v-2@1.0.112`
 * (`wix.events.events.v3.EventManagement.QueryEvents`).
 */
import { z } from 'zod';
import type { WixRequester } from '../request.js';
import { fromScope, parseBody, type CallScope } from './scope.js';

export const eventSchema = z.looseObject({
  id: z.string(),
  title: z.string().nullish(),
  shortDescription: z.string().nullish(),
  slug: z.string().optional(),
  status: z.string().optional(),
  eventPageUrl: z.string().optional(),
  location: z
    .looseObject({
      name: z.string().nullish(),
      type: z.string().optional(),
      address: z.looseObject({ formattedAddress: z.string().nullish() }).optional(),
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

export interface EventPage {
  events: WixEvent[];
  nextOffset: number | undefined;
  total: number | undefined;
}

export async function queryEvents(
  client: WixRequester,
  scope: CallScope,
  query: {
    filter?: Record<string, unknown>;
    sort?: { fieldName: string; order: 'ASC' | 'DESC' }[];
    limit: number;
    offset: number;
  },
): Promise<EventPage> {
  const response = await client.request({
    method: 'POST',
    path: '/events/v3/events/query',
    body: {
      query: {
        ...(query.filter ? { filter: query.filter } : {}),
        ...(query.sort?.length ? { sort: query.sort } : {}),
        paging: { limit: query.limit, offset: query.offset },
      },
    },
    read: true,
    ...fromScope(scope),
  });
  const body = parseBody(
    z.looseObject({
      events: z.array(eventSchema).default([]),
      pagingMetadata: z.looseObject({ total: z.number().nullish(), offset: z.number().nullish() }).optional(),
    }),
    response,
    'query events',
  );
  const total = body.pagingMetadata?.total ?? undefined;
  const next = query.offset + body.events.length;
  return {
    events: body.events,
    total,
    nextOffset: total !== undefined && next < total && body.events.length > 0 ? next : undefined,
  };
}
