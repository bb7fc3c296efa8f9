import { z } from 'zod';
import { createTask } from '../resources/tasks.js';
import { defineTool, wixId, writeScope } from './tool.js';

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
  async execute(ctx, input) {
    const task = await createTask(ctx.client, writeScope(ctx), input);
    return {
      taskId: task.id,
      title: task.title,
      dueDate: task.dueDate,
      status: task.status,
      contactId: task.contact?.id,
    };
  },
});
