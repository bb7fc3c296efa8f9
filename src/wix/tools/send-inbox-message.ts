import { z } from 'zod';
import { getOrCreateConversation, sendMessage } from '../resources/inbox.js';
import { defineTool, wixId, writeScope } from './tool.js';
import { contactName, phrase, quote } from './phrase.js';

export const sendInboxMessageTool = defineTool({
  name: 'send_inbox_message',
  description:
    'Post a message in the site\'s Inbox conversation with a contact. By default it is staff-only (an internal note the contact never sees); with visibility "customer" the contact sees it and is notified.',
  input: z.object({
    contactId: wixId.describe('The contact id (a GUID) whose conversation gets the message.'),
    text: z.string().trim().min(1).max(2000).describe('Message text, at most 2000 characters.'),
    visibility: z
      .enum(['staff', 'customer'])
      .default('staff')
      .describe('staff (default): only the business sees it. customer: the contact sees it too.'),
  }),
  access: 'write',
  tags: ['inbox'],
  // @wix/auto_sdk_inbox_messages@1.0.41 sendMessage; getOrCreateConversation needs
  // INBOX.CREATE_CONVERSATIONS (@wix/auto_sdk_inbox_conversations@1.0.33).
  permission: 'INBOX.SEND_MESSAGES',
  // Unknown outcome: parked for a person. A marker in the text would reach the customer, and a message
  // repeated to a customer cannot be taken back.
  settle: 'park',
  describe(input, about) {
    const to = contactName(input.contactId, about, 'a stranger, contact');
    const how = input.visibility === 'customer' ? 'a message to' : 'a staff-only message on the inbox of';
    return phrase('send', 'sent', `${how} ${to}: ${quote(input.text, 100)}`);
  },
  async execute(ctx, input) {
    const { conversationId } = await getOrCreateConversation(ctx.client, writeScope(ctx), input.contactId);
    const { messageId } = await sendMessage(ctx.client, writeScope(ctx), {
      conversationId,
      text: input.text,
      visibility: input.visibility === 'customer' ? 'BUSINESS_AND_PARTICIPANT' : 'BUSINESS',
    });
    return { conversationId, messageId, visibility: input.visibility };
  },
});
