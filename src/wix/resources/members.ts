/**
 * Wix Members (wix.members.v1.member). Endpoints and fields from `@wix/auto_sdk_members_members@1.0.135`
 * (build metadata: GetMember `GET /members/v1/members/{id}`, ListMembers `GET /members/v1/members`,
 * QueryMembers `POST /members/v1/members/query`; typings: `fieldsets` PUBLIC | EXTENDED | FULL,
 * `paging {limit, offset}`, response `metadata {count, offset, total}`; permission `MEMBERS.MEMBER_READ`).
 * Only the FULL fieldset returns status, contact and dates (https://dev.wix.com/docs/rest/crm/members-contacts/members/members/about-wix-members).
 */
import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
import { fromScope, parseBody, type RequestScope } from './scope.js';

/** Member statuses one can filter on: Wix's `Status` without UNKNOWN (not a state a member is put in). */
export const memberStatuses = ['APPROVED', 'PENDING', 'BLOCKED', 'OFFLINE'] as const;
export type MemberStatus = (typeof memberStatuses)[number];

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

/** The fieldset we ask for: only `FULL` returns status, contact and dates. */
export const memberFieldsets = ['FULL'] as const;

/** The List Members / Query Members response fields we read. */
export const memberPageSchema = z.looseObject({
  members: z.array(memberSchema).default([]),
  metadata: z
    .looseObject({ count: z.number().nullish(), offset: z.number().nullish(), total: z.number().nullish() })
    .optional(),
});

function toPage(body: z.output<typeof memberPageSchema>, offset: number): MemberPage {
  const total = body.metadata?.total ?? undefined;
  const next = offset + body.members.length;
  const more = total !== undefined ? next < total : false;
  return { members: body.members, nextOffset: more && body.members.length > 0 ? next : undefined, total };
}

/** The Get Member response fields we read: `{ member }`. */
export const getMemberResponse = z.looseObject({ member: memberSchema });

/**
 * The List Members request (`ListMembersRequest`: `paging`, `fieldsets`). List Members is a GET, so it
 * is sent as query parameters: `paging.limit`, `paging.offset`, `fieldsets` (see `listMembersQuery`).
 */
export function listMembersRequest(page: { limit: number; offset: number }) {
  return { paging: { limit: page.limit, offset: page.offset }, fieldsets: [...memberFieldsets] };
}

/** `listMembersRequest` as GET query parameters (nested fields dotted, as Wix's GET requests take them). */
function listMembersQuery(page: { limit: number; offset: number }) {
  const request = listMembersRequest(page);
  return {
    'paging.limit': request.paging.limit,
    'paging.offset': request.paging.offset,
    fieldsets: request.fieldsets,
  };
}

/** The Query Members request body: filter, offset paging, the FULL fieldset. */
export function queryMembersBody(query: { filter?: Record<string, unknown>; limit: number; offset: number }) {
  return {
    query: {
      ...(query.filter ? { filter: query.filter } : {}),
      paging: { limit: query.limit, offset: query.offset },
    },
    fieldsets: [...memberFieldsets],
  };
}

export async function getMember(
  client: WixRequester,
  scope: RequestScope,
  memberId: string,
): Promise<WixMember> {
  const response = await client.request({
    ...endpointRequest('getMember', { id: memberId }),
    query: { fieldsets: [...memberFieldsets] },
    ...fromScope(scope),
  });
  return parseBody(getMemberResponse, response, 'get member').member;
}

/** Members in Wix's default order, one page. */
export async function listMembers(
  client: WixRequester,
  scope: RequestScope,
  page: { limit: number; offset: number },
): Promise<MemberPage> {
  const response = await client.request({
    ...endpointRequest('listMembers', {}),
    query: listMembersQuery(page),
    ...fromScope(scope),
  });
  return toPage(parseBody(memberPageSchema, response, 'list members'), page.offset);
}

/** Members matching a filter in Wix's API query language, one page. */
export async function queryMembers(
  client: WixRequester,
  scope: RequestScope,
  query: { filter?: Record<string, unknown>; limit: number; offset: number },
): Promise<MemberPage> {
  const response = await client.request({
    ...endpointRequest('queryMembers', {}),
    body: queryMembersBody(query),
    read: true,
    ...fromScope(scope),
  });
  return toPage(parseBody(memberPageSchema, response, 'query members'), query.offset);
}
