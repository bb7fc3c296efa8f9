import express, { type Router } from 'express';
import type { DeadLetter } from '../../bus/port.js';
import { busEventSchema } from '../../domain/events.js';
import { answer } from '../actions.js';
import type { ConsolePage } from '../console-page.js';
import type { ConsoleDeps } from '../deps.js';
import { html, jsonBlock, timeTag, type Html } from '../html.js';
import { actionForm, tag } from '../layout.js';

/** Letters listed (and redriven by kind) at most. */
const DEAD_LETTER_LIMIT = 500;

/** A kind of dead letter: why it died and what it was. Redriving "all of a kind" uses this. */
const kindOf = (l: DeadLetter) => `${l.reason}:${l.type ?? '-'}`;

const reasons: Record<string, string> = {
  invalid_envelope: 'signed by Wix, but not the shape we rely on',
  max_attempts: 'failed on every attempt',
  non_retryable: 'failed in a way a retry cannot fix',
  unparsable: 'not a readable bus event',
};

/** True when the letter carries a valid bus event: redriving it can help. */
const redrivable = (l: DeadLetter) => busEventSchema.safeParse(l.payload).success;

function letterCard(l: DeadLetter, csrf: string): Html {
  const can = redrivable(l);
  return html`<article class="card letter" data-row="${l.id}">
    <p class="what" id="letter-${l.id}">
      ${tag(l.reason, 'failed')} <strong>${l.type ?? 'unknown type'}</strong> ${reasons[l.reason] ?? ''}
    </p>
    <p class="meta">
      died ${timeTag(l.deadAt)} · ${l.attempts} attempt${l.attempts === 1 ? '' : 's'} · event
      <span class="id">${l.eventId ?? '—'}</span> · site <span class="id">${l.instanceId ?? '—'}</span>
    </p>
    <p class="error">${l.error}</p>
    <details data-key="letter-${l.id}">
      <summary>payload</summary>
      ${jsonBlock(l.payload)}
    </details>
    <div class="actions">
      ${actionForm(`/console/dead-letters/redrive`, 'Redrive', csrf, {
        kind: 'redrive',
        fields: { id: l.id },
        describedBy: `letter-${l.id}`,
        ...(can
          ? {}
          : { disabled: 'Not a valid event: redriving cannot help. Fix the sender or the schema.' }),
      })}
    </div>
  </article>`;
}

async function deadLettersBody(deps: ConsoleDeps, csrf: string): Promise<Html> {
  const letters = await deps.bus.listDeadLetters({ limit: DEAD_LETTER_LIMIT });
  if (letters.length === 0)
    return html`<p class="empty">No dead letters. Every event was handled or is still queued.</p>`;
  const kinds = new Map<string, DeadLetter[]>();
  for (const l of letters) kinds.set(kindOf(l), [...(kinds.get(kindOf(l)) ?? []), l]);
  return html`<section aria-labelledby="kinds-h">
      <h2 id="kinds-h">By kind</h2>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Reason</th>
              <th scope="col">Type</th>
              <th scope="col">Letters</th>
              <th scope="col"><span class="sr-only">Action</span></th>
            </tr>
          </thead>
          <tbody>
            ${[...kinds.entries()].map(([kind, list]) => {
              const first = list[0]!;
              const n = list.filter(redrivable).length;
              return html`<tr>
                <td>${first.reason.replace('_', ' ')}</td>
                <td>${first.type ?? '—'}</td>
                <td>${list.length}</td>
                <td>
                  ${actionForm('/console/dead-letters/redrive', `Redrive all ${n}`, csrf, {
                    kind: 'redrive',
                    fields: { kind },
                    confirm: `Put ${n} event(s) back on the bus?`,
                    ...(n === 0 ? { disabled: 'None of these carries a valid event.' } : {}),
                  })}
                </td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
    </section>
    <section aria-labelledby="letters-h">
      <h2 id="letters-h">
        Letters
        <span class="count">(${letters.length}${letters.length === DEAD_LETTER_LIMIT ? '+' : ''})</span>
      </h2>
      ${letters.map((l) => letterCard(l, csrf))}
    </section>`;
}

/** The redrive buttons' route: one letter (`id`), or every redrivable letter of a kind (`kind`). */
function redriveActions(deps: ConsoleDeps): Router {
  const router = express.Router();
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

/** Dead letters: by kind and one by one, each redrivable when it carries a valid event. */
export const deadLettersPage: ConsolePage = {
  path: '/dead-letters',
  label: 'Dead letters',
  body: async (deps, _req, csrf) => ({ body: await deadLettersBody(deps, csrf) }),
  fingerprint: async (deps) => [
    (await deps.bus.listDeadLetters({ limit: DEAD_LETTER_LIMIT })).map((l) => l.id),
  ],
  actions: redriveActions,
};
