import { z } from 'zod';
import { getContact } from '../resources/contacts.js';
import { updateContact } from '../resources/contact-write.js';
import { contactSummary } from './compact.js';
import { defineTool, scopeOf, wixId, writeScope } from './tool.js';
import { contactName, phrase } from './phrase.js';

const text = (max: number) => z.string().trim().min(1).max(max);

export const updateContactTool = defineTool({
  name: 'update_contact',
  description:
    "Change a contact's name, company or job title. Pass the revision get_contact returned: if the contact changed since, Wix refuses with CONTACT_ALREADY_CHANGED; read it again and decide anew. Only the fields given change.",
  input: z
    .object({
      contactId: wixId.describe('The contact id (a GUID).'),
      revision: z.number().int().min(0).describe('The revision from get_contact.'),
      firstName: text(100).optional().describe('New first name.'),
      lastName: text(100).optional().describe('New last name.'),
      company: text(200).optional().describe('New company.'),
      jobTitle: text(200).optional().describe('New job title.'),
    })
    .refine((v) => v.firstName || v.lastName || v.company || v.jobTitle, {
      message: 'give at least one field to change',
      path: ['firstName'],
    }),
  access: 'write',
  tags: ['crm', 'contacts'],
  permission: 'CONTACTS.MODIFY',
  // Not `repeat`: sent again at the same revision after the first was applied, Wix refuses it with
  // CONTACT_ALREADY_CHANGED (the first moved the revision on), which would record an applied write as
  // failed. Looked up instead: see `reconcile`.
  settle: 'reconcile',
  describe(input, about) {
    return phrase('update', 'updated', contactName(input.contactId, about));
  },
  async execute(ctx, input) {
    const { contactId, revision, ...changes } = input;
    const contact = await updateContact(ctx.client, writeScope(ctx), contactId, revision, changes);
    return { ...contactSummary(contact), revision: contact.revision };
  },
  /**
   * Outcome unknown: applied when the contact's revision moved past the one given and every field
   * given now has the value asked for. Anything else (revision unchanged, or changed to other values,
   * perhaps by someone else) is parked for a person: never re-sent blindly.
   */
  async reconcile(ctx, input) {
    const contact = await getContact(ctx.client, scopeOf(ctx), input.contactId);
    const info = contact.info;
    const matches =
      (input.firstName === undefined || info?.name?.first === input.firstName) &&
      (input.lastName === undefined || info?.name?.last === input.lastName) &&
      (input.company === undefined || info?.company === input.company) &&
      (input.jobTitle === undefined || info?.jobTitle === input.jobTitle);
    return contact.revision != null && contact.revision > input.revision && matches
      ? { ...contactSummary(contact), revision: contact.revision }
      : undefined;
  },
});
