import type { ConsolePage } from '../console-page.js';
import type { ConsoleDeps } from '../deps.js';
import { html, timeTag, type Html } from '../html.js';
import { tag } from '../layout.js';

const age = (ms: number | null) => (ms == null ? '—' : ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

/** Recent failures from the audit trail and the arrivals log (the logs have the rest). */
async function recentErrors(deps: ConsoleDeps): Promise<Html> {
  const [runs, refused] = await Promise.all([
    deps.audit.listRuns({ limit: 200 }),
    deps.arrivals.list({ outcome: 'unauthorized', limit: 10 }),
  ]);
  const failed = runs.filter((r) => r.status === 'failed' || r.status === 'limited').slice(0, 10);
  const items = [
    ...failed.map((r) => ({
      at: r.startedAt,
      text: html`run of <a href="/console/runs/${r.id}">${r.handler}</a> ${r.status}:
        ${r.error ?? 'no error text'}`,
    })),
    ...refused.map((a) => ({
      at: a.receivedAt,
      text: html`webhook refused (<a href="/console/events/${a.id}">401</a>): ${a.detail}`,
    })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  if (!items.length) return html`<p class="empty">No failed runs or refused webhooks recently.</p>`;
  return html`<ul class="errors">
    ${items.map((i) => html`<li>${timeTag(i.at)} ${i.text}</li>`)}
  </ul>`;
}

async function healthBody(deps: ConsoleDeps): Promise<Html> {
  const report = await deps.health();
  const { bus } = report;
  return html`<section aria-labelledby="deps-h">
      <h2 id="deps-h">Dependencies</h2>
      <ul class="checks">
        ${report.checks.map(
          (c) =>
            html`<li>
              ${tag(c.ok ? 'ready' : 'failing', c.ok ? 'ok' : 'failed')} <strong>${c.name}</strong>
              <span class="muted">${c.ms} ms</span
              >${c.error ? html` <span class="error">${c.error}</span>` : ''}
            </li>`,
        )}
      </ul>
      <dl class="facts">
        ${Object.entries(report.facts).map(
          ([k, v]) =>
            html`<dt>${k}</dt>
              <dd>${v}</dd>`,
        )}
      </dl>
    </section>
    <section aria-labelledby="bus-h">
      <h2 id="bus-h">Bus lag</h2>
      ${
        bus.backlog
          ? html`<p>
              ${bus.backlog.pending} event${bus.backlog.pending === 1 ? '' : 's'} waiting on the embedded bus;
              the oldest has waited ${age(bus.backlog.oldestAgeMs)}.
            </p>`
          : ''
      }
      ${
        bus.lag
          ? bus.lag.length
            ? html`<div class="scroll">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Topic</th>
                      <th scope="col">Partition</th>
                      <th scope="col">Lag (records)</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${bus.lag.map(
                      (l) =>
                        html`<tr>
                          <td>${l.topic}</td>
                          <td>${l.partition}</td>
                          <td>${l.lag}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
            : html`<p class="empty">
                No lag measured yet (no running subscription in this process, or no scrape).
              </p>`
          : ''
      }
    </section>
    <section aria-labelledby="lim-h">
      <h2 id="lim-h">Wix rate limiter, per site</h2>
      ${
        report.limiter === undefined
          ? html`<p class="empty">This process sends no Wix requests.</p>`
          : report.limiter.length === 0
            ? html`<p class="empty">No Wix requests yet.</p>`
            : html`<div class="scroll">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Site</th>
                      <th scope="col">Requests, last minute</th>
                      <th scope="col">Waiting</th>
                      <th scope="col">Longest wait</th>
                      <th scope="col">429 penalties</th>
                      <th scope="col">Held back until</th>
                      <th scope="col">Last request</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${report.limiter.map(
                      (s) =>
                        html`<tr>
                          <td class="id">${s.instanceId}</td>
                          <td>${s.grantedLastMinute}</td>
                          <td>${s.waiting}</td>
                          <td>${age(s.longestWaitMs)}</td>
                          <td>${s.penalties}</td>
                          <td>${s.penalizedUntil ? timeTag(s.penalizedUntil) : '—'}</td>
                          <td>${timeTag(s.lastSeen)}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
      }
    </section>
    <section aria-labelledby="wh-h">
      <h2 id="wh-h">Webhooks answered since start</h2>
      <ul class="counts">
        ${Object.entries(report.webhooks).map(([k, v]) => html`<li>${k.replace('_', ' ')}: <strong>${v}</strong></li>`)}
      </ul>
    </section>
    <section aria-labelledby="err-h">
      <h2 id="err-h">Recent errors</h2>
      ${await recentErrors(deps)}
    </section>`;
}

/** Health: dependencies, bus lag or backlog, the Wix rate limiter, webhook counts, recent errors. */
export const healthPage: ConsolePage = {
  path: '/health',
  label: 'Health',
  body: async (deps) => ({ body: await healthBody(deps) }),
  // Figures that change without an event (latencies, lag): refreshed every 5 seconds.
  fingerprint: async () => [Math.floor(Date.now() / 5000)],
};
