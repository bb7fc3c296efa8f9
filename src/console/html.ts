/**
 * HTML built from templates whose interpolations are escaped unless they are already `Html`. Customer
 * text (buyer notes, names, tool arguments) is untrusted: it only ever reaches a page through `html`.
 */

/** A fragment of markup that is safe to insert as is (built by `html` or `raw`). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for an element body or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => entities[c]!);
}

/** A value that may appear inside `html`: text (escaped), markup, a list of either, or nothing. */
export type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<p>${userText}</p>\`` escapes `userText`; nested `html` stays markup. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Markup written by us (never customer text) inserted as is. */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** Pretty JSON inside `<pre>`, escaped. */
export function jsonBlock(value: unknown): Html {
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? 'null';
  } catch {
    text = String(value);
  }
  return html`<pre class="json">${text}</pre>`;
}

/** A relative time plus the exact ISO time in a `<time>` element. */
export function timeTag(iso: string | null | undefined): Html {
  if (!iso) return html`<span class="muted">—</span>`;
  return html`<time datetime="${iso}" title="${iso}">${iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time>`;
}
