import { z } from 'zod';
import { createTask, queryTasksSince, type WixTask } from '../resources/tasks.js';
import { defineTool, scopeOf, wixId, writeScope } from './tool.js';

/** The marker put at the end of a task's description so an unknown outcome can be looked up. */
const marker = (ref: string) => `[ref ${ref}]`;

function compact(task: WixTask) {
  return {
    taskId: task.id,
    title: task.title,
    dueDate: task.dueDate,
    status: task.status,
    contactId: task.contact?.id,
  };
}

export const createTaskTool = defineTool({
  name: 'create_task',
  description:
    'Create a to-do for the site\'s staff in the Wix dashboard (CRM task), optionally about a contact and with a due date. Use it for follow-ups a person must do, e.g. "Call back about the delayed grinder".',
  input: z.object({
    title: z.string().trim().min(1).max(200).describe('Short task title, at most 200 characters.'),
    description: z
      .string()
      .trim()
      .max(2000)
      .optional()
      .describe('Details for the staff member, at most 2000 characters.'),
    dueDate: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('When it is due, ISO-8601 date-time, e.g. 2025-03-01T09:00:00Z.'),
    contactId: wixId.optional().describe('The contact the task is about.'),
  }),
  access: 'write',
  tags: ['crm', 'tasks'],
  // Unknown outcome: look for the task carrying this write's marker among the tasks created since an
  // hour before (Query Tasks cannot filter on the description, so the page is scanned).
  settle: 'reconcile',
  async execute(ctx, input) {
    const description = ctx.writeRef
      ? [input.description, marker(ctx.writeRef)].filter(Boolean).join('\n\n')
      : input.description;
    const task = await createTask(ctx.client, writeScope(ctx), {
      ...input,
      ...(description ? { description } : {}),
    });
    return compact(task);
  },
  async reconcile(ctx, input) {
    if (!ctx.writeRef) return undefined;
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const tasks = await queryTasksSince(ctx.client, scopeOf(ctx), since);
    const found = tasks.find(
      (t) => t.title === input.title && t.description?.endsWith(marker(ctx.writeRef!)),
    );
    return found ? compact(found) : undefined;
  },
});
