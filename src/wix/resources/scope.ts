import type { z } from 'zod';
import type { WixRequest, WixResponse } from '../request.js';
import { WixApiError } from '../errors.js';

/** Who a Wix request acts for (the site), and how long it may take. */
export interface RequestScope {
  instanceId: string;
  signal?: AbortSignal;
  /** Epoch ms; see `WixRequest.deadline`. */
  deadline?: number;
}

/** Scope of a write. Wix documents no idempotency key, so a write carries none (see `WixClient`). */
export type WriteScope = RequestScope;

/** The request fields that come from the scope. */
export function fromScope(scope: WriteScope): Pick<WixRequest, 'instanceId' | 'signal' | 'deadline'> {
  return { instanceId: scope.instanceId, signal: scope.signal, deadline: scope.deadline };
}

/** Checks a 2xx body against the fields we rely on; anything else is a non-retryable INVALID_RESPONSE. */
export function parseBody<S extends z.ZodType>(schema: S, response: WixResponse, what: string): z.output<S> {
  const parsed = schema.safeParse(response.data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new WixApiError(
    `unexpected ${what} response from Wix: ${issue ? `${issue.path.join('.') || '(body)'}: ${issue.message}` : 'invalid'}`,
    { status: response.status, code: 'INVALID_RESPONSE', retryable: false, requestId: response.requestId },
  );
}
