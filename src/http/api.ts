import { timingSafeEqual, createHash } from 'node:crypto';
import express, { type Router } from 'express';
import type { Approvals } from '../calls/approvals.js';
import { ApprovalError } from '../calls/approvals.js';
import type { Audit } from '../calls/audit.js';
import type { Bus } from '../bus/port.js';
import { handlersDone } from '../consumers/processed.js';
import type { Queryable } from '../store/port.js';

export interface ApiDeps {
  adminToken: string;
  audit: Audit;
  /** Where the consumers record which handlers finished an event (shown with `/events`). */
  store: Queryable;
  bus: Pick<Bus, 'listEvents' | 'listDeadLetters' | 'redrive'>;
  /** Absent on an ingress-only process (no Wix client there). */
  approvals?: Approvals;
  /** More routes behind the same admin token (MCP tokens and tool definitions: `mcpApiRouter`). */
  extra?: Router;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function limit(value: unknown, fallback = 50): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 500) : fallback;
}

/** `/api`: read the audit trail and decide approvals. Every route needs `Authorization: Bearer $ADMIN_TOKEN`. */
export function apiRouter(deps: ApiDeps): Router {
  const router = express.Router();
  const expected = digest(deps.adminToken);

  router.use((req, res, next) => {
    const header = req.get('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!token || !timingSafeEqual(digest(token), expected)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'unauthorized' });
      return;
    }
    next();
  });

  // The bus's recent events, each with the handlers that finished it.
  router.get('/events', async (req, res) => {
    const events = await deps.bus.listEvents({ limit: limit(req.query.limit) });
    const done = await handlersDone(
      deps.store,
      events.map((e) => e.eventId),
    );
    res.json({ events: events.map((e) => ({ ...e, handledBy: done.get(e.eventId) ?? [] })) });
  });
  router.get('/runs', async (req, res) => {
    const eventId = typeof req.query.eventId === 'string' ? req.query.eventId : undefined;
    res.json({
      runs: await deps.audit.listRuns({ limit: limit(req.query.limit), ...(eventId ? { eventId } : {}) }),
    });
  });
  router.get('/runs/:id', async (req, res) => {
    const run = await deps.audit.getRun(req.params.id);
    if (!run) res.status(404).json({ error: 'no such run' });
    else res.json(run);
  });
  router.get('/dead-letters', async (req, res) => {
    res.json({ deadLetters: await deps.bus.listDeadLetters({ limit: limit(req.query.limit) }) });
  });
  // Re-drives dead letters: `?all=true`, or `?id=a&id=b`. Answers how many went back on their topic.
  router.post('/dead-letters/redrive', async (req, res) => {
    const ids = ([] as unknown[])
      .concat(req.query.id ?? [])
      .filter((v): v is string => typeof v === 'string');
    if (req.query.all !== 'true' && ids.length === 0) {
      res.status(400).json({ error: 'give ?all=true or ?id=<dead letter id> (repeatable)' });
      return;
    }
    res.json({ redriven: await deps.bus.redrive(req.query.all === 'true' ? { all: true } : { ids }) });
  });
  router.get('/approvals', async (req, res) => {
    res.json({
      approvals: await deps.audit.listCalls({
        status: ['pending', 'unknown'],
        limit: limit(req.query.limit, 100),
      }),
    });
  });
  // approve/reject a pending write; done/resend/reject an outcome-unknown one (see createApprovals).
  for (const action of ['approve', 'reject', 'done', 'resend'] as const) {
    router.post(`/approvals/:id/${action}`, async (req, res) => {
      if (!deps.approvals) {
        res
          .status(503)
          .json({ error: 'approvals are decided on worker processes (they hold the Wix client)' });
        return;
      }
      try {
        const by = (req.get('x-approved-by') ?? 'api').slice(0, 100);
        res.json(await deps.approvals[action](req.params.id, by));
      } catch (error) {
        if (error instanceof ApprovalError) res.status(error.status).json({ error: error.message });
        else throw error;
      }
    });
  }
  if (deps.extra) router.use(deps.extra);
  return router;
}
