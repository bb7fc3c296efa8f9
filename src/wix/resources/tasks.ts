import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
import { fromScope, parseBody, type CallScope, type WriteScope } from './scope.js';

export const taskSchema = z.looseObject({
  id: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  dueDate: z.string().optional(),
  status: z.string().optional(),
  contact: z.looseObject({ id: z.string().optional() }).optional(),
});
export type WixTask = z.output<typeof taskSchema>;

export interface NewTask {
  title: string;
  description?: string;
  /** ISO-8601 date-time. */
  dueDate?: string;
  contactId?: string;
}

/** The Create Task request body (status ACTION_NEEDED). */
export function createTaskBody(task: NewTask) {
  return {
    task: {
      title: task.title,
      ...(task.description ? { description: task.description } : {}),
      ...(task.dueDate ? { dueDate: task.dueDate } : {}),
      status: 'ACTION_NEEDED' as const,
      ...(task.contactId ? { contact: { id: task.contactId } } : {}),
    },
  };
}

/** Creates a CRM task (status ACTION_NEEDED) for the site's staff. */
export async function createTask(client: WixRequester, scope: WriteScope, task: NewTask): Promise<WixTask> {
  const response = await client.request({
    ...endpointRequest('createTask', {}),
    body: createTaskBody(task),
    ...fromScope(scope),
  });
  return parseBody(z.looseObject({ task: taskSchema }), response, 'create task').task;
}

/**
 * Tasks created at or after `since` (ISO-8601), newest first, at most `limit` (Wix: up to 100).
 * Query Tasks, `POST /crm/tasks/v2/tasks/query`; `_createdDate` supports $gte
 * (https://dev.wix.com/docs/rest/crm/crm/tasks/query-tasks).
 */
export async function queryTasksSince(
  client: WixRequester,
  scope: CallScope,
  since: string,
  limit = 100,
): Promise<WixTask[]> {
  const response = await client.request({
    method: 'POST',
    path: '/crm/tasks/v2/tasks/query',
    read: true,
    body: {
      query: {
        filter: { _createdDate: { $gte: since } },
        sort: [{ fieldName: '_createdDate', order: 'DESC' }],
        cursorPaging: { limit },
      },
    },
    ...fromScope(scope),
  });
  return parseBody(z.looseObject({ tasks: z.array(taskSchema).default([]) }), response, 'query tasks').tasks;
}
