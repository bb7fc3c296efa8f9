import express, { type Router } from 'express';
import { ApprovalError } from '../../calls/approvals.js';
import type { ToolCallRecord } from '../../calls/audit.js';
import { answer } from '../actions.js';
import { sessionOf } from '../auth.js';
import type { ConsolePage } from '../console-page.js';
import type { ConsoleDeps } from '../deps.js';
import { html, jsonBlock, timeTag, type Html } from '../html.js';
import { actionForm, tag } from '../layout.js';
import { decider, decisions, waiting, waitingStatuses, type Decision } from '../decisions.js';
import { contextOfEvent, describeCall } from '../timeline.js';

const statusTone: Record<string, string> = {
  pending: 'waiting',
  unknown: 'failed',
  approved: 'waiting',
  executed: 'ok',
  rejected: 'refused',
  failed: 'failed',
};

/** One approval as a card: what it would do in plain English, the raw call, and the decision buttons. */
async function approvalCard(deps: ConsoleDeps, call: ToolCallRecord, csrf: string): Promise<Html> {
  const ctx = contextOfEvent(await deps.arrivals.findEvent(call.eventId));
  const { text } = describeCall(call, ctx);
  const undecidable = deps.approvals
    ? undefined
    : 'This process has no Wix client (ingress only): decide on a worker.';
  const allowed = waitingStatuses[call.status] ?? [];
  const actions = allowed.length
    ? html`<div class="actions">
        ${allowed.map((d) => {
          const why =
            undecidable ?? (decider(deps.approvals, d) ? undefined : 'Not available in this version.');
          return actionForm(`/console/approvals/${call.id}/${d}`, decisions[d], csrf, {
            kind: d,
            describedBy: `what-${call.id}`,
            ...(d === 'resend'
              ? { confirm: 'Send this write to Wix again? Only if you checked it is missing.' }
              : {}),
            ...(why ? { disabled: why } : {}),
          });
        })}
      </div>`
    : '';
  return html`<article class="card approval" data-row="${call.id}" aria-labelledby="what-${call.id}">
    <p class="what" id="what-${call.id}"><strong>${call.handler}</strong> ${text}</p>
    <p class="meta">
      ${tag(call.status, statusTone[call.status])} asked ${timeTag(call.createdAt)} ·
      <a href="/console/runs/${call.runId}#call-${call.id}">its run</a> · site
      <span class="id">${call.instanceId}</span>
      ${call.decidedBy ? html` · decided by ${call.decidedBy} ${timeTag(call.decidedAt)}` : ''}
      ${call.wixRequestId ? html` · Wix request id <span class="id">${call.wixRequestId}</span>` : ''}
    </p>
    ${call.error ? html`<p class="error">${call.error}</p>` : ''}
    <details data-key="approval-${call.id}">
      <summary>raw arguments <span class="sr-only">of ${call.tool}</span></summary>
      ${jsonBlock(call.arguments)}
      ${
        call.result != null
          ? html`<p>Result</p>
              ${jsonBlock(call.result)}`
          : ''
      }
    </details>
    ${actions}
  </article>`;
}

async function approvalsBody(deps: ConsoleDeps, csrf: string): Promise<Html> {
  const lists = await Promise.all(waiting.map((status) => deps.audit.listCalls({ status, limit: 200 })));
  const pending = lists.flat().sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const cards = await Promise.all(pending.map((c) => approvalCard(deps, c, csrf)));
  return html`<section aria-labelledby="pending-h">
    <h2 id="pending-h">Waiting for a person <span class="count">(${pending.length})</span></h2>
    ${!deps.approvals ? html`<p class="note">This process runs the ingress only: approvals are decided on a worker process.</p>` : ''}
    ${cards.length ? cards : html`<p class="empty">Nothing is waiting for a decision.</p>`}
  </section>`;
}

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

/** The decision buttons' route: approve, reject, mark done or send again one waiting write. */
function approvalActions(deps: ConsoleDeps): Router {
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
  return router;
}

/** Approvals: the writes waiting for a person, each with its decision buttons; the count in the navigation. */
export const approvalsPage: ConsolePage = {
  path: '/approvals',
  label: 'Approvals',
  badge: (deps) => deps.audit.countPending(),
  body: async (deps, _req, csrf) => ({ body: await approvalsBody(deps, csrf) }),
  actions: approvalActions,
};
