import { Router } from 'express';
import { z } from 'zod';
import type { EmulatorSite } from '../data.js';
import { applicationError, parseRequest, siteOf } from '../http.js';
import { runQuery } from './paging.js';

/** A member in Wix's REST shape (FULL fieldset), as `@wix/auto_sdk_members_members` types it. */
export type EmulatedMember = Record<string, unknown> & { id: string };

const members = new WeakMap<EmulatorSite, Map<string, EmulatedMember>>();

/** The members of a site (created empty on first use); tests and the demo add to it with `addMember`. */
export function membersOf(site: EmulatorSite): Map<string, EmulatedMember> {
  let map = members.get(site);
  if (!map) {
    map = new Map();
    members.set(site, map);
  }
  return map;
}

/** Adds a member linked to a contact of the site. */
export function addMember(
  site: EmulatorSite,
  input: {
    id: string;
    contactId: string;
    nickname: string;
    loginEmail: string;
    status?: string;
    createdDate?: string;
  },
): EmulatedMember {
  const contact = site.contacts.get(input.contactId);
  const member: EmulatedMember = {
    id: input.id,
    loginEmail: input.loginEmail.toLowerCase(),
    loginEmailVerified: true,
    status: input.status ?? 'APPROVED',
    contactId: input.contactId,
    contact: {
      firstName: contact?.info.name.first ?? null,
      lastName: contact?.info.name.last ?? null,
      emails: contact ? contact.info.emails.items.map((e) => e.email) : [],
      phones: contact ? contact.info.phones.items.map((p) => p.phone) : [],
      addresses: [],
    },
    profile: { nickname: input.nickname, slug: input.nickname.toLowerCase().replace(/[^a-z0-9]+/g, '-') },
    privacyStatus: 'PUBLIC',
    activityStatus: 'ACTIVE',
    createdDate: input.createdDate ?? new Date(0).toISOString(),
    updatedDate: input.createdDate ?? new Date(0).toISOString(),
  };
  membersOf(site).set(member.id, member);
  return member;
}

/** Without the FULL fieldset Wix returns only id and profile (status etc. as UNKNOWN). */
function withFieldsets(member: EmulatedMember, fieldsets: unknown): Record<string, unknown> {
  const list = Array.isArray(fieldsets) ? fieldsets : fieldsets === undefined ? [] : [fieldsets];
  if (list.includes('FULL')) return member;
  return {
    id: member.id,
    profile: member.profile,
    status: 'UNKNOWN',
    privacyStatus: 'UNKNOWN',
    activityStatus: 'UNKNOWN',
  };
}

const int = (value: unknown, fallback: number, max: number) => {
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? Math.min(n, max) : fallback;
};

const queryBody = z.object({
  query: z
    .object({
      filter: z.record(z.string(), z.unknown()).optional(),
      paging: z
        .object({
          limit: z.number().int().min(0).max(100).optional(),
          offset: z.number().int().min(0).optional(),
        })
        .optional(),
      sorting: z
        .array(z.object({ fieldName: z.string(), order: z.enum(['ASC', 'DESC']).optional() }))
        .optional(),
    })
    .optional(),
  fieldsets: z
    .array(z.enum(['PUBLIC', 'EXTENDED', 'FULL']))
    .max(3)
    .optional(),
});

/** Members: get, list (GET with `paging.limit`/`paging.offset`), query. */
export function membersRoutes(): Router {
  const router = Router();

  router.get('/members/v1/members/:id', (req, res) => {
    const member = membersOf(siteOf(res)).get(req.params.id);
    if (!member) throw applicationError(404, 'MEMBER_NOT_FOUND', `Member ${req.params.id} not found`);
    res.json({ member: withFieldsets(member, req.query.fieldsets) });
  });

  router.get('/members/v1/members', (req, res) => {
    const all = [...membersOf(siteOf(res)).values()];
    const offset = int(req.query['paging.offset'], 0, 1_000_000);
    const page = all.slice(offset, offset + int(req.query['paging.limit'], 50, 100));
    res.json({
      members: page.map((m) => withFieldsets(m, req.query.fieldsets)),
      metadata: { count: page.length, offset, total: all.length, tooManyToCount: false },
    });
  });

  router.post('/members/v1/members/query', (req, res) => {
    const body = parseRequest(queryBody, req.body);
    const query = body.query ?? {};
    const all = runQuery([...membersOf(siteOf(res)).values()], query.filter, query.sorting ?? []);
    const offset = query.paging?.offset ?? 0;
    const page = all.slice(offset, offset + (query.paging?.limit ?? 50));
    res.json({
      members: page.map((m) => withFieldsets(m, body.fieldsets)),
      metadata: { count: page.length, offset, total: all.length, tooManyToCount: false },
    });
  });

  return router;
}
