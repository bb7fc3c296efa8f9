import { z } from 'zod';
import { getContact } from '../resources/contacts.js';
import { contactDetails } from './compact.js';
import { defineTool, scopeOf, wixId } from './tool.js';
import { contactName, phrase } from './phrase.js';

export const getContactTool = defineTool({
  name: 'get_contact',
  description:
    "Get one contact of this site by id: name, emails, phones, label keys (e.g. custom.vip), company, member status and last activity. Use it for an order's buyer (buyer.contactId) or a new contact.",
  input: z.object({ contactId: wixId.describe('The contact id (a GUID).') }),
  access: 'read',
  tags: ['contacts'],
  // @wix/auto_sdk_crm_contacts@1.0.1375 getContact.
  permission: 'CONTACTS.VIEW',
  describe(input, about) {
    return phrase('look up', 'looked up', contactName(input.contactId, about));
  },
  async execute(ctx, input) {
    return contactDetails(await getContact(ctx.client, scopeOf(ctx), input.contactId));
  },
});
