import { z } from 'zod';
import { updateContact } from '../resources/contact-write.js';
import { contactSummary } from './compact.js';
import { defineTool, wixId, writeScope } from './tool.js';

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
  // Sent again at the same revision it is refused (the first one moved the revision on): no double effect.
  repeatable: true,
  async execute(ctx, input) {
    const { contactId, revision, ...changes } = input;
    const contact = await updateContact(ctx.client, writeScope(ctx, 'update'), contactId, revision, changes);
    return { ...contactSummary(contact), revision: contact.revision };
  },
});
