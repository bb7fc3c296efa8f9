import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
import { fromScope, parseBody, type WriteScope } from './scope.js';

/** BUSINESS: staff only (an internal note in the conversation); BUSINESS_AND_PARTICIPANT: the contact sees it too. */
export type MessageVisibility = 'BUSINESS' | 'BUSINESS_AND_PARTICIPANT';

const conversationAnswer = z.looseObject({
  conversation: z.looseObject({ id: z.string() }),
  newConversation: z.boolean().optional(),
});

/** Returns the site's inbox conversation with the contact, creating it when there is none. */
export async function getOrCreateConversation(
  client: WixRequester,
  scope: WriteScope,
  contactId: string,
): Promise<{ conversationId: string; created: boolean }> {
  const response = await client.request({
    ...endpointRequest('getOrCreateConversation', {}),
    body: { participantId: { contactId } },
    ...fromScope(scope),
  });
  const body = parseBody(conversationAnswer, response, 'get or create conversation');
  return { conversationId: body.conversation.id, created: body.newConversation ?? false };
}

const messageAnswer = z.looseObject({ message: z.looseObject({ id: z.string() }) });

/** Sends a plain-text message from the business into a conversation. */
export async function sendMessage(
  client: WixRequester,
  scope: WriteScope,
  input: { conversationId: string; text: string; visibility: MessageVisibility },
): Promise<{ messageId: string }> {
  const response = await client.request({
    ...endpointRequest('sendMessage', {}),
    body: {
      conversationId: input.conversationId,
      message: {
        direction: 'BUSINESS_TO_PARTICIPANT',
        visibility: input.visibility,
        content: { previewText: input.text.slice(0, 100), basic: { items: [{ text: input.text }] } },
      },
      sendNotifications: input.visibility === 'BUSINESS_AND_PARTICIPANT',
    },
    ...fromScope(scope),
  });
  const body = parseBody(messageAnswer, response, 'send message');
  return { messageId: body.message.id };
}
