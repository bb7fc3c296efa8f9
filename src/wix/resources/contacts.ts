import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
import { contactSchema, type WixContact } from '../entities/contact.js';
import { fromScope, parseBody, type RequestScope } from './scope.js';

/** Contact v4: the one model in src/wix/entities/contact.ts (re-exported here for existing importers). */
export { contactSchema, type WixContact } from '../entities/contact.js';

const getContactAnswer = z.looseObject({ contact: contactSchema });

export async function getContact(
  client: WixRequester,
  scope: RequestScope,
  contactId: string,
): Promise<WixContact> {
  const response = await client.request({
    ...endpointRequest('getContact', { id: contactId }),
    query: { fieldsets: 'FULL' },
    ...fromScope(scope),
  });
  return parseBody(getContactAnswer, response, 'get contact').contact;
}

/** One of the two: an email address, or a phone (E.164 such as +12125550147 matches best). */
export type ContactLookup = { email: string; phone?: undefined } | { phone: string; email?: undefined };

export interface ContactPage {
  contacts: WixContact[];
  total: number | undefined;
}

/** The Query Contacts response fields we read. */
export const queryResponse = z.looseObject({
  contacts: z.array(contactSchema).default([]),
  pagingMetadata: z.looseObject({ total: z.number().optional() }).optional(),
});

/** The Query Contacts filter for an email or a phone. */
export function contactLookupFilter(lookup: ContactLookup): Record<string, unknown> {
  if (lookup.email !== undefined) return { 'info.emails.email': { $eq: lookup.email.trim().toLowerCase() } };
  const phone = lookup.phone.trim();
  const compact = phone.replace(/[\s().-]/g, '');
  return /^\+\d{6,15}$/.test(compact)
    ? { 'info.phones.e164Phone': { $eq: compact } }
    : { 'info.phones.phone': { $eq: phone } };
}

/** The Query Contacts request body for one lookup. */
export function contactQueryBody(lookup: ContactLookup, limit: number) {
  return {
    query: {
      filter: contactLookupFilter(lookup),
      paging: { limit, offset: 0 },
      fieldsets: ['FULL' as const],
    },
  };
}

export async function findContacts(
  client: WixRequester,
  scope: RequestScope,
  lookup: ContactLookup,
  limit = 10,
): Promise<ContactPage> {
  const response = await client.request({
    ...endpointRequest('queryContacts', {}),
    body: contactQueryBody(lookup, limit),
    read: true,
    ...fromScope(scope),
  });
  const page = parseBody(queryResponse, response, 'query contacts');
  return { contacts: page.contacts, total: page.pagingMetadata?.total };
}
