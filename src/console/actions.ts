import express, { type Request, type Response, type Router } from 'express';
import { ApprovalError } from '../calls/approvals.js';
import type { ToolCallRecord } from '../calls/audit.js';
import { sessionOf } from './auth.js';
import { decider, decisions, type Decision } from './decisions.js';
import type { ConsoleDeps } from './deps.js';
import { html, type Html } from './html.js';
import { page } from './layout.js';
import { approvalCard } from './pages/approvals.js';
import { secretCard } from './pages/mcp-tokens.js';
import { DEAD_LETTER_LIMIT, kindOf, redrivable } from './pages/dead-letters.js';

/** What the person reads after deciding. */
function outcomeMessage(action: Decision, call: ToolCallRecord): string {
  const status: string = call.status;
  if (status === 'rejected') return 'Rejected: nothing was written.';
  if (action === 'done') return 'Marked done: recorded as applied in Wix, not sent again.';
  if (status === 'executed')
    return `${action === 'resend' ? 'Sent again' : 'Approved'}: the write was executed.`;
  return `${action === 'resend' ? 'Sent again' : 'Approved'}, but the write is ${status}${call.error ? `: ${call.error}` : ''}.`;
}

/** Who decided, as recorded in the audit trail. */
const DECIDER = 'console';

/**
 * Answers an action: to the page's script (header `x-console-fetch`), JSON with a message and the
 * updated fragment; to a plain form post, a redirect to `fallback` (it works without JavaScript).
 */
function answer(
  req: Request,
  res: Response,
  status: number,
  message: string,
  fragment: Html | undefined,
  fallback: string,
) {
  if (req.get('x-console-fetch')) {
    res.status(status).json({ message, ...(fragment ? { html: fragment.value } : {}) });
  } else if (status >= 400) {
    res
      .status(status)
      .type('html')
      .send(
        html`<!doctype html><title>Refused</title>
          <p>${message}</p>
          <p><a href="${fallback}">Back</a></p>`.value,
      );
  } else {
    res.redirect(303, fallback);
  }
}

/** State-changing console routes (behind the session, origin and CSRF checks of auth.ts). */
export function actionRoutes(deps: ConsoleDeps): Router {
  const router = express.Router();

  router.post('/approvals/:id/:action', async (req, res) => {
    const { id, action } = req.params;
    if (!Object.hasOwn(decisions, action)) {
      return answer(req, res, 404, 'No such action.', undefined, '/console/approvals');
    }
    if (!deps.approvals) {
      const why = 'This process has no Wix client: decide on a worker process.';
      return answer(req, res, 503, why, undefined, '/console/approvals');
    }
    const decide = decider(deps.approvals, action);
    if (!decide)
      return answer(req, res, 404, 'Not available in this version.', undefined, '/console/approvals');
    try {
      const call = await decide(id, DECIDER);
      deps.logger.info({ callId: id, action, status: call.status }, 'console: write decided');
      const fragment = await approvalCard(deps, call, sessionOf(res).csrf);
      const back = `/console/runs/${call.runId}#call-${call.id}`;
      answer(req, res, 200, outcomeMessage(action as Decision, call), fragment, back);
    } catch (error) {
      if (!(error instanceof ApprovalError)) throw error;
      answer(req, res, error.status, error.message, undefined, '/console/approvals');
    }
  });

  router.post('/dead-letters/redrive', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    let ids: string[];
    if (typeof body.id === 'string') ids = [body.id];
    else if (typeof body.kind === 'string') {
      const letters = await deps.bus.listDeadLetters({ limit: DEAD_LETTER_LIMIT });
      ids = letters.filter((l) => kindOf(l) === body.kind && redrivable(l)).map((l) => l.id);
    } else
      return answer(req, res, 400, 'Say which dead letters to redrive.', undefined, '/console/dead-letters');
    const n = ids.length ? await deps.bus.redrive({ ids }) : 0;
    deps.logger.info({ requested: ids.length, redriven: n }, 'console: dead letters redriven');
    const message = `${n} event${n === 1 ? '' : 's'} put back on the bus.`;
    answer(req, res, 200, message, undefined, '/console/dead-letters');
  });

  router.post('/mcp-tokens', async (req, res) => {
    if (!deps.mcpTokens)
      return answer(req, res, 404, 'This service has no MCP server.', undefined, '/console');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const csv = (v: unknown) =>
      (typeof v === 'string' ? v.split(',') : []).map((s) => s.trim()).filter(Boolean);
    const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
    const input = {
      name: text(body.name) ?? '',
      methods: ([] as unknown[]).concat(body.methods ?? []),
      sites: csv(body.sites),
      tags: csv(body.tags),
      tools: csv(body.tools),
      ...(text(body.mode) ? { mode: text(body.mode) } : {}),
      ...(text(body.expiresIn) ? { expiresIn: text(body.expiresIn) } : {}),
    };
    try {
      const { token, secret } = await deps.mcpTokens.create(input);
      deps.logger.info({ token: token.name }, 'console: MCP token created');
      const card = secretCard(token, secret);
      // The secret is shown once: to a plain form post too, as a page rather than a redirect.
      if (req.get('x-console-fetch')) res.json({ message: `Token ${token.name} created.`, html: card.value });
      else res.type('html').send(page({ title: 'MCP token created', body: card }).value);
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (typeof status !== 'number' || status >= 500) throw error;
      answer(req, res, 400, (error as Error).message, undefined, '/console/mcp-tokens');
    }
  });

  router.post('/mcp-tokens/:id/revoke', async (req, res) => {
    if (!deps.mcpTokens)
      return answer(req, res, 404, 'This service has no MCP server.', undefined, '/console');
    const token = await deps.mcpTokens.revoke(req.params.id);
    if (!token) return answer(req, res, 404, 'No such token.', undefined, '/console/mcp-tokens');
    deps.logger.info({ token: token.name }, 'console: MCP token revoked');
    answer(req, res, 200, `Token ${token.name} revoked.`, undefined, '/console/mcp-tokens');
  });

  return router;
}
