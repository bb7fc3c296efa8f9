/**
 * Create and update contacts (v4). Source: `@wix/auto_sdk_crm_contacts@1.0.1375` build metadata
 * (`ContactsServiceV4.CreateContact` `POST /contacts/v4/contacts` → `{contact}`, permission
 * `CONTACTS.MODIFY`; `ContactsServiceV4.UpdateContact` `PATCH /contacts/v4/contacts/{contactId}` with
 * `{revision, info}` → `{contact}`) and typings (`CreateContactRequest {info, allowDuplicates}`,
 * errors DUPLICATE_CONTACT_EXISTS, CONTACT_ALREADY_CHANGED, INSUFFICIENT_CONTACT_DATA).
 */
import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
import { contactSchema, type WixContact } from './contacts.js';
import { fromScope, parseBody, type WriteScope } from './scope.js';

export interface NewContact {
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  company?: string;
  jobTitle?: string;
}

/** The `info` of a request: only the given fields (`ContactInfo`: name, emails, phones, company, jobTitle). */
function infoOf(c: NewContact) {
  return {
    ...(c.firstName !== undefined || c.lastName !== undefined
      ? {
          name: {
            ...(c.firstName !== undefined ? { first: c.firstName } : {}),
            ...(c.lastName !== undefined ? { last: c.lastName } : {}),
          },
        }
      : {}),
    ...(c.email ? { emails: { items: [{ tag: 'MAIN' as const, email: c.email }] } } : {}),
    ...(c.phone ? { phones: { items: [{ tag: 'MOBILE' as const, phone: c.phone }] } } : {}),
    ...(c.company !== undefined ? { company: c.company } : {}),
    ...(c.jobTitle !== undefined ? { jobTitle: c.jobTitle } : {}),
  };
}

/** The Create Contact request body; duplicates (same email) are refused. */
export function createContactBody(contact: NewContact) {
  return { info: infoOf(contact), allowDuplicates: false };
}

/** The Update Contact request body (without the path's `contactId`): the given fields at `revision`. */
export function updateContactBody(revision: number, changes: Omit<NewContact, 'email' | 'phone'>) {
  return { revision, info: infoOf(changes) };
}

/** The Create / Update Contact response fields we read: `{ contact }`. */
export const contactAnswer = z.looseObject({ contact: contactSchema });

/** Creates a contact; Wix refuses a duplicate email with 409 DUPLICATE_CONTACT_EXISTS (`data.duplicateContactId`). */
export async function createContact(
  client: WixRequester,
  scope: WriteScope,
  contact: NewContact,
): Promise<WixContact> {
  const response = await client.request({
    ...endpointRequest('createContact', {}),
    body: createContactBody(contact),
    ...fromScope(scope),
  });
  return parseBody(contactAnswer, response, 'create contact').contact;
}

/** Updates the named fields if the contact is still at `revision`; else 409 CONTACT_ALREADY_CHANGED. */
export async function updateContact(
  client: WixRequester,
  scope: WriteScope,
  contactId: string,
  revision: number,
  changes: Omit<NewContact, 'email' | 'phone'>,
): Promise<WixContact> {
  const response = await client.request({
    ...endpointRequest('updateContact', { contactId }),
    body: updateContactBody(revision, changes),
    ...fromScope(scope),
  });
  return parseBody(contactAnswer, response, 'update contact').contact;
}
