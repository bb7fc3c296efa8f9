import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startEmulators } from '../support/agent-env.js';
import { startTestService } from '../support/service.js';

export const ADMIN_TOKEN = 'test-admin-token';

/** The real service (embedded store, sandbox model) against the Wix emulator, with /api on. */
export async function startMcpEnv(
  env: Record<string, string> = {},
  options: { callDeadlineMs?: number } = {},
) {
  const emu = await startEmulators();
  const t = await startTestService(
    { ...emu.env, ADMIN_TOKEN, ...env },
    { mcp: { callDeadlineMs: options.callDeadlineMs ?? 5_000 } },
  );
  const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(`${t.url}/api${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** Creates a token over /api; returns its secret. */
  const token = async (input: Record<string, unknown>): Promise<string> => {
    const res = await api('/mcp/tokens', { method: 'POST', body: input });
    if (res.status !== 201) throw new Error(`token not created: ${JSON.stringify(res.body)}`);
    return res.body.secret as string;
  };
  /** An MCP SDK client over Streamable HTTP, bearer header (or the secret in the path). */
  const connect = async (secret: string, via: 'header' | 'path' = 'header') => {
    const url = via === 'path' ? new URL(`${t.url}/mcp/t/${secret}`) : new URL(`${t.url}/mcp`);
    const transport = new StreamableHTTPClientTransport(url, {
      requestInit: via === 'header' ? { headers: { authorization: `Bearer ${secret}` } } : {},
    });
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    await client.connect(transport);
    return {
      client,
      async call(name: string, args: Record<string, unknown>) {
        const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
        const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
        let data: unknown = text;
        try {
          data = JSON.parse(text);
        } catch {
          // an error message
        }
        return { isError: result.isError === true, data, text };
      },
      close: () => client.close(),
    };
  };
  return {
    emu,
    t,
    api,
    token,
    connect,
    async close() {
      await t.service.stop();
      await emu.close();
    },
  };
}
