/**
 * Offer text (quotes, titles, companies, sources) and model text are untrusted, and every
 * renderer prints them: the markdown memo goes to a terminal or a markdown viewer, the HTML page
 * to a browser, the JSON to pipes and terminals. This module is the one place that decides what
 * of such text may reach an output:
 *  - control characters never do (an ESC sequence can rewrite a terminal, move its cursor, set
 *    its title; a carriage return can hide the line before it), nor the bidirectional overrides
 *    that make text read in another order than it is stored;
 *  - in markdown, the characters that make markup (a raw HTML tag, a link, an image, one of our
 *    own `[c1]` citation markers, emphasis, a heading) are backslash-escaped, so offer text is
 *    always shown as the characters it has and only our markers link.
 * The HTML renderer escapes on top of `plainText`, and honours markdown's backslash escapes.
 */

/**
 * C0 controls but tab and line feed, DEL, C1 controls (U+009B is a CSI on some terminals), the
 * bidirectional embeddings, overrides and isolates, and the Unicode line and paragraph separators.
 */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** The text without control characters; tabs and line breaks stay, as they carry layout. */
export function plainText(text: string): string {
  return text.replace(CONTROLS, (c) => (c === '\u2028' || c === '\u2029' ? '\n' : ''));
}

/** What markdown makes markup of, anywhere in a line (CommonMark escapes any ASCII punctuation). */
const MARKDOWN_INLINE = /[\\`*_[\]<>]/g;
/** What makes a block of the start of a line: a heading, a quote, a list item, a table row. */
const MARKDOWN_BLOCK_START = /^([#>+\-|=~]|\d{1,9}(?=[.)]))/;

/**
 * Untrusted text as literal markdown, on one line: `[c99]` in an offer stays the characters
 * "[c99]" and is never a citation marker, `<script>` is never a tag.
 */
export function markdownText(text: string): string {
  const line = plainText(text).replace(/\s+/g, ' ').trim();
  const escaped = line.replace(MARKDOWN_INLINE, (c) => `\\${c}`);
  return escaped.replace(MARKDOWN_BLOCK_START, (marker) => (/^\d/.test(marker) ? `${marker}\\` : `\\${marker}`));
}

/**
 * A source (URL or file path) in angle brackets when markdown shows that as written: an http(s)
 * URL (an autolink), or a path that cannot read as an HTML tag (`<style>`, `</b>`), a
 * declaration (`<!…>`, `<?…>`) or an autolink to another scheme (`<javascript:…>`). Anything else
 * is shown as escaped text.
 */
export function markdownSource(source: string): string {
  const plain = plainText(source).trim();
  const inert =
    /^[^\s<>\\`]+$/.test(plain) &&
    (/^https?:\/\//i.test(plain) || !(/^\/?[a-z][a-z0-9-]*\/?$/i.test(plain) || /^[!?]/.test(plain) || /^[a-z][a-z0-9+.-]{1,31}:/i.test(plain)));
  return inert ? `<${plain}>` : markdownText(plain);
}

/**
 * Characters JSON.stringify leaves raw that a terminal may act on (DEL, C1 controls, bidi
 * overrides, line separators), as \u escapes. They only ever occur inside JSON strings, so the
 * document parses to the very same value: JSON output stays data, verbatim quotes included.
 */
export function jsonSafe(json: string): string {
  return json.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
