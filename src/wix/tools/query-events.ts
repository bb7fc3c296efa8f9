import { z } from 'zod';
import { eventPageUrl, publishedEventStatuses, queryEvents, type WixEvent } from '../resources/events.js';
import { clip } from './compact.js';
import { offsetCursor, offsetOf, pageInput } from './paging.js';
import { defineTool, scopeOf } from './tool.js';
import { pageNote, phrase } from './phrase.js';

const dateTime = z.iso.datetime({ offset: true });

/** The location's name, else its address line and city (Events V3 `Address` has no formatted form). */
function placeOf(event: WixEvent): string | undefined {
  const address = event.location?.address;
  const line = [address?.addressLine, address?.city].filter(Boolean).join(', ');
  return event.location?.name || line || undefined;
}

function eventSummary(event: WixEvent) {
  return {
    id: event.id,
    title: clip(event.title ?? undefined, 200),
    status: event.status,
    start: event.dateAndTimeSettings?.startDate ?? undefined,
    end: event.dateAndTimeSettings?.endDate ?? undefined,
    timeZone: event.dateAndTimeSettings?.timeZoneId ?? undefined,
    location: clip(placeOf(event), 200),
    registration: event.registration?.status,
    url: eventPageUrl(event),
  };
}

export const queryEventsTool = defineTool({
  name: 'query_events',
  description:
    "Find the site's Wix Events (V3) by status and start date, earliest first. Returns short summaries; when nextCursor is set, call again with it (and the same filters) for more.",
  input: z.object({
    statuses: z
      .array(z.enum(publishedEventStatuses))
      .min(1)
      .max(publishedEventStatuses.length)
      .optional()
      .describe('Only events with one of these statuses (draft events are not listed).'),
    startFrom: dateTime.optional().describe('Only events starting at or after this ISO-8601 date-time.'),
    startTo: dateTime.optional().describe('Only events starting at or before this ISO-8601 date-time.'),
    ...pageInput(50, 20),
  }),
  access: 'read',
  tags: ['events'],
  permission: 'WIX_EVENTS.READ_EVENTS',
  describe(input) {
    const status = input.statuses ? ` with status ${input.statuses.join(' or ')}` : '';
    return phrase('search', 'searched', `the site events${status}${pageNote(input)}`);
  },
  async execute(ctx, input) {
    const conditions: Record<string, unknown>[] = [];
    if (input.statuses) conditions.push({ status: { $in: input.statuses } });
    if (input.startFrom || input.startTo) {
      conditions.push({
        'dateAndTimeSettings.startDate': {
          ...(input.startFrom ? { $gte: input.startFrom } : {}),
          ...(input.startTo ? { $lte: input.startTo } : {}),
        },
      });
    }
    const filter =
      conditions.length === 0 ? undefined : conditions.length === 1 ? conditions[0] : { $and: conditions };
    const page = await queryEvents(ctx.client, scopeOf(ctx), {
      ...(filter ? { filter } : {}),
      sort: [{ fieldName: 'dateAndTimeSettings.startDate', order: 'ASC' }],
      limit: input.limit,
      offset: offsetOf(input.cursor, 'query_events'),
    });
    return {
      events: page.events.map(eventSummary),
      total: page.total,
      nextCursor: offsetCursor(page.nextOffset),
    };
  },
});
