/**
 * Wix Members (wix.members.v1.member). Endpoints and fields from `@wix/auto_sdk_members_members@1.0.135`
 * (build metadata: GetMember `GET /members/v1/members/{id}`, ListMembers `GET /members/v1/members`,
 * QueryMembers `POST /members/v1/members/query`; typings: `fieldsets` PUBLIC | EXTENDED | FULL,
 * `paging {limit, offset}`, response `metadata {count, offset, total}`; permission `MEMBERS.MEMBER_READ`).
 * Only the FULL fieldset returns status, contact and dates (https://dev.wix.com/docs/rest/crm/members-contacts/members/members/about-wix-members).
 */
import { z } from 'zod';
import { wixPath, type WixRequester } from '../request.js';
import { fromScope, parseBody, type CallScope } from './scope.js';

export const memberSchema = z.looseObject({
  id: z.string(),
  loginEmail: z.string().nullish(),
  status: z.string().optional(),
  contactId: z.string().nullish(),
  contact: z
    .looseObject({
      firstName: z.string().nullish(),
      lastName: z.string().nullish(),
      phones: z.array(z.string()).optional(),
      emails: z.array(z.string()).optional(),
    })
    .optional(),
  profile: z
    .looseObject({ nickname: z.string().nullish(), slug: z.string().nullish(), title: z.string().nullish() })
    .optional(),
  privacyStatus: z.string().optional(),
  activityStatus: z.string().optional(),
  createdDate: z.string().nullish(),
  lastLoginDate: z.string().nullish(),
});
export type WixMember = z.output<typeof memberSchema>;

export interface MemberPage {
  members: WixMember[];
  /** Offset of the next page, when there is one. */
  nextOffset: number | undefined;
  total: number | undefined;
}

const pageSchema = z.looseObject({
  members: z.array(memberSchema).default([]),
  metadata: z
    .looseObject({ count: z.number().nullish(), offset: z.number().nullish(), total: z.number().nullish() })
    .optional(),
});

function toPage(body: z.output<typeof pageSchema>, offset: number): MemberPage {
  const total = body.metadata?.total ?? undefined;
  const next = offset + body.members.length;
  const more = total !== undefined ? next < total : false;
  return { members: body.members, nextOffset: more && body.members.length > 0 ? next : undefined, total };
}

export async function getMember(
  client: WixRequester,
  scope: CallScope,
  memberId: string,
): Promise<WixMember> {
  const response = await client.request({
    method: 'GET',
    path: wixPath`/members/v1/members/${memberId}`,
    query: { fieldsets: ['FULL'] },
    ...fromScope(scope),
  });
  return parseBody(z.looseObject({ member: memberSchema }), response, 'get member').member;
}

/** Members in Wix's default order, one page. */
export async function listMembers(
  client: WixRequester,
  scope: CallScope,
  page: { limit: number; offset: number },
): Promise<MemberPage> {
  const response = await client.request({
    method: 'GET',
    path: '/members/v1/members',
    query: { 'paging.limit': page.limit, 'paging.offset': page.offset, fieldsets: ['FULL'] },
    ...fromScope(scope),
  });
  return toPage(parseBody(pageSchema, response, 'list members'), page.offset);
}

/** Members matching a filter in Wix's API query language, one page. */
export async function queryMembers(
  client: WixRequester,
  scope: CallScope,
  query: { filter?: Record<string, unknown>; limit: number; offset: number },
): Promise<MemberPage> {
  const response = await client.request({
    method: 'POST',
    path: '/members/v1/members/query',
    body: {
      query: {
        ...(query.filter ? { filter: query.filter } : {}),
        paging: { limit: query.limit, offset: query.offset },
      },
      fieldsets: ['FULL'],
    },
    read: true,
    ...fromScope(scope),
  });
  return toPage(parseBody(pageSchema, response, 'query members'), query.offset);
}
