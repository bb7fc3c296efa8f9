import type { Request } from 'express';
import { eventTypes } from '../../domain/events.js';
import { arrivalOutcomes, type Arrival, type ArrivalOutcome } from '../arrivals.js';
import type { ConsolePage } from '../console-page.js';
import type { ConsoleDeps } from '../deps.js';
import { html, jsonBlock, timeTag, type Html } from '../html.js';
import { tag } from '../layout.js';
import { runRows } from './runs.js';

const outcomeTone: Record<string, string> = {
  published: 'ok',
  duplicate: 'muted',
  ignored: 'muted',
  dead_lettered: 'failed',
  unauthorized: 'refused',
  unavailable: 'failed',
};

const param = (req: Request, name: string) => {
  const v = req.query[name];
  return typeof v === 'string' && v.trim() ? v.trim().slice(0, 200) : undefined;
};

/** Filters read from the query string (outcome, type, site, event). */
function eventFilters(req: Request) {
  const outcome = param(req, 'outcome');
  return {
    outcome: arrivalOutcomes.includes(outcome as ArrivalOutcome) ? (outcome as ArrivalOutcome) : undefined,
    type: param(req, 'type'),
    instanceId: param(req, 'site'),
    eventId: param(req, 'event'),
  };
}

/** The filter form (outside the live region, so a half-made choice survives refreshes). */
function eventFilterForm(f: ReturnType<typeof eventFilters>): Html {
  const option = (value: string, current: string | undefined, label = value) =>
    html`<option value="${value}" ${value === (current ?? '') ? html`selected` : ''}>${label}</option>`;
  return html`<form
    method="get"
    action="/console/events"
    class="filters"
    role="search"
    aria-label="Filter events"
  >
    <label
      >Outcome
      <select name="outcome">
        ${option('', f.outcome, 'any')}${arrivalOutcomes.map((o) => option(o, f.outcome, o.replace('_', ' ')))}
      </select>
    </label>
    <label
      >Type
      <select name="type">
        ${option('', f.type, 'any')}${eventTypes.map((t) => option(t, f.type))}
        ${f.type && !(eventTypes as readonly string[]).includes(f.type) ? option(f.type, f.type) : ''}
      </select>
    </label>
    <label>Site <input name="site" value="${f.instanceId ?? ''}" placeholder="instance id" /></label>
    <label>Event <input name="event" value="${f.eventId ?? ''}" placeholder="Wix event id" /></label>
    <button type="submit" class="btn">Filter</button>
    <a href="/console/events">Clear</a>
  </form>`;
}

function row(a: Arrival): Html {
  return html`<tr>
    <td>${timeTag(a.receivedAt)}</td>
    <td>${tag(a.outcome, outcomeTone[a.outcome])}</td>
    <td>${a.type || a.eventType || html`<span class="muted">—</span>`}</td>
    <td class="id">${a.instanceId || html`<span class="muted">—</span>`}</td>
    <td class="id"><a href="/console/events/${a.id}">${a.eventId || `arrival ${a.id}`}</a></td>
    <td>${a.detail}</td>
  </tr>`;
}

async function eventsBody(deps: ConsoleDeps, f: ReturnType<typeof eventFilters>): Promise<Html> {
  const arrivals = await deps.arrivals.list({ ...f, limit: 200 });
  if (arrivals.length === 0) {
    return html`<p class="empty">
      No webhooks
      ${f.outcome || f.type || f.instanceId || f.eventId ? 'match these filters' : 'have arrived yet'}. Point
      Wix at <code>POST /webhooks/wix</code>, or replay a fixture.
    </p>`;
  }
  return html`<div class="scroll">
    <table class="events">
      <caption class="sr-only">
        Webhooks received, newest first
      </caption>
      <thead>
        <tr>
          <th scope="col">Received</th>
          <th scope="col">Outcome</th>
          <th scope="col">Type</th>
          <th scope="col">Site</th>
          <th scope="col">Event</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        ${arrivals.map(row)}
      </tbody>
    </table>
  </div>`;
}

/** One arrival: its facts, the decoded event, and the runs it caused. */
async function eventBody(deps: ConsoleDeps, id: string): Promise<Html | undefined> {
  const a = await deps.arrivals.get(id);
  if (!a) return undefined;
  const runs = a.eventId ? await deps.audit.listRuns({ eventId: a.eventId, limit: 50 }) : [];
  return html`<dl class="facts">
      <dt>Outcome</dt>
      <dd>${tag(a.outcome, outcomeTone[a.outcome])}</dd>
      <dt>Received</dt>
      <dd>${timeTag(a.receivedAt)}</dd>
      <dt>Wix event id</dt>
      <dd class="id">${a.eventId || '—'}</dd>
      <dt>Wix event type</dt>
      <dd>${a.eventType || '—'}</dd>
      <dt>Type</dt>
      <dd>${a.type || '—'}</dd>
      <dt>Site (instance id)</dt>
      <dd class="id">${a.instanceId || '—'}</dd>
      ${
        a.detail
          ? html`<dt>Why</dt>
              <dd>${a.detail}</dd>`
          : ''
      }
    </dl>
    <h2>Runs</h2>
    ${runs.length ? runRows(runs) : html`<p class="empty">No agent run for this event${a.outcome === 'published' ? ' yet' : ''}.</p>`}
    <h2>Decoded event</h2>
    ${
      a.event === null
        ? html`<p class="empty">
            ${a.outcome === 'unauthorized' ? 'Not kept: the signature did not verify, so the body is not trusted.' : 'Not kept for this outcome.'}
          </p>`
        : jsonBlock(a.event)
    }`;
}

/** Events: every webhook answered, newest first, filterable; each arrival with its event and runs. */
export const eventsPage: ConsolePage = {
  path: '/events',
  label: 'Events',
  async body(deps, req) {
    const f = eventFilters(req);
    return { body: await eventsBody(deps, f), before: eventFilterForm(f) };
  },
  item: {
    async body(deps, id) {
      const body = await eventBody(deps, id);
      return body && { title: 'Event', body };
    },
    missing: 'No such arrival (it may have been pruned).',
  },
};
