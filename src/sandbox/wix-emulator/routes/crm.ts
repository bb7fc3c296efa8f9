import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { wixLimits } from '../../../wix/limits.js';
import { EMULATOR_APP_ID } from '../data.js';
import { applicationError, parseRequest, siteOf, type RouteContext } from '../http.js';
import { onlySupportedFields, runQuery } from './paging.js';

const taskBody = z.object({
  task: z.object({
    // Limits as Wix publishes them (src/wix/limits.ts, checked against @wix/auto_sdk_crm_tasks).
    title: z.string().min(1).max(wixLimits.taskTitle.max),
    description: z.string().min(1).max(wixLimits.taskDescription.max).optional(),
    dueDate: z.iso.datetime({ offset: true }).optional(),
    status: z.enum(['ACTION_NEEDED', 'COMPLETED']).optional(),
    contact: z.object({ id: z.string().min(1) }).optional(),
  }),
});

// Query Tasks (https://dev.wix.com/docs/rest/crm/crm/tasks/query-tasks): REST filters on id, createdDate,
// updatedDate, dueDate, status, contact.id and sorts on the first four ("CRM Tasks: Supported Filters and
// Sorting", https://dev.wix.com/docs/rest/crm/tasks/tasks; `_createdDate` is only the SDK's name); default
// sort createdDate DESC; cursor paging (first page only here).
const taskFields = {
  filter: ['id', 'createdDate', 'updatedDate', 'dueDate', 'status', 'contact.id'],
  sort: ['id', 'createdDate', 'updatedDate', 'dueDate'],
} as const;
const taskQueryBody = z.object({
  query: z
    .object({
      filter: z.record(z.string(), z.unknown()).optional(),
      sort: z
        .array(z.object({ fieldName: z.string(), order: z.enum(['ASC', 'DESC']).optional() }))
        .optional(),
      cursorPaging: z.object({ limit: z.number().int().min(0).max(100).optional() }).optional(),
    })
    .optional(),
});

const conversationBody = z.object({
  participantId: z
    .object({
      contactId: z.string().optional(),
      memberId: z.string().optional(),
      anonymousVisitorId: z.string().optional(),
    })
    .refine(
      (p) => Object.values(p).filter(Boolean).length === 1,
      'exactly one of contactId, memberId, anonymousVisitorId',
    ),
});

const messageBody = z.object({
  conversationId: z.string().min(1),
  message: z.object({
    content: z.object({
      previewText: z.string().max(wixLimits.inboxPreviewText.max).optional(),
      basic: z.object({
        items: z
          .array(z.object({ text: z.string().min(1).max(wixLimits.inboxText.max) }))
          .min(1)
          .max(10),
      }),
    }),
    direction: z.enum(['BUSINESS_TO_PARTICIPANT', 'PARTICIPANT_TO_BUSINESS']).optional(),
    visibility: z.enum(['BUSINESS_AND_PARTICIPANT', 'BUSINESS']).optional(),
  }),
  sendNotifications: z.boolean().optional(),
});

/** CRM tasks and Inbox conversations/messages. */
export function crmRoutes(ctx: RouteContext): Router {
  const router = Router();

  router.post('/crm/tasks/v2/tasks/query', (req, res) => {
    const { query = {} } = parseRequest(taskQueryBody, req.body);
    onlySupportedFields(query, taskFields);
    const found = runQuery(
      [...siteOf(res).tasks.values()],
      query.filter,
      query.sort ?? [{ fieldName: 'createdDate', order: 'DESC' }],
    );
    const page = found.slice(0, query.cursorPaging?.limit ?? 50);
    res.json({ tasks: page, pagingMetadata: { count: page.length, cursors: {}, hasNext: false } });
  });

  router.post('/crm/tasks/v2/tasks', (req, res) => {
    const site = siteOf(res);
    const { task } = parseRequest(taskBody, req.body);
    let contact: Record<string, unknown> | undefined;
    if (task.contact) {
      const found = site.contacts.get(task.contact.id);
      if (!found) throw applicationError(404, 'CONTACT_NOT_FOUND', `Contact ${task.contact.id} not found`);
      contact = {
        id: found.id,
        firstName: found.info.name.first,
        lastName: found.info.name.last,
        email: found.primaryInfo.email,
        phone: found.primaryInfo.phone,
      };
    }
    const now = ctx.isoNow();
    const created = {
      id: randomUUID(),
      revision: '1',
      title: task.title,
      ...(task.description ? { description: task.description } : {}),
      ...(task.dueDate ? { dueDate: task.dueDate } : {}),
      status: task.status ?? 'ACTION_NEEDED',
      source: { sourceType: 'APP', appId: EMULATOR_APP_ID },
      ...(contact ? { contact } : {}),
      createdDate: now,
      updatedDate: now,
    };
    site.tasks.set(created.id, created);
    res.json({ task: created });
  });

  router.post('/inbox/v2/conversations', (req, res) => {
    const site = siteOf(res);
    const { participantId } = parseRequest(conversationBody, req.body);
    if (participantId.contactId && !site.contacts.has(participantId.contactId)) {
      throw applicationError(404, 'CONTACT_NOT_FOUND', `Contact ${participantId.contactId} not found`);
    }
    const existing = [...site.conversations.values()].find(
      (c) => JSON.stringify(c.participant) === JSON.stringify(participantId),
    );
    if (existing) {
      res.json({ conversation: existing, newConversation: false });
      return;
    }
    const conversation = {
      id: randomUUID(),
      participant: participantId,
      businessDisplayData: { name: site.name },
      createdDate: ctx.isoNow(),
    };
    site.conversations.set(conversation.id, conversation);
    res.json({ conversation, newConversation: true });
  });

  router.post('/inbox/v2/messages', (req, res) => {
    const site = siteOf(res);
    const body = parseRequest(messageBody, req.body);
    if (!site.conversations.has(body.conversationId)) {
      throw applicationError(404, 'CONVERSATION_NOT_FOUND', `Conversation ${body.conversationId} not found`);
    }
    const thread = site.messages.get(body.conversationId) ?? [];
    const message = {
      id: randomUUID(),
      sequence: String(thread.length + 1),
      direction: body.message.direction ?? 'BUSINESS_TO_PARTICIPANT',
      visibility: body.message.visibility ?? 'BUSINESS_AND_PARTICIPANT',
      content: body.message.content,
      sender: { appId: EMULATOR_APP_ID },
      createdDate: ctx.isoNow(),
    };
    thread.push(message);
    site.messages.set(body.conversationId, thread);
    res.json({ message });
  });

  return router;
}
