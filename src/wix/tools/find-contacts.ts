import { z } from 'zod';
import { findContacts } from '../resources/contacts.js';
import { contactSummary } from './compact.js';
import { defineTool, scopeOf } from './tool.js';
import { phrase, quote } from './phrase.js';

export const findContactsTool = defineTool({
  name: 'find_contacts',
  description:
    "Find this site's contacts by email address or by phone number (give exactly one). Use it to check whether a person is already known, e.g. a possible duplicate or a returning customer. Returns short summaries.",
  input: z
    .object({
      email: z.email().max(254).optional().describe('Email address to look for (case does not matter).'),
      phone: z
        .string()
        .trim()
        .min(4)
        .max(32)
        .regex(/^[+\d\s().-]+$/, 'digits, spaces, + ( ) . - only')
        .optional()
        .describe('Phone number, best in international format such as +12125550147.'),
      limit: z
        .number()
        .int()
        .min(1)
        .max(20)
        .default(5)
        .describe('Most contacts to return, 1-20 (default 5).'),
    })
    .refine((v) => (v.email === undefined) !== (v.phone === undefined), {
      message: 'give exactly one of email or phone',
      path: ['email'],
    }),
  access: 'read',
  tags: ['contacts'],
  // @wix/auto_sdk_crm_contacts@1.0.1375 queryContacts.
  permission: 'CONTACTS.VIEW',
  describe(input) {
    const by = input.email ? `email ${quote(input.email, 60)}` : `phone ${quote(input.phone, 30)}`;
    return phrase('look for', 'looked for', `other contacts with ${by}`);
  },
  async execute(ctx, input) {
    const lookup = input.email !== undefined ? { email: input.email } : { phone: input.phone as string };
    const page = await findContacts(ctx.client, scopeOf(ctx), lookup, input.limit);
    return { contacts: page.contacts.map(contactSummary), total: page.total ?? page.contacts.length };
  },
});
