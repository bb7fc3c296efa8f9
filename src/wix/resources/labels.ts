import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
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

/**
 * The Label Contact response fields we read: the contact's id and label keys (Wix sends the whole
 * updated contact, kept as sent). A write's answer checks no more than it reads: one that fails a check
 * is an unknown outcome for a person to settle, though the labels were added.
 * Source: @wix/auto_sdk_crm_contacts `LabelContactResponse` (`contact: Contact`).
 */
export const labelledContactAnswer = z.looseObject({
  contact: z.looseObject({
    id: z.string().min(1),
    info: z
      .looseObject({ labelKeys: z.looseObject({ items: z.array(z.string()).nullish() }).nullish() })
      .nullish(),
  }),
});
export type LabelledContact = z.output<typeof labelledContactAnswer>['contact'];

/** Adds existing labels (by key) to a contact; returns the contact's id and its label keys now. */
export async function labelContact(
  client: WixRequester,
  scope: WriteScope,
  contactId: string,
  labelKeys: string[],
): Promise<LabelledContact> {
  const response = await client.request({
    ...endpointRequest('labelContact', { contactId }),
    body: { labelKeys },
    ...fromScope(scope),
  });
  return parseBody(labelledContactAnswer, response, 'label contact').contact;
}
