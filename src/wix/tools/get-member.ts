import { z } from 'zod';
import { getMember } from '../resources/members.js';
import { memberSummary } from './member-compact.js';
import { defineTool, scopeOf, wixId } from './tool.js';
import { phrase, quote } from './phrase.js';

export const getMemberTool = defineTool({
  name: 'get_member',
  description:
    "Get one site member (a person who signed up to the site's members area) by member id: name, nickname, login email, contact id, status (APPROVED, PENDING, BLOCKED, OFFLINE) and last login.",
  input: z.object({ memberId: wixId.describe('The member id (a GUID).') }),
  access: 'read',
  tags: ['members'],
  permission: 'MEMBERS.MEMBER_READ',
  describe(input) {
    return phrase('look up', 'looked up', `the member ${quote(input.memberId, 60)}`);
  },
  async execute(ctx, input) {
    return memberSummary(await getMember(ctx.client, scopeOf(ctx), input.memberId));
  },
});
