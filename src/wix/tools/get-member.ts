import { z } from 'zod';
import { getMember } from '../resources/members.js';
import { memberSummary } from './member-compact.js';
import { defineTool, scopeOf, wixId } from './tool.js';

export const getMemberTool = defineTool({
  name: 'get_member',
  description:
    "Get one site member (a person who signed up to the site's members area) by member id: name, nickname, login email, contact id, status (APPROVED, PENDING, BLOCKED, OFFLINE) and last login.",
  input: z.object({ memberId: wixId.describe('The member id (a GUID).') }),
  access: 'read',
  tags: ['members'],
  permission: 'MEMBERS.MEMBER_READ',
  async execute(ctx, input) {
    return memberSummary(await getMember(ctx.client, scopeOf(ctx), input.memberId));
  },
});
