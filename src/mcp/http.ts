import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import type { Logger } from '../observability/logger.js';
import type { AnyWixTool } from '../wix/tools/tool.js';
import type { McpCallDeps } from './call.js';
import { createMcpServer } from './server.js';
import type { TokenStore } from './tokens.js';

export interface McpHttpDeps extends McpCallDeps {
  tokens: Pick<TokenStore, 'authenticate'>;
  catalog: readonly AnyWixTool[];
  logger: Logger;
}

function bearer(req: Request): string | undefined {
  const header = req.get('authorization') ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

function jsonRpcError(
  res: Response,
  status: number,
  message: string,
  headers: Record<string, string> = {},
  code = status === 401 ? -32001 : -32000,
) {
  res.status(status).set(headers).json({ jsonrpc: '2.0', error: { code, message }, id: null });
}

/**
 * MCP over Streamable HTTP, stateless: every POST is authenticated on its own (bearer header at
 * `/mcp`, or the secret in the path at `/mcp/t/<secret>` for clients that cannot send headers) and
 * served by a server built for that token's scope. An unknown, revoked or expired token gets 401 and
 * nothing is listed. GET and DELETE (server-initiated streams, sessions) are not offered: 405.
 */
export function mcpRouter(deps: McpHttpDeps): Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));

  const serve = async (req: Request, res: Response, secret: string | undefined) => {
    if (!secret) {
      jsonRpcError(res, 401, 'missing token: send Authorization: Bearer <token>', {
        'WWW-Authenticate': 'Bearer',
      });
      return;
    }
    const auth = await deps.tokens.authenticate(secret);
    if ('failure' in auth) {
      (res.locals.logger as Logger | undefined)?.info({ reason: auth.failure }, 'mcp token refused');
      jsonRpcError(res, 401, `token ${auth.failure}`, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
      return;
    }
    const server = createMcpServer(deps, auth.token);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  };

  const notAllowed = (_req: Request, res: Response) => {
    res.set('Allow', 'POST');
    jsonRpcError(res, 405, 'method not allowed: this server is stateless, use POST');
  };

  router.post('/', (req, res, next) => {
    serve(req, res, bearer(req)).catch(next);
  });
  router.post('/t/:token', (req, res, next) => {
    serve(req, res, req.params.token).catch(next);
  });
  router.get(['/', '/t/:token'], notAllowed);
  router.delete(['/', '/t/:token'], notAllowed);
  // Bodies that are not JSON-RPC get JSON-RPC errors, not the service's generic 500.
  const bodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.parse.failed')
      jsonRpcError(res, 400, 'parse error: the body is not JSON', {}, -32700);
    else if (type === 'entity.too.large') jsonRpcError(res, 413, 'request too large (1 MiB at most)');
    else next(error);
  };
  router.use(bodyErrors);
  return router;
}
