import express, { type Router } from 'express';
import { answer } from '../actions.js';
import type { ConsolePage } from '../console-page.js';
import type { ConsoleDeps, McpTokenView } from '../deps.js';
import { html, timeTag, type Html } from '../html.js';
import { actionForm, page, tag } from '../layout.js';

const list = (v: readonly string[]) => (v.length ? v.join(', ') : 'any');

/** The form creating a token (outside the live region, so typing survives refreshes). */
function tokenForm(csrf: string): Html {
  return html`<div data-row="new-token">
    <form method="post" action="/console/mcp-tokens" class="action card token-form" data-action="create">
      <h2>New token</h2>
      <input type="hidden" name="_csrf" value="${csrf}" />
      <label>Name <input name="name" required maxlength="64" placeholder="claude-desktop" /></label>
      <fieldset>
        <legend>Methods</legend>
        <label><input type="checkbox" name="methods" value="read" checked /> read</label>
        <label><input type="checkbox" name="methods" value="write" /> write</label>
      </fieldset>
      <label>Sites (instance ids, comma-separated) <input name="sites" required /></label>
      <label>Tags (optional) <input name="tags" placeholder="crm, orders" /></label>
      <label>Tools (optional) <input name="tools" placeholder="get_order, label_contact" /></label>
      <label
        >Writes run as
        <select name="mode">
          <option value="approval" selected>approval (parked for a person)</option>
          <option value="dry-run">dry-run (recorded, not sent)</option>
          <option value="live">live</option>
        </select>
      </label>
      <label>Expires in <input name="expiresIn" value="30d" pattern="\\d{1,5}[mhd]" /></label>
      <button type="submit" class="btn btn-approve">Create token</button>
    </form>
  </div>`;
}

/** The secret of a new token, shown once. */
function secretCard(token: McpTokenView, secret: string): Html {
  return html`<div class="card secret" data-row="new-token" role="alert">
    <p>Token <strong>${token.name}</strong> created. Copy the secret now: it is shown only once.</p>
    <p><code class="secret-value">${secret}</code></p>
    <p><a href="/console/mcp-tokens">Create another</a></p>
  </div>`;
}

async function mcpTokensBody(deps: ConsoleDeps, csrf: string): Promise<Html> {
  if (!deps.mcpTokens) return html`<p class="empty">This service has no MCP server.</p>`;
  const tokens = await deps.mcpTokens.list({ includeRevoked: true });
  if (!tokens.length) return html`<p class="empty">No MCP tokens yet.</p>`;
  return html`<div class="scroll">
    <table class="tokens">
      <caption class="sr-only">
        MCP tokens
      </caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Secret starts</th>
          <th scope="col">Scope</th>
          <th scope="col">Sites</th>
          <th scope="col">Mode</th>
          <th scope="col">Expires</th>
          <th scope="col">Last used</th>
          <th scope="col"><span class="sr-only">Action</span></th>
        </tr>
      </thead>
      <tbody>
        ${tokens.map((t) => {
          const state = t.revokedAt ? 'revoked' : Date.parse(t.expiresAt) <= Date.now() ? 'expired' : '';
          return html`<tr id="token-${t.id}">
            <td>${t.name} ${state ? tag(state, 'refused') : ''}</td>
            <td><code>${t.hint}…</code></td>
            <td>${t.methods.join(' + ')}; tags ${list(t.tags)}; tools ${list(t.tools)}</td>
            <td class="id">${t.sites.join(', ')}</td>
            <td>${t.mode}</td>
            <td>${timeTag(t.expiresAt)}</td>
            <td>${timeTag(t.lastUsedAt)}</td>
            <td>
              ${
                state
                  ? ''
                  : actionForm(`/console/mcp-tokens/${t.id}/revoke`, 'Revoke', csrf, {
                      kind: 'reject',
                      describedBy: `token-${t.id}`,
                      confirm: `Revoke ${t.name}? Clients using it stop working at once.`,
                    })
              }
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

/** The token form's and the revoke buttons' routes. */
function tokenActions(deps: ConsoleDeps): Router {
  const router = express.Router();

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

/** MCP tokens: create (the secret shown once), list and revoke; only where the service runs an MCP server. */
export const mcpTokensPage: ConsolePage = {
  path: '/mcp-tokens',
  label: 'MCP tokens',
  off: (deps) => (deps.mcpTokens ? undefined : 'This service has no MCP server.'),
  body: async (deps, _req, csrf) => ({ body: await mcpTokensBody(deps, csrf), before: tokenForm(csrf) }),
  fingerprint: async (deps) =>
    deps.mcpTokens
      ? [(await deps.mcpTokens.list({ includeRevoked: true })).map((t) => [t.id, t.revokedAt, t.lastUsedAt])]
      : [],
  actions: tokenActions,
};
