import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFetch, httpRequest, requesterFrom, type HttpAnswer } from '../../src/lib/http-fetch.js';

/** What the server saw of each request. */
const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
let server: Server;
let base: string;

const routes: Record<string, (req: IncomingMessage, res: ServerResponse, body: string) => void> = {
  '/echo': (req, res, body) => {
    res.setHeader('set-cookie', ['a=1', 'b=2']);
    res.writeHead(201, { 'content-type': 'application/json', 'x-wix-request-id': 'req-1' });
    res.end(JSON.stringify({ method: req.method, body }));
  },
  '/empty': (_req, res) => {
    res.writeHead(204, { 'x-wix-request-id': 'req-2' });
    res.end();
  },
  '/error': (_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '3' });
    res.end('{"message":"try later"}');
  },
  '/redirect': (_req, res) => {
    res.writeHead(302, { location: '/echo' });
    res.end();
  },
  '/slow': (_req, res) => {
    setTimeout(() => res.writeHead(200).end('late'), 2_000).unref();
  },
  '/bom': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":"é"}')]));
  },
  '/unicode': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ note: 'café ☕ \u{1F600} \u0000 end' }));
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const route = routes[new URL(req.url!, 'http://x').pathname];
      if (route) route(req, res, body);
      else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** What a caller can observe of an answer. */
async function observe(response: Response) {
  return {
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    contentType: response.headers.get('content-type'),
    requestId: response.headers.get('x-wix-request-id'),
    cookies: response.headers.getSetCookie(),
    location: response.headers.get('location'),
    text: await response.text(),
  };
}

/** What a caller can observe of a failure. */
function failure(error: unknown) {
  const e = error as { name?: string; message?: string; cause?: { code?: string } };
  return { name: e.name, message: e.message, causeCode: e.cause?.code };
}

describe('httpFetch answers as the built-in fetch does', () => {
  const cases: [string, string, RequestInit][] = [
    [
      'a POST with a string body and a header record',
      '/echo',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', Authorization: 'token-1' },
        body: '{"a":1}',
      },
    ],
    [
      'a PUT with a Uint8Array body and a Headers object',
      '/echo',
      {
        method: 'PUT',
        headers: new Headers({ 'content-type': 'application/json', 'x-two': 'b' }),
        body: new TextEncoder().encode('{"é":"☕"}'),
      },
    ],
    ['a GET with header pairs', '/echo?x=1&y=%20', { headers: [['accept', 'application/json']] }],
    ['a 204 without a body', '/empty', { method: 'DELETE' }],
    ['a 503 with its headers', '/error', {}],
    ['UTF-8 text with NUL and an emoji', '/unicode', {}],
  ];
  for (const [name, path, init] of cases) {
    it(name, async () => {
      seen.length = 0;
      const expected = await observe(await fetch(`${base}${path}`, init));
      const sentByFetch = seen.pop()!;
      const actual = await observe(await httpFetch(`${base}${path}`, init));
      const sentByUs = seen.pop()!;
      expect(actual).toEqual(expected);
      expect(sentByUs.method).toBe(sentByFetch.method);
      expect(sentByUs.url).toBe(sentByFetch.url);
      expect(sentByUs.body).toBe(sentByFetch.body);
      for (const header of ['content-type', 'authorization', 'x-two', 'accept']) {
        expect(sentByUs.headers[header], header).toBe(sentByFetch.headers[header]);
      }
    });
  }

  it('a URL object, and json() of the answer', async () => {
    const response = await httpFetch(new URL('/echo', base), { method: 'POST', body: 'hi' });
    await expect(response.json()).resolves.toEqual({ method: 'POST', body: 'hi' });
  });

  it('returns a redirect as it is (not followed)', async () => {
    seen.length = 0;
    const answer = await observe(await httpFetch(`${base}/redirect`));
    expect(answer).toMatchObject({ status: 302, location: '/echo' });
    expect(seen.map((r) => r.url)).toEqual(['/redirect']);
  });

  it('a refused connection rejects as fetch does: TypeError with cause.code ECONNREFUSED', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/x`;
    await new Promise((resolve) => closed.close(resolve));
    const expected = failure(await fetch(url, { method: 'POST', body: '{}' }).catch((e: unknown) => e));
    const actual = failure(await httpFetch(url, { method: 'POST', body: '{}' }).catch((e: unknown) => e));
    expect(expected).toEqual({ name: 'TypeError', message: 'fetch failed', causeCode: 'ECONNREFUSED' });
    expect(actual).toEqual(expected);
  });

  it('an abort before or during the request rejects with the signal reason', async () => {
    const before = new AbortController();
    const reason = new Error('stopped before');
    before.abort(reason);
    await expect(httpFetch(`${base}/echo`, { signal: before.signal })).rejects.toBe(reason);

    const timeout = AbortSignal.timeout(100);
    const error = await httpFetch(`${base}/slow`, { signal: timeout }).catch((e: unknown) => e);
    expect(error).toBe(timeout.reason);
    expect((error as DOMException).name).toBe('TimeoutError');

    const during = new AbortController();
    const custom = new Error('run stopped');
    setTimeout(() => during.abort(custom), 50);
    await expect(httpFetch(`${base}/slow`, { signal: during.signal })).rejects.toBe(custom);
  });

  it('hands other body types to the built-in fetch', async () => {
    seen.length = 0;
    const response = await httpFetch(`${base}/echo`, {
      method: 'POST',
      body: new URLSearchParams({ a: '1' }),
    });
    await expect(response.json()).resolves.toEqual({ method: 'POST', body: 'a=1' });
    expect(seen[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
  });
});

/** What the Wix client reads of an answer: the status, some headers, the text. */
function read(answer: HttpAnswer) {
  return {
    status: answer.status,
    contentType: answer.headers.get('content-type'),
    requestId: answer.headers.get('X-Wix-Request-Id'),
    cookies: answer.headers.get('set-cookie'),
    retryAfter: answer.headers.get('retry-after'),
    missing: answer.headers.get('x-not-sent'),
    text: answer.text,
  };
}

describe('httpRequest reads an answer as the built-in fetch and Response.text() do', () => {
  const fromFetch = requesterFrom(fetch);
  const cases: [string, string, { method: string; headers: Record<string, string>; body?: string }][] = [
    [
      'a POST with a JSON body',
      '/echo',
      {
        method: 'post',
        headers: { 'content-type': 'application/json', authorization: 't' },
        body: '{"a":1}',
      },
    ],
    ['a GET with a query', '/echo?x=1&y=%20', { method: 'GET', headers: { accept: 'application/json' } }],
    ['a 204 without a body', '/empty', { method: 'DELETE', headers: {} }],
    ['a 503 with Retry-After', '/error', { method: 'GET', headers: {} }],
    ['UTF-8 text with NUL and an emoji', '/unicode', { method: 'GET', headers: {} }],
    ['a UTF-8 byte-order mark, dropped', '/bom', { method: 'GET', headers: {} }],
    ['a redirect, not followed', '/redirect', { method: 'GET', headers: {} }],
  ];
  for (const [name, path, init] of cases) {
    it(name, async () => {
      seen.length = 0;
      const expected = read(await fromFetch(`${base}${path}`, { ...init, redirect: 'manual' } as never));
      const sentByFetch = seen.pop()!;
      const actual = read(await httpRequest(`${base}${path}`, init));
      const sentByUs = seen.pop()!;
      expect(actual).toEqual(expected);
      expect(sentByUs.method).toBe(sentByFetch.method);
      expect(sentByUs.url).toBe(sentByFetch.url);
      expect(sentByUs.body).toBe(sentByFetch.body);
      expect(sentByUs.headers['authorization']).toBe(sentByFetch.headers['authorization']);
    });
  }

  it('fails as fetch does: a refused connection, an abort before and during the request', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/x`;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await httpRequest(url, { method: 'POST', headers: {}, body: '{}' }).catch(
      (e: unknown) => e,
    );
    expect(failure(refused)).toEqual({
      name: 'TypeError',
      message: 'fetch failed',
      causeCode: 'ECONNREFUSED',
    });

    const before = new AbortController();
    const reason = new Error('stopped before');
    before.abort(reason);
    await expect(
      httpRequest(`${base}/echo`, { method: 'GET', headers: {}, signal: before.signal }),
    ).rejects.toBe(reason);
    const during = new AbortController();
    const custom = new Error('run stopped');
    setTimeout(() => during.abort(custom), 50);
    await expect(
      httpRequest(`${base}/slow`, { method: 'GET', headers: {}, signal: during.signal }),
    ).rejects.toBe(custom);
  });
});
