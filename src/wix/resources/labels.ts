import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
import { contactSchema, type WixContact } from '../entities/contact.js';
import { fromScope, parseBody, type WriteScope } from './scope.js';

export const labelSchema = z.looseObject({
  key: z.string(),
  displayName: z.string().optional(),
  namespace: z.string().optional(),
  labelType: z.string().optional(),
});
export type WixLabel = z.output<typeof labelSchema>;

const labelAnswer = z.looseObject({ label: labelSchema, newLabel: z.boolean().optional() });

/** Returns the label with this display name, creating it when the site has none. */
export async function findOrCreateLabel(
  client: WixRequester,
  scope: WriteScope,
  displayName: string,
): Promise<{ label: WixLabel; created: boolean }> {
  const response = await client.request({
    ...endpointRequest('findOrCreateLabel', {}),
    body: { displayName },
    ...fromScope(scope),
  });
  const body = parseBody(labelAnswer, response, 'find or create label');
  return { label: body.label, created: body.newLabel ?? false };
}

const labelledContactAnswer = z.looseObject({ contact: contactSchema });

/** Adds existing labels (by key) to a contact; returns the updated contact. */
export async function labelContact(
  client: WixRequester,
  scope: WriteScope,
  contactId: string,
  labelKeys: string[],
): Promise<WixContact> {
  const response = await client.request({
    ...endpointRequest('labelContact', { contactId }),
    body: { labelKeys },
    ...fromScope(scope),
  });
  return parseBody(labelledContactAnswer, response, 'label contact').contact;
}
