import { z } from 'zod';
import { wixLimits } from '../limits.js';
import { createTask } from '../resources/tasks.js';
import { defineTool, wixId, writeScope } from './tool.js';

export const createTaskTool = defineTool({
  name: 'create_task',
  description:
    'Create a to-do for the site\'s staff in the Wix dashboard (CRM task), optionally about a contact and with a due date. Use it for follow-ups a person must do, e.g. "Call back about the delayed grinder".',
  input: z.object({
    // Wix's limits (Tasks v2): a longer text would get a 400 from Wix; the model gets this message instead.
    title: z
      .string()
      .trim()
      .min(1)
      .max(
        wixLimits.taskTitle.max,
        `Wix allows at most ${wixLimits.taskTitle.max} characters in a task title: shorten it`,
      )
      .describe(`Short task title, at most ${wixLimits.taskTitle.max} characters.`),
    description: z
      .string()
      .trim()
      .min(1)
      .max(
        wixLimits.taskDescription.max,
        `Wix allows at most ${wixLimits.taskDescription.max} characters in a task description: shorten it`,
      )
      .optional()
      .describe(`Details for the staff member, at most ${wixLimits.taskDescription.max} characters.`),
    dueDate: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('When it is due, ISO-8601 date-time, e.g. 2025-03-01T09:00:00Z.'),
    contactId: wixId.optional().describe('The contact the task is about.'),
  }),
  access: 'write',
  tags: ['crm', 'tasks'],
  async execute(ctx, input) {
    const task = await createTask(ctx.client, writeScope(ctx, 'task'), input);
    return {
      taskId: task.id,
      title: task.title,
      dueDate: task.dueDate,
      status: task.status,
      contactId: task.contact?.id,
    };
  },
});
