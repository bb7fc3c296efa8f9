import { z } from 'zod';
import { memberStatuses, queryMembers } from '../resources/members.js';
import { memberSummary } from './member-compact.js';
import { offsetCursor, offsetOf, pageInput } from './paging.js';
import { defineTool, scopeOf, wixId } from './tool.js';
import { contactName, pageNote, phrase, quote } from './phrase.js';

/**
 * Filters on fields Wix documents as filterable for Query Members (`loginEmail`, `contactId`,
 * `profile.nickname`, `status`; https://dev.wix.com/docs/sdk/backend-modules/members/members/query-members).
 */
export const queryMembersTool = defineTool({
  name: 'query_members',
  description:
    'Find site members by login email, contact id, nickname prefix or status. All given filters must match. Returns short summaries; when nextCursor is set, call again with it (and the same filters) for more.',
  input: z
    .object({
      loginEmail: z.email().max(254).optional().describe('Exact login email.'),
      contactId: wixId.optional().describe('The contact id of the member.'),
      nicknameStartsWith: z
        .string()
        .trim()
        .min(1)
        .max(100)
        .optional()
        .describe('Start of the profile nickname.'),
      status: z.enum(memberStatuses).optional().describe('Member status.'),
      ...pageInput(50, 20),
    })
    .strict(),
  access: 'read',
  tags: ['members'],
  permission: 'MEMBERS.MEMBER_READ',
  describe(input, about) {
    const which = input.loginEmail
      ? ` with login email ${quote(input.loginEmail, 60)}`
      : input.contactId
        ? ` of ${contactName(input.contactId, about)}`
        : input.nicknameStartsWith
          ? ` whose nickname starts with ${quote(input.nicknameStartsWith, 40)}`
          : input.status
            ? ` with status ${input.status}`
            : '';
    return phrase('search', 'searched', `the site members${which}${pageNote(input)}`);
  },
  async execute(ctx, input) {
    const conditions: Record<string, unknown>[] = [];
    if (input.loginEmail) conditions.push({ loginEmail: { $eq: input.loginEmail.toLowerCase() } });
    if (input.contactId) conditions.push({ contactId: { $eq: input.contactId } });
    if (input.nicknameStartsWith)
      conditions.push({ 'profile.nickname': { $startsWith: input.nicknameStartsWith } });
    if (input.status) conditions.push({ status: { $eq: input.status } });
    const filter =
      conditions.length === 0 ? undefined : conditions.length === 1 ? conditions[0] : { $and: conditions };
    const page = await queryMembers(ctx.client, scopeOf(ctx), {
      ...(filter ? { filter } : {}),
      limit: input.limit,
      offset: offsetOf(input.cursor, 'query_members'),
    });
    return {
      members: page.members.map(memberSummary),
      total: page.total,
      nextCursor: offsetCursor(page.nextOffset),
    };
  },
});
