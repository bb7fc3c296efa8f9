import type { RunRecord } from '../../calls/audit.js';
import type { ConsolePage } from '../console-page.js';
import type { ConsoleDeps } from '../deps.js';
import { html, jsonBlock, timeTag, type Html } from '../html.js';
import { tag } from '../layout.js';
import { contextOfEvent, timeline } from '../timeline.js';

const runTone: Record<string, string> = {
  succeeded: 'ok',
  running: 'waiting',
  limited: 'refused',
  failed: 'failed',
};

const ms = (n: number | null) => (n == null ? '—' : n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(1)} s`);

/** A table of runs (newest first), each linking to its timeline. */
export function runRows(runs: readonly RunRecord[]): Html {
  return html`<div class="scroll">
    <table class="runs">
      <caption class="sr-only">
        Agent runs, newest first
      </caption>
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Handler</th>
          <th scope="col">Status</th>
          <th scope="col">Mode</th>
          <th scope="col">Model</th>
          <th scope="col">Steps</th>
          <th scope="col">Tokens</th>
          <th scope="col">Duration</th>
        </tr>
      </thead>
      <tbody>
        ${runs.map(
          (r) =>
            html`<tr>
              <td><a href="/console/runs/${r.id}">${timeTag(r.startedAt)}</a></td>
              <td><a href="/console/runs/${r.id}">${r.handler}</a></td>
              <td>${tag(r.status, runTone[r.status])}</td>
              <td>${r.mode}</td>
              <td>${r.model}</td>
              <td>${r.steps}</td>
              <td>${r.inputTokens + r.outputTokens}</td>
              <td>${ms(r.durationMs)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

async function runsBody(deps: ConsoleDeps): Promise<Html> {
  const runs = await deps.audit.listRuns({ limit: 200 });
  if (runs.length === 0) return html`<p class="empty">No agent runs yet.</p>`;
  return runRows(runs);
}

/** One run: facts, then each tool call as a sentence with its raw arguments a click away. */
async function runBody(deps: ConsoleDeps, id: string): Promise<{ title: string; body: Html } | undefined> {
  const run = await deps.audit.getRun(id);
  if (!run) return undefined;
  const ctx = contextOfEvent(await deps.arrivals.findEvent(run.eventId));
  const entries = timeline(run.calls, ctx);
  const arrival = (await deps.arrivals.list({ eventId: run.eventId, limit: 1 }))[0];
  const body = html`<dl class="facts">
      <dt>Status</dt>
      <dd>${tag(run.status, runTone[run.status])}${run.attempt > 1 ? ` (attempt ${run.attempt})` : ''}</dd>
      <dt>Event</dt>
      <dd class="id">
        ${arrival ? html`<a href="/console/events/${arrival.id}">${run.eventId}</a>` : run.eventId}
        (${run.eventType})
      </dd>
      <dt>Site</dt>
      <dd class="id">${run.instanceId}</dd>
      <dt>Model</dt>
      <dd>${run.model}</dd>
      <dt>Mode</dt>
      <dd>${run.mode}</dd>
      <dt>Steps</dt>
      <dd>${run.steps}</dd>
      <dt>Tokens</dt>
      <dd>${run.inputTokens} in, ${run.outputTokens} out</dd>
      <dt>Duration</dt>
      <dd>${ms(run.durationMs)}</dd>
      <dt>Started</dt>
      <dd>${timeTag(run.startedAt)}</dd>
    </dl>
    <h2>What happened</h2>
    <ol class="timeline">
      <li class="tone-muted">
        received the ${run.eventType.replace('_', ' ')} event and started ${run.handler}
      </li>
      ${entries.map(
        (e) =>
          html`<li class="tone-${e.tone}" id="call-${e.call.id}">
            <span class="sentence">${e.text}</span>
            <details data-key="call-${e.call.id}">
              <summary>raw call <span class="sr-only">${e.call.tool} #${e.seq}</span></summary>
              <dl class="facts small">
                <dt>Tool</dt>
                <dd><code>${e.call.tool}</code> (${e.call.access})</dd>
                <dt>Status</dt>
                <dd>${e.call.status}</dd>
                ${
                  e.call.wixRequestId
                    ? html`<dt>Wix request id</dt>
                        <dd class="id">${e.call.wixRequestId}</dd>`
                    : ''
                }
                ${
                  e.call.idempotencyKey
                    ? html`<dt>Idempotency key</dt>
                        <dd class="id">${e.call.idempotencyKey}</dd>`
                    : ''
                }
                ${
                  e.call.durationMs != null
                    ? html`<dt>Duration</dt>
                        <dd>${ms(e.call.durationMs)}</dd>`
                    : ''
                }
                ${
                  e.call.error
                    ? html`<dt>Error</dt>
                        <dd>${e.call.error}</dd>`
                    : ''
                }
              </dl>
              <p>Arguments</p>
              ${jsonBlock(e.call.arguments)}
              <p>Result</p>
              ${jsonBlock(e.call.result)}
            </details>
          </li>`,
      )}
      ${
        run.status === 'running'
          ? html`<li class="tone-waiting">still running…</li>`
          : html`<li class="tone-${run.status === 'succeeded' ? 'ok' : 'failed'}">
              finished: ${run.status}${run.error ? `, ${run.error}` : ''}
            </li>`
      }
    </ol>
    ${
      run.summary
        ? html`<h2>The model's summary</h2>
            <blockquote class="summary">${run.summary}</blockquote>`
        : ''
    }`;
  return { title: `Run of ${run.handler}`, body };
}

/** Runs: the agent runs, newest first; each as a timeline of its tool calls. */
export const runsPage: ConsolePage = {
  path: '/runs',
  label: 'Runs',
  body: async (deps) => ({ body: await runsBody(deps) }),
  item: {
    body: (deps, id) => runBody(deps, id),
    missing: 'No such run.',
    // A run still going: its status and its calls' statuses.
    async fingerprint(deps, id) {
      if (!/^[\w-]{1,100}$/.test(id)) return [];
      const r = await deps.audit.getRun(id);
      return [r?.status, r?.calls.map((c) => c.status)];
    },
  },
};
