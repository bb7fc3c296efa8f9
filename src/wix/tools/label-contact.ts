import { z } from 'zod';
import { findOrCreateLabel, labelContact } from '../resources/labels.js';
import { defineTool, wixId, writeScope } from './tool.js';
import { contactName, phrase, quoteAll } from './phrase.js';

export const labelContactTool = defineTool({
  name: 'label_contact',
  description:
    'Add labels to a contact, by label display name (e.g. "VIP", "Repeat customer"). Labels that do not exist yet are created. Labels the contact already has stay. Returns the label keys now on the contact.',
  input: z.object({
    contactId: wixId.describe('The contact id (a GUID).'),
    labels: z
      .array(z.string().trim().min(1).max(60))
      .min(1)
      .max(5)
      .describe('Label display names, 1-5, each at most 60 characters.'),
  }),
  access: 'write',
  tags: ['contacts', 'labels'],
  // @wix/auto_sdk_crm_contacts@1.0.1375 labelContact; findOrCreateLabel needs CONTACTS_LABELS.MODIFY
  // (@wix/auto_sdk_crm_labels@1.0.71).
  permission: 'CONTACTS.MODIFY',
  // Labels are a set: applying the same ones again changes nothing, so an unknown outcome is sent again.
  settle: 'repeat',
  describe(input, about) {
    return phrase('label', 'labelled', `${contactName(input.contactId, about)} ${quoteAll(input.labels)}`);
  },
  async execute(ctx, input) {
    // Names that differ only in case are asked for once; the first spelling wins.
    const names = input.labels.filter(
      (name, i) => input.labels.findIndex((other) => other.toLowerCase() === name.toLowerCase()) === i,
    );
    const labels: { key: string; displayName: string | undefined; created: boolean }[] = [];
    for (const name of names) {
      const { label, created } = await findOrCreateLabel(ctx.client, writeScope(ctx), name);
      labels.push({ key: label.key, displayName: label.displayName, created });
    }
    const contact = await labelContact(
      ctx.client,
      writeScope(ctx),
      input.contactId,
      labels.map((l) => l.key),
    );
    return { contactId: contact.id, applied: labels, labelKeys: contact.info?.labelKeys?.items ?? [] };
  },
});
