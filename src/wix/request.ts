/** The shape of one Wix REST call, shared by the client, resources and tools. */

export type WixMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One call to the Wix REST API. */
export interface WixRequest {
  method: WixMethod;
  /** Path below the base URL, segments already encoded (see `wixPath`), e.g. `/ecom/v1/orders/abc`. */
  path: string;
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  /** JSON body. */
  body?: unknown;
  /** The site (app instance) the call acts on: picks the token and the rate-limit bucket. */
  instanceId: string;
  /**
   * A POST that only reads (query, search): retried after 5xx and network errors like a GET. Any other
   * non-GET is a write: re-sent only when it certainly did not reach Wix (see `WixClient`).
   */
  read?: boolean;
  /** Aborts waiting and the HTTP request; the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Epoch ms (client clock) the call must finish by; waits that would pass it fail with `DEADLINE`. */
  deadline?: number;
}

export interface WixResponse<T = unknown> {
  status: number;
  data: T;
  /** `x-wix-request-id` of the answer. */
  requestId: string | undefined;
  /** HTTP attempts made (1 when nothing was retried). */
  attempts: number;
}

/**
 * Whether a request is a write: any method but GET, unless marked `read` (a POST query). A write that got
 * a 2xx answer took effect in Wix, whatever its body says.
 */
export function isWriteRequest(request: Pick<WixRequest, 'method' | 'read'>): boolean {
  return !(request.method === 'GET' || request.read === true);
}

/** The one thing resources and tools need from the client. */
export interface WixRequester {
  request<T = unknown>(request: WixRequest): Promise<WixResponse<T>>;
}

/** Encodes each interpolated value as one path segment: wixPath`/ecom/v1/orders/${id}`. */
export function wixPath(strings: TemplateStringsArray, ...values: string[]): string {
  return strings.reduce(
    (path, part, i) => path + part + (i < values.length ? encodeURIComponent(values[i]!) : ''),
    '',
  );
}
