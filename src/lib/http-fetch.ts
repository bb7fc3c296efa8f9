import { STATUS_CODES } from 'node:http';
import { request } from 'undici';

/**
 * `fetch` for the model providers' JSON APIs (the AI SDK takes a `fetch`), on undici's `request` API
 * instead of the WHATWG fetch built into Node. The Wix REST API and its OAuth endpoint, which are read
 * by our own code, go through `httpRequest` below, which skips the `Response` altogether.
 *
 * Why: on Node 20 the built-in fetch spends about twice the CPU per call (WHATWG streams, Request and
 * Response objects, header guards): `bench/http-client.ts` measured 738 µs against 325 µs per JSON POST
 * over a keep-alive connection on a 2-core VM; an agent run makes ≈ 10 calls per event.
 *
 * What it keeps of fetch: the signature; method, headers (a `Headers`, pairs or a record) and a body
 * that is a string, a `Uint8Array` or absent; `signal` (an abort rejects with the signal's reason, as
 * fetch does); a connection failure rejects with `TypeError('fetch failed')` whose `cause` is the
 * socket error (`cause.code`, e.g. `ECONNREFUSED`), as fetch does; the answer as a `Response` with the
 * status, status text and headers.
 *
 * What it does not (anything else goes to the built-in fetch, unchanged): other body types (streams,
 * FormData, Blob), a `redirect` mode other than `follow`, URLs that are not http(s). Redirects are not
 * followed: a 3xx is returned as it is (none of the APIs called redirects). The response body is read
 * whole before the `Response` is returned, so a streamed answer arrives at once.
 */
export const httpFetch: typeof fetch = async (input, init) => {
  const url = input instanceof Request ? undefined : String(input);
  const body = init?.body;
  const plainBody =
    body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
  if (
    url === undefined ||
    !/^https?:/i.test(url) ||
    !plainBody ||
    (init?.redirect !== undefined && init.redirect !== 'follow')
  ) {
    return fetch(input, init);
  }
  const method = (init?.method ?? 'GET').toUpperCase();
  const answer = await call(url, {
    method,
    headers: headerRecord(init?.headers),
    body: body ?? undefined,
    signal: init?.signal ?? undefined,
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.append(name, value);
  }
  // A Response may not carry a body for these statuses (the constructor throws).
  const empty = answer.status === 204 || answer.status === 205 || answer.status === 304;
  return new Response(empty || method === 'HEAD' ? null : answer.data, {
    status: answer.status,
    statusText: STATUS_CODES[answer.status] ?? '',
    headers,
  });
};

/** An answer read whole by {@link httpRequest}. */
export interface HttpAnswer {
  /** The HTTP status code. */
  status: number;
  /** The answer's headers: `get` is case-insensitive and joins a repeated header with `, `, as `Headers.get`. */
  headers: { get(name: string): string | null };
  /** The body decoded as UTF-8 (`''` when there is none), as `Response.text()` gives it. */
  text: string;
}

/** What {@link httpRequest} sends: a method, headers as a record, a string body or none, a signal. */
export interface HttpRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** Sends one request and reads its answer: the contract of the Wix client's transport. */
export type HttpRequester = (url: string, init: HttpRequestInit) => Promise<HttpAnswer>;

/**
 * One request, its answer read whole as text, without the WHATWG `Response` (and the web stream each
 * one builds): for callers of our own, such as the Wix client, that read the status, a few headers and
 * the text. Fails as `httpFetch` does: an abort rejects with the signal's reason, anything else with
 * `TypeError('fetch failed')` whose `cause` is the socket error. Redirects are not followed. `url` must
 * be http(s).
 */
export const httpRequest: HttpRequester = async (url, init) => {
  const answer = await call(url, { ...init, method: init.method.toUpperCase() });
  const headers = answer.headers;
  return {
    status: answer.status,
    headers: {
      get(name) {
        const value = headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    text: utf8.decode(answer.data),
  };
};

/** UTF-8 without a byte-order mark, as `Response.text()` decodes. */
const utf8 = new TextDecoder();

/** Any `fetch` as an {@link HttpRequester} (a test's, or one an embedder passes to the Wix client). */
export function requesterFrom(doFetch: typeof fetch): HttpRequester {
  return async (url, init) => {
    const response = await doFetch(url, init);
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
}

/** The request on undici's request API, the answer's body read whole; failures as fetch's. */
async function call(
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string | Uint8Array | undefined;
    signal?: AbortSignal | undefined;
  },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; data: Buffer }> {
  const signal = init.signal;
  signal?.throwIfAborted();
  try {
    const answer = await request(url, {
      method: init.method as 'GET',
      headers: init.headers,
      body: init.body,
      ...(signal ? { signal } : {}),
    });
    const data = Buffer.from(await answer.body.arrayBuffer());
    return { status: answer.statusCode, headers: answer.headers, data };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new TypeError('fetch failed', { cause: error });
  }
}

/** Headers as a plain record (lower-case names; repeated names joined by `, `, as `Headers` does). */
function headerRecord(headers: NonNullable<RequestInit['headers']> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    out[key] = key in out ? `${out[key]}, ${value}` : value;
  };
  if (headers instanceof Headers) headers.forEach((value, name) => add(name, value));
  else if (Array.isArray(headers)) for (const [name, value] of headers) add(name!, value!);
  else if (headers) {
    for (const [name, value] of Object.entries(headers)) if (typeof value === 'string') add(name, value);
  }
  // fetch's default; it also asks for gzip, which this does not (answers come uncompressed).
  out.accept ??= '*/*';
  return out;
}
