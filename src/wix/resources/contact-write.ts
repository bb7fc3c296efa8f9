/**
 * Create and update contacts (v4). Source: `@wix/auto_sdk_crm_contacts@1.0.1375` build metadata
 * (`ContactsServiceV4.CreateContact` `POST /contacts/v4/contacts` → `{contact}`, permission
 * `CONTACTS.MODIFY`; `ContactsServiceV4.UpdateContact` `PATCH /contacts/v4/contacts/{contactId}` with
 * `{revision, info}` → `{contact}`) and typings (`CreateContactRequest {info, allowDuplicates}`,
 * errors DUPLICATE_CONTACT_EXISTS, CONTACT_ALREADY_CHANGED, INSUFFICIENT_CONTACT_DATA).
 */
import { z } from 'zod';
import { wixPath, type WixRequester } from '../request.js';
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

/** The `info` of a request: only the given fields. */
function infoOf(c: NewContact): Record<string, unknown> {
  return {
    ...(c.firstName !== undefined || c.lastName !== undefined
      ? {
          name: {
            ...(c.firstName !== undefined ? { first: c.firstName } : {}),
            ...(c.lastName !== undefined ? { last: c.lastName } : {}),
          },
        }
      : {}),
    ...(c.email ? { emails: { items: [{ tag: 'MAIN', email: c.email }] } } : {}),
    ...(c.phone ? { phones: { items: [{ tag: 'MOBILE', phone: c.phone }] } } : {}),
    ...(c.company !== undefined ? { company: c.company } : {}),
    ...(c.jobTitle !== undefined ? { jobTitle: c.jobTitle } : {}),
  };
}

const answer = z.looseObject({ contact: contactSchema });

/** Creates a contact; Wix refuses a duplicate email with 409 DUPLICATE_CONTACT_EXISTS (`data.duplicateContactId`). */
export async function createContact(
  client: WixRequester,
  scope: WriteScope,
  contact: NewContact,
): Promise<WixContact> {
  const response = await client.request({
    method: 'POST',
    path: '/contacts/v4/contacts',
    body: { info: infoOf(contact), allowDuplicates: false },
    ...fromScope(scope),
  });
  return parseBody(answer, response, 'create contact').contact;
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
    method: 'PATCH',
    path: wixPath`/contacts/v4/contacts/${contactId}`,
    body: { revision, info: infoOf(changes) },
    ...fromScope(scope),
  });
  return parseBody(answer, response, 'update contact').contact;
}
