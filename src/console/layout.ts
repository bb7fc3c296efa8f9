import { html, type Html, type Interpolation } from './html.js';

export interface PageOptions {
  title: string;
  /** The section this page belongs to (marked in the navigation). */
  section?: string | undefined;
  /** CSRF token of the session: present on signed-in pages (sign-out form, action forms). */
  csrf?: string | undefined;
  /**
   * The navigation's sections, in order: the console's pages that are on (pages/index.ts; the router
   * passes them). Shown on signed-in pages only.
   */
  nav?: readonly { path: string; label: string }[];
  /** Counts shown next to section names, e.g. pending approvals. */
  badges?: Partial<Record<string, number>>;
  /** Content outside the live region (filters), kept while the live region refreshes. */
  before?: Interpolation;
  /** The live region: refreshed in place when something changes (see assets/console.js). */
  body: Interpolation;
}

/** A whole console page: head, navigation, the live region. Scripts and styles come from /console/assets. */
export function page(o: PageOptions): Html {
  const nav = o.csrf
    ? html`<nav aria-label="Console sections">
        <ul>
          ${(o.nav ?? []).map(
            (s) =>
              html`<li>
                <a href="${s.path}" ${s.path === o.section ? html`aria-current="page"` : ''}
                  >${s.label}${o.badges?.[s.path] ? html` <span class="badge">${o.badges[s.path]}</span>` : ''}</a
                >
              </li>`,
          )}
        </ul>
        <form method="post" action="/console/logout" class="signout">
          <input type="hidden" name="_csrf" value="${o.csrf}" />
          <button type="submit">Sign out</button>
        </form>
      </nav>`
    : '';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${o.title} · wix-event-agent console</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/console.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header>
          <p class="brand">wix-event-agent <span class="muted">console</span></p>
          ${nav}
        </header>
        <main id="main" tabindex="-1" ${o.csrf ? html`data-csrf="${o.csrf}"` : ''}>
          <h1>${o.title}</h1>
          <p id="announce" class="announce" role="status" aria-live="polite"></p>
          ${o.before}
          <div id="live" data-live="${o.csrf ? 'on' : 'off'}">${o.body}</div>
        </main>
      </body>
    </html>`;
}

/** A status word as a coloured tag (the word itself carries the meaning, colour only helps). */
export function tag(word: string, tone?: string): Html {
  return html`<span class="tag tag-${tone ?? word}">${word.replace(/_/g, ' ')}</span>`;
}

/** A small hidden-field form posting to `action` with a button; enhanced into fetch by console.js. */
export function actionForm(
  action: string,
  label: string,
  csrf: string,
  options: {
    fields?: Record<string, string>;
    kind?: string;
    confirm?: string;
    disabled?: string;
    /** Id of the element saying what the button acts on (read after the label by screen readers). */
    describedBy?: string;
  } = {},
): Html {
  return html`<form
    method="post"
    action="${action}"
    class="action"
    data-action="${options.kind ?? ''}"
    ${options.confirm ? html`data-confirm="${options.confirm}"` : ''}
  >
    <input type="hidden" name="_csrf" value="${csrf}" />
    ${Object.entries(options.fields ?? {}).map(
      ([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`,
    )}
    <button
      type="submit"
      class="btn btn-${options.kind ?? 'plain'}"
      ${options.disabled ? html`disabled title="${options.disabled}"` : ''}
      ${options.describedBy ? html`aria-describedby="${options.describedBy}"` : ''}
    >
      ${label}
    </button>
  </form>`;
}
