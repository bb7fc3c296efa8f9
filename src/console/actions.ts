import express, { type Request, type Response, type Router } from 'express';
import { ApprovalError } from '../agents/approvals.js';
import { sessionOf } from './auth.js';
import type { ConsoleDeps } from './deps.js';
import { html, type Html } from './html.js';
import { approvalCard } from './pages/approvals.js';
import { DEAD_LETTER_LIMIT, kindOf, redrivable } from './pages/dead-letters.js';

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
    if (action !== 'approve' && action !== 'reject')
      return answer(req, res, 404, 'No such action.', undefined, '/console/approvals');
    if (!deps.approvals) {
      return answer(
        req,
        res,
        503,
        'This process has no Wix client: decide on a worker process.',
        undefined,
        '/console/approvals',
      );
    }
    try {
      const call = await deps.approvals[action](id, DECIDER);
      const message =
        call.status === 'executed'
          ? 'Approved: the write was executed.'
          : call.status === 'rejected'
            ? 'Rejected: nothing was written.'
            : `Approved, but the write ${call.status}${call.error ? `: ${call.error}` : ''}.`;
      deps.logger.info({ callId: id, action, status: call.status }, 'console: approval decided');
      answer(
        req,
        res,
        200,
        message,
        await approvalCard(deps, call, sessionOf(res).csrf),
        `/console/runs/${call.runId}#call-${call.id}`,
      );
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

  return router;
}
