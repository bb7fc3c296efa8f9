import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
import { fromScope, parseBody, type RequestScope, type WriteScope } from './scope.js';

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

const createTaskAnswer = z.looseObject({ task: taskSchema });

/** Creates a CRM task (status ACTION_NEEDED) for the site's staff. */
export async function createTask(client: WixRequester, scope: WriteScope, task: NewTask): Promise<WixTask> {
  const response = await client.request({
    ...endpointRequest('createTask', {}),
    body: createTaskBody(task),
    ...fromScope(scope),
  });
  return parseBody(createTaskAnswer, response, 'create task').task;
}

/**
 * The Query Tasks body: tasks created at or after `since`, newest first, one page of `limit`.
 * REST filters and sorts on `createdDate`; `_createdDate` is the SDK's name for it, renamed by the SDK
 * before the call (`@wix/sdk-runtime@1.0.25` `SDKRequestToRESTRequestRenameMap`, used by
 * `@wix/auto_sdk_crm_tasks@1.0.85` `queryTasks`). REST's filterable fields: id, createdDate, updatedDate,
 * dueDate, status, contact.id ("CRM Tasks: Supported Filters and Sorting",
 * https://dev.wix.com/docs/rest/crm/tasks/tasks).
 */
export function queryTasksSinceBody(since: string, limit: number) {
  return {
    query: {
      filter: { createdDate: { $gte: since } },
      sort: [{ fieldName: 'createdDate', order: 'DESC' as const }],
      cursorPaging: { limit },
    },
  };
}

/** The Query Tasks response fields we read: `{ tasks }`. */
export const queryTasksResponse = z.looseObject({ tasks: z.array(taskSchema).default([]) });

/**
 * Tasks created at or after `since` (ISO-8601), newest first, at most `limit` (Wix: up to 100).
 * Query Tasks, `POST /crm/tasks/v2/tasks/query`.
 */
export async function queryTasksSince(
  client: WixRequester,
  scope: RequestScope,
  since: string,
  limit = 100,
): Promise<WixTask[]> {
  const response = await client.request({
    ...endpointRequest('queryTasks', {}),
    read: true,
    body: queryTasksSinceBody(since, limit),
    ...fromScope(scope),
  });
  return parseBody(queryTasksResponse, response, 'query tasks').tasks;
}
