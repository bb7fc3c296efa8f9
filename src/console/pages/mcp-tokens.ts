import type { ConsoleDeps, McpTokenView } from '../deps.js';
import { html, timeTag, type Html } from '../html.js';
import { actionForm, tag } from '../layout.js';

const list = (v: readonly string[]) => (v.length ? v.join(', ') : 'any');

/** The form creating a token (outside the live region, so typing survives refreshes). */
export function tokenForm(csrf: string): Html {
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
export function secretCard(token: McpTokenView, secret: string): Html {
  return html`<div class="card secret" data-row="new-token" role="alert">
    <p>Token <strong>${token.name}</strong> created. Copy the secret now: it is shown only once.</p>
    <p><code class="secret-value">${secret}</code></p>
    <p><a href="/console/mcp-tokens">Create another</a></p>
  </div>`;
}

export async function mcpTokensBody(deps: ConsoleDeps, csrf: string): Promise<Html> {
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
