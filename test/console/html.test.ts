import { describe, expect, it } from 'vitest';
import { escapeHtml, html, jsonBlock, raw } from '../../src/console/html.js';

describe('console html', () => {
  it('escapes every interpolated string, including inside attributes', () => {
    const note = `<script>alert("x")</script><img src=x onerror='y'>\`&`;
    const out = html`<p title="${note}">${note}</p>`.value;
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('<img');
    expect(out).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt;&#96;&amp;">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt;&#96;&amp;</p>',
    );
  });

  it('keeps nested html and raw markup, joins lists, drops null, undefined and false', () => {
    const items = ['<a>', 'b'].map((x) => html`<li>${x}</li>`);
    const tag = html; // (prettier reflows templates tagged `html`)
    const list = tag`<ul>${items}</ul>`;
    const rest = html`${null}${undefined}${false}${raw('<hr>')}${0}`;
    expect(list.value).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>');
    expect(rest.value).toBe('<hr>0');
  });

  it('renders JSON escaped inside <pre>', () => {
    expect(jsonBlock({ note: '</pre><script>' }).value).toBe(
      '<pre class="json">{\n  &quot;note&quot;: &quot;&lt;/pre&gt;&lt;script&gt;&quot;\n}</pre>',
    );
    expect(escapeHtml('plain')).toBe('plain');
  });
});
