import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { AnyWixTool } from '../wix/tools/tool.js';
import type { McpCallDeps } from './call.js';
import { createMcpServer } from './server.js';
import { StdioAuthError } from './stdio-error.js';
import type { TokenStore } from './tokens.js';

export { StdioAuthError } from './stdio-error.js';

/**
 * MCP over stdio for desktop clients that start the server themselves (`wix-event-agent mcp`). The
 * token is checked once at start; stdout carries only the protocol (logs go to stderr). Resolves
 * when the client closes the connection.
 */
export async function serveStdio(
  deps: McpCallDeps & { tokens: Pick<TokenStore, 'authenticate'>; catalog: readonly AnyWixTool[] },
  secret: string,
  streams: { stdin?: Readable; stdout?: Writable } = {},
): Promise<void> {
  const auth = await deps.tokens.authenticate(secret);
  if ('failure' in auth) throw new StdioAuthError(`MCP token ${auth.failure}`);
  const server = createMcpServer(deps, auth.token);
  const transport = new StdioServerTransport(streams.stdin, streams.stdout);
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  await server.connect(transport);
  await closed;
}
