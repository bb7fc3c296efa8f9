import { z } from 'zod';
import {
  contactFacts,
  createTaskTool,
  defineHandler,
  findContactsTool,
  getContactTool,
  labelContactTool,
  sendInboxMessageTool,
  type ScriptContext,
  type ScriptTurn,
} from '../api.js';
import { arr, calledAny, describeWrite, obj, offeredCalls, resultsOf, str } from './sandbox-helpers.js';

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
  // What the sandbox model (the demo, serve --sandbox) does for it.
  sandbox: intakeScript,
});

/** The label for how the contact was created, read from its data block (as a model would). */
function sourceLabelOf(d: Record<string, unknown>): string {
  const source = obj(d.source);
  if (d.member === true || source.sourceType === 'WIX_SITE_MEMBERS') return 'member-signup';
  if (source.sourceType === 'WIX_FORMS') return 'from-form';
  if (['WIX_STORES', 'ECOM', 'WIX_BOOKINGS'].includes(String(source.sourceType))) return 'from-checkout';
  if (source.sourceType === 'IMPORT') return 'from-import';
  return 'from-other';
}

/**
 * The sandbox model's turns for contact-intake: find contacts sharing an email or phone, then flag a
 * duplicate, label the contact by source and (when the Inbox tool is offered) leave a staff-only
 * welcome draft, then a summary. Not an LLM.
 */
function intakeScript(c: ScriptContext): ScriptTurn {
  const d = c.data;
  const contactId = str(d.contactId);
  const emails = arr(d.emails)
    .map(str)
    .filter((x): x is string => Boolean(x));
  const phones = arr(d.phones)
    .map(str)
    .filter((x): x is string => Boolean(x));

  if (c.results.length === 0) {
    const calls = offeredCalls(c, [
      ...emails.slice(0, 3).map((email) => ({ tool: 'find_contacts', input: { email } })),
      ...phones.slice(0, 2).map((phone) => ({ tool: 'find_contacts', input: { phone } })),
    ]);
    if (calls.length) return { calls };
  }

  if (!calledAny(c, ['label_contact', 'create_task', 'send_inbox_message']) && contactId) {
    const others = [
      ...new Set(
        resultsOf(c, 'find_contacts')
          .flatMap((r) => arr(obj(r).contacts))
          .map((x) => str(obj(x).id))
          .filter((id): id is string => Boolean(id) && id !== contactId),
      ),
    ];
    const label = sourceLabelOf(d);
    const first = str(obj(d.name).first);
    const calls = offeredCalls(c, [
      others.length > 0 && {
        tool: 'create_task',
        input: {
          title: 'Review possible duplicate contact',
          description: `New contact ${contactId} shares an email or phone with ${others.join(', ')}.`,
          contactId,
        },
      },
      {
        tool: 'label_contact',
        input: { contactId, labels: others.length ? [label, 'possible-duplicate'] : [label] },
      },
      {
        tool: 'send_inbox_message',
        input: {
          contactId,
          visibility: 'staff',
          text: `Welcome${first && first.length < 40 ? `, ${first}` : ''}! Thanks for getting in touch.`,
        },
      },
    ]);
    if (calls.length) return { calls };
  }

  const done = [
    ...resultsOf(c, 'create_task').map((r) => describeWrite(r, 'flagged a possible duplicate for review')),
    ...resultsOf(c, 'label_contact').map((r) => describeWrite(r, 'labelled the contact by source')),
    ...resultsOf(c, 'send_inbox_message').map((r) => describeWrite(r, 'left a staff-only welcome draft')),
  ];
  return { text: `Contact intake by the sandbox model: ${done.join('; ') || 'nothing to do'}.` };
}
