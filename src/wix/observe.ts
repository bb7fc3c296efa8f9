import { WixApiError } from './errors.js';
import {
  isWriteRequest,
  type WixMethod,
  type WixRequest,
  type WixRequester,
  type WixResponse,
} from './request.js';

/** What `observeRequests` reports for each call (after retries). */
export interface ObservedRequest {
  method: WixMethod;
  path: string;
  instanceId: string;
  /** A write (`isWriteRequest`): with a 2xx `status` it took effect in Wix. */
  write: boolean;
  /** HTTP status of the answer; 0 when there was none (network error, timeout, abort). */
  status: number;
  requestId: string | undefined;
  durationMs: number;
  error?: WixApiError | unknown;
}

/** Wraps a requester so each call is reported, e.g. to record Wix request ids with a tool call. */
export function observeRequests(
  inner: WixRequester,
  listener: (call: ObservedRequest) => void,
): WixRequester {
  return {
    async request<T>(request: WixRequest): Promise<WixResponse<T>> {
      const started = performance.now();
      const base = {
        method: request.method,
        path: request.path,
        instanceId: request.instanceId,
        write: isWriteRequest(request),
      };
      try {
        const response = await inner.request<T>(request);
        listener({
          ...base,
          status: response.status,
          requestId: response.requestId,
          durationMs: performance.now() - started,
        });
        return response;
      } catch (error) {
        const wix = error instanceof WixApiError ? error : undefined;
        listener({
          ...base,
          status: wix?.status ?? 0,
          requestId: wix?.requestId,
          durationMs: performance.now() - started,
          error,
        });
        throw error;
      }
    },
  };
}
