import { z } from 'zod';
import { findContacts } from '../resources/contacts.js';
import { createContact } from '../resources/contact-write.js';
import { contactSummary } from './compact.js';
import { defineTool, scopeOf, writeScope } from './tool.js';
import { phrase, quote } from './phrase.js';

const text = (max: number) => z.string().trim().min(1).max(max);

export const createContactTool = defineTool({
  name: 'create_contact',
  description:
    "Add a person to the site's contacts (CRM). Give at least a name, an email or a phone. An email that already belongs to a contact is refused with DUPLICATE_CONTACT_EXISTS and that contact's id: use it instead.",
  input: z
    .object({
      firstName: text(100).optional().describe('First name.'),
      lastName: text(100).optional().describe('Last name.'),
      email: z.email().max(254).optional().describe('Email address.'),
      phone: z
        .string()
        .trim()
        .min(4)
        .max(32)
        .regex(/^[+\d\s().-]+$/, 'digits, spaces, + ( ) . - only')
        .optional()
        .describe('Phone, best in international format such as +12125550147.'),
      company: text(200).optional().describe('Company.'),
      jobTitle: text(200).optional().describe('Job title.'),
    })
    .refine((v) => v.firstName || v.lastName || v.email || v.phone, {
      message: 'give at least a name, an email or a phone',
      path: ['firstName'],
    }),
  access: 'write',
  tags: ['crm', 'contacts'],
  permission: 'CONTACTS.MODIFY',
  // Sent twice it would make a second contact (or be refused as a duplicate of the first): looked up instead.
  settle: 'reconcile',
  describe(input) {
    const who = input.email ? ` with email ${quote(input.email, 60)}` : '';
    return phrase('create', 'created', `a contact${who}`);
  },
  async execute(ctx, input) {
    return contactSummary(await createContact(ctx.client, writeScope(ctx), input));
  },
  /**
   * Outcome unknown: a contact with this email means the create was applied (or the email already had a
   * contact, and Wix would have refused a second one): either way there is nothing to send again. No
   * email (a name or phone alone is no proof of this create): parked for a person.
   */
  async reconcile(ctx, input) {
    if (!input.email) return undefined;
    const found = await findContacts(ctx.client, scopeOf(ctx), { email: input.email }, 1);
    return found.contacts[0] ? contactSummary(found.contacts[0]) : undefined;
  },
});
