import express, { type Router } from 'express';
import type { AnyWixTool } from '../wix/tools/tool.js';
import { toolDefinitions } from './definitions.js';
import { TokenInputError, type TokenStore } from './tokens.js';

const csv = (value: unknown): string[] =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

/**
 * `/api` routes for MCP tokens and tool definitions (mounted behind the admin token):
 * - `GET /mcp/tokens` (`?all=1` with revoked), `POST /mcp/tokens` (201 with the secret, shown once),
 *   `DELETE /mcp/tokens/:idOrName` (revoke).
 * - `GET /tools`: JSON tool definitions, all or filtered by `?token=<name|id>` or `?methods=&tags=&tools=`.
 */
export function mcpApiRouter(deps: { tokens: TokenStore; catalog: readonly AnyWixTool[] }): Router {
  const router = express.Router();
  router.use(express.json({ limit: '64kb' }));

  router.get('/mcp/tokens', async (req, res) => {
    res.json({ tokens: await deps.tokens.list({ includeRevoked: req.query.all === '1' }) });
  });
  router.post('/mcp/tokens', async (req, res) => {
    try {
      const { token, secret } = await deps.tokens.create(req.body);
      res.status(201).json({ token, secret, note: 'the secret is shown once; store it now' });
    } catch (error) {
      if (error instanceof TokenInputError) res.status(error.status).json({ error: error.message });
      else throw error;
    }
  });
  router.delete('/mcp/tokens/:id', async (req, res) => {
    const token = await deps.tokens.revoke(req.params.id);
    if (!token) res.status(404).json({ error: `no token ${req.params.id.slice(0, 100)}` });
    else res.json({ token });
  });

  router.get('/tools', async (req, res) => {
    let scope = {
      methods: ['read', 'write'] as ('read' | 'write')[],
      tags: [] as string[],
      tools: [] as string[],
    };
    let sites: string[] = [];
    if (typeof req.query.token === 'string') {
      const token = await deps.tokens.get(req.query.token);
      if (!token || token.revokedAt) {
        res.status(404).json({ error: `no live token ${req.query.token.slice(0, 100)}` });
        return;
      }
      scope = token;
      sites = token.sites;
    } else {
      const methods = csv(req.query.methods).filter(
        (m): m is 'read' | 'write' => m === 'read' || m === 'write',
      );
      scope = {
        methods: methods.length ? methods : scope.methods,
        tags: csv(req.query.tags),
        tools: csv(req.query.tools),
      };
    }
    res.json({ tools: toolDefinitions(deps.catalog, scope, sites) });
  });
  return router;
}
