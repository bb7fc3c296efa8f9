import type { ToolCallRecord } from '../../calls/audit.js';
import type { ConsoleDeps } from '../deps.js';
import { html, jsonBlock, timeTag, type Html } from '../html.js';
import { actionForm, tag } from '../layout.js';
import { decider, decisions, waiting, waitingStatuses } from '../decisions.js';
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
export async function approvalCard(deps: ConsoleDeps, call: ToolCallRecord, csrf: string): Promise<Html> {
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

export async function approvalsBody(deps: ConsoleDeps, csrf: string): Promise<Html> {
  const lists = await Promise.all(waiting.map((status) => deps.audit.listCalls({ status, limit: 200 })));
  const pending = lists.flat().sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const cards = await Promise.all(pending.map((c) => approvalCard(deps, c, csrf)));
  return html`<section aria-labelledby="pending-h">
    <h2 id="pending-h">Waiting for a person <span class="count">(${pending.length})</span></h2>
    ${!deps.approvals ? html`<p class="note">This process runs the ingress only: approvals are decided on a worker process.</p>` : ''}
    ${cards.length ? cards : html`<p class="empty">Nothing is waiting for a decision.</p>`}
  </section>`;
}
