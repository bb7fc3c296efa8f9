import { z } from 'zod';
import {
  contactFacts,
  createTaskTool,
  defineHandler,
  findContactsTool,
  getContactTool,
  labelContactTool,
  sendInboxMessageTool,
} from '../api.js';

export const CONTACT_INTAKE_LABELS = [
  'from-form',
  'from-checkout',
  'from-import',
  'member-signup',
  'from-other',
  'possible-duplicate',
];

/**
 * contact-intake: looks at every new contact, flags likely duplicates for a merge review, labels it by
 * source, and (only when CONTACT_INTAKE_WELCOME_DRAFT=true) leaves a staff-only welcome draft in the Inbox.
 */
export const contactIntake = defineHandler({
  name: 'contact-intake',
  on: 'contact_created',
  tools: [findContactsTool, getContactTool, labelContactTool, createTaskTool, sendInboxMessageTool],
  // CONTACT_INTAKE_WELCOME_DRAFT (default false): leave a staff-only welcome draft in the Inbox.
  settings: {
    prefix: 'CONTACT_INTAKE_',
    schema: z.object({ welcomeDraft: z.stringbool().default(false) }),
  },
  // The Inbox tool is offered only with the welcome draft on.
  offers: ({ welcomeDraft }) =>
    welcomeDraft
      ? ['find_contacts', 'get_contact', 'label_contact', 'create_task', 'send_inbox_message']
      : ['find_contacts', 'get_contact', 'label_contact', 'create_task'],
  instructions: (settings) => `
A new contact was created. Take it in:
1. Look for likely duplicates: find_contacts by each of its emails and phone numbers. Another contact
   (a different contactId) with the same email or phone is a likely duplicate.
2. If there is one, create one task titled "Review possible duplicate contact" naming both contact ids,
   linked to the new contact, and include the label "possible-duplicate" in step 3.
3. Label the new contact by how it was created (use the source in the data): "from-form" (Wix Forms),
   "from-checkout" (store or checkout), "from-import" (import), "member-signup" (site member),
   otherwise "from-other". Use one label_contact call with all its labels.
${
  settings.welcomeDraft
    ? '4. Send a short, friendly welcome draft with send_inbox_message, visibility "staff" (a person reviews and sends it).'
    : '4. Do not send any message.'
}`,
  data: (event) => contactFacts(event.entity),
  guard: (write, event) => {
    const contactId = event.entity.id;
    if (write.tool === 'label_contact') {
      if (write.input.contactId !== contactId) return 'labels may only go on the new contact';
      const outside = write.input.labels.filter((l) => !CONTACT_INTAKE_LABELS.includes(l.toLowerCase()));
      if (outside.length) return `label(s) ${outside.join(', ')} are not ones this handler gives`;
    }
    if (
      write.tool === 'create_task' &&
      write.input.contactId !== undefined &&
      write.input.contactId !== contactId
    ) {
      return 'tasks may only be linked to the new contact';
    }
    if (write.tool === 'send_inbox_message') {
      if (write.input.contactId !== contactId) return 'messages may only go to the new contact';
      if (write.input.visibility !== 'staff') return 'welcome drafts are staff-only';
    }
    return undefined;
  },
  limits: {
    maxSteps: 8,
    maxToolCalls: 14,
    writesPerTool: { label_contact: 1, create_task: 1, send_inbox_message: 1 },
  },
});
