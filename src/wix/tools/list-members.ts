import { z } from 'zod';
import { listMembers } from '../resources/members.js';
import { memberSummary } from './member-compact.js';
import { offsetCursor, offsetOf, pageInput } from './paging.js';
import { defineTool, scopeOf } from './tool.js';
import { pageNote, phrase } from './phrase.js';

export const listMembersTool = defineTool({
  name: 'list_members',
  description:
    "List the site's members page by page (short summaries). To find particular members, use query_members instead.",
  input: z.object(pageInput(50, 20)),
  access: 'read',
  tags: ['members'],
  permission: 'MEMBERS.MEMBER_READ',
  describe(input) {
    return phrase('list', 'listed', `the site members${pageNote(input)}`);
  },
  async execute(ctx, input) {
    const page = await listMembers(ctx.client, scopeOf(ctx), {
      limit: input.limit,
      offset: offsetOf(input.cursor, 'list_members'),
    });
    return {
      members: page.members.map(memberSummary),
      total: page.total,
      nextCursor: offsetCursor(page.nextOffset),
    };
  },
});
