import { z } from 'zod';
import { wixLimits } from '../limits.js';
import { createTask, queryTasksSince, type WixTask } from '../resources/tasks.js';
import { defineTool, scopeOf, wixId, writeScope } from './tool.js';
import { contactName, phrase, quote } from './phrase.js';

/** The marker put at the end of a task's description so an unknown outcome can be looked up. */
const marker = (ref: string) => `[ref ${ref}]`;
/**
 * Wix allows 500 characters in a description (Tasks v2); the marker and its blank line take up to
 * MARKER_ROOM of them, so the model's text gets the rest.
 */
const MARKER_ROOM = 100;
const DESCRIPTION_MAX = wixLimits.taskDescription.max - MARKER_ROOM;

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
        DESCRIPTION_MAX,
        `a task description may have at most ${DESCRIPTION_MAX} characters (Wix's limit, less room for our reference): shorten it`,
      )
      .optional()
      .describe(`Details for the staff member, at most ${DESCRIPTION_MAX} characters.`),
    dueDate: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('When it is due, ISO-8601 date-time, e.g. 2025-03-01T09:00:00Z.'),
    contactId: wixId.optional().describe('The contact the task is about.'),
  }),
  access: 'write',
  tags: ['crm', 'tasks'],
  // @wix/auto_sdk_crm_tasks@1.0.85 createTask; reconcile's queryTasks needs CRM_TASKS.TASK_READ.
  permission: 'CRM_TASKS.TASK_CREATE',
  // Unknown outcome: look for the task carrying this write's marker among the tasks created since an
  // hour before (Query Tasks cannot filter on the description, so the page is scanned).
  settle: 'reconcile',
  describe(input, about) {
    const whom = input.contactId ? ` for ${contactName(input.contactId, about)}` : '';
    return phrase('create', 'created', `the task ${quote(input.title)}${whom}`);
  },
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
