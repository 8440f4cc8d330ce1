/**
 * "Light markdown": the one text convention every parser emits and the segmenter reads.
 *  - paragraphs separated by one blank line, line breaks inside a paragraph kept;
 *  - headings as `## Heading` (whatever the source level; a line that is only bold text counts);
 *  - list items as `- item` (consecutive items on consecutive lines), table rows as `a | b` lines;
 *  - no other markup: no emphasis, links reduced to their text, no images, tags, comments or entities.
 *
 * HTML and Markdown are first turned into the same intermediate `Block[]`, so the rules for
 * "is this bold line a heading", bullets and white space live in one place (`renderBlocks`).
 */
import { load, type CheerioAPI } from 'cheerio';
import { stripTrailingRun } from '../text-edges.ts';
import { BULLET_GLYPHS } from '../../src/util/bullets.ts';

type BlockKind = 'heading' | 'para' | 'item' | 'row';
interface Block {
  kind: BlockKind;
  /** Raw text: may still hold line breaks and the bold sentinels below. */
  text: string;
}

/**
 * Bold spans are carried to `renderBlocks` as private-use sentinels rather than `**`, so that a
 * literal asterisk in an HTML page can never be mistaken for emphasis.
 */
const BOLD_OPEN = '\uE000';
const BOLD_CLOSE = '\uE001';
const SENTINELS = /[\uE000\uE001]/g;

const HEADING_MAX_CHARS = 100;

// ---------------------------------------------------------------------------------------------
// Rendering: Block[] → light markdown
// ---------------------------------------------------------------------------------------------

interface Line {
  kind: 'heading' | 'text' | 'item' | 'row';
  text: string;
  /** Lines of one source paragraph stay together (single line break between them). */
  group: number;
}

const BULLET_LINE = new RegExp(`^(?:[${BULLET_GLYPHS}]|\\d{1,2}[.)])\\s+(?=\\S)`);

/** Collapses the inline white space of one line and drops invisible characters. */
function cleanLine(text: string): string {
  return text
    .replace(SENTINELS, '')
    .replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, '')
    .replace(/[\s\u00A0\u2000-\u200A\u202F\u205F\u3000]+/g, ' ')
    .trim();
}

function headingText(text: string): string {
  const heading = stripTrailingRun(cleanLine(text).replace(/^#+\s*/, ''), '#');
  return heading.endsWith(':') ? heading.slice(0, -1).trimEnd() : heading;
}

/** True when every visible character of the line sits inside bold markers. */
function isBoldOnly(line: string): boolean {
  let depth = 0;
  let boldChars = 0;
  for (const ch of line) {
    if (ch === BOLD_OPEN) depth += 1;
    else if (ch === BOLD_CLOSE) depth = Math.max(0, depth - 1);
    else if (depth > 0) boldChars += /\s/.test(ch) ? 0 : 1;
    else if (!/[\s:]/.test(ch)) return false;
  }
  return boldChars > 0;
}

function looksLikeBoldHeading(line: string): boolean {
  if (!isBoldOnly(line)) return false;
  const text = cleanLine(line);
  // A bold sentence ("We are an equal opportunity employer.") is emphasis, not a heading.
  return text.length <= HEADING_MAX_CHARS && !/[.,;]$/.test(text);
}

function blockToLines(block: Block, group: number): Line[] {
  switch (block.kind) {
    case 'heading': {
      const text = headingText(block.text);
      return text ? [{ kind: 'heading', text, group }] : [];
    }
    case 'item': {
      const text = cleanLine(block.text).replace(BULLET_LINE, '');
      return text ? [{ kind: 'item', text, group }] : [];
    }
    case 'row': {
      const text = cleanLine(block.text);
      return /[^|\s]/.test(text) ? [{ kind: 'row', text, group }] : [];
    }
    case 'para':
      return paraToLines(block.text, group);
  }
}

function paraToLines(raw: string, firstGroup: number): Line[] {
  // Move white space out of bold spans, so "**Duties:  \n**" becomes a bold-only line.
  // (?<!\s): a run of blanks is tried once, from its start, not again from each of its blanks.
  const text = raw
    .replace(new RegExp(`${BOLD_OPEN}(\\s+)`, 'g'), `$1${BOLD_OPEN}`)
    .replace(new RegExp(`(?<!\\s)(\\s+)${BOLD_CLOSE}`, 'g'), `${BOLD_CLOSE}$1`);
  const lines: Line[] = [];
  let group = firstGroup;
  for (const rawLine of text.split('\n')) {
    const clean = cleanLine(rawLine);
    if (!clean) {
      // An empty line inside a paragraph (<br><br>, <pre>) separates paragraphs.
      group += 1;
    } else if (looksLikeBoldHeading(rawLine) && headingText(rawLine)) {
      lines.push({ kind: 'heading', text: headingText(rawLine), group });
      group += 1;
    } else if (BULLET_LINE.test(clean)) {
      lines.push({ kind: 'item', text: clean.replace(BULLET_LINE, ''), group });
    } else {
      lines.push({ kind: 'text', text: clean, group });
    }
  }
  return lines;
}

function formatLine(line: Line): string {
  if (line.kind === 'heading') return `## ${line.text}`;
  if (line.kind === 'item') return `- ${line.text}`;
  return line.text;
}

function renderBlocks(blocks: Block[]): string {
  const lines: Line[] = [];
  let group = 0;
  for (const block of blocks) {
    const blockLines = blockToLines(block, group);
    // Not push(...blockLines): a paragraph of 200k lines would overflow the stack.
    for (const line of blockLines) lines.push(line);
    group = (blockLines.at(-1)?.group ?? group) + 1;
  }
  let out = '';
  let previous: Line | undefined;
  for (const line of lines) {
    if (previous) {
      const together =
        line.kind !== 'heading' &&
        previous.kind !== 'heading' &&
        (line.group === previous.group ||
          (line.kind === previous.kind && (line.kind === 'item' || line.kind === 'row')));
      out += together ? '\n' : '\n\n';
    }
    out += formatLine(line);
    previous = line;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// HTML → Block[]
// ---------------------------------------------------------------------------------------------

/** The few DOM fields the walker reads (structurally compatible with cheerio's domhandler nodes). */
export interface DomNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
}

const SKIPPED_ELEMENTS = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'title', 'meta', 'link', 'svg', 'math',
  'iframe', 'object', 'embed', 'canvas', 'video', 'audio', 'img', 'picture', 'input', 'select',
  'textarea', 'button', 'option', 'datalist',
]);

const BLOCK_ELEMENTS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details',
  'dialog', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header',
  'hgroup', 'html', 'legend', 'main', 'nav', 'ol', 'p', 'section', 'summary', 'table', 'tbody',
  'tfoot', 'thead', 'ul', 'menu',
]);

const KIND_OF_ELEMENT: Record<string, BlockKind> = {
  h1: 'heading', h2: 'heading', h3: 'heading', h4: 'heading', h5: 'heading', h6: 'heading',
  li: 'item', tr: 'row',
};

function isHidden(attribs: Record<string, string> | undefined): boolean {
  if (!attribs) return false;
  return (
    'hidden' in attribs ||
    attribs['aria-hidden'] === 'true' ||
    /display\s*:\s*none/i.test(attribs.style ?? '')
  );
}

function openBoldSpans(text: string): number {
  let depth = 0;
  for (const ch of text) {
    if (ch === BOLD_OPEN) depth += 1;
    else if (ch === BOLD_CLOSE) depth = Math.max(0, depth - 1);
  }
  return depth;
}

/**
 * Walks the DOM with an explicit stack (a 100k-deep page must not overflow the call stack),
 * flushing the inline text gathered so far whenever a block starts or ends.
 */
function domToBlocks(roots: readonly DomNode[]): Block[] {
  const blocks: Block[] = [];
  const kinds: BlockKind[] = [];
  let buffer = '';
  let preDepth = 0;

  const currentKind = (): BlockKind => kinds.at(-1) ?? 'para';
  const flush = () => {
    if (cleanLine(buffer)) blocks.push({ kind: currentKind(), text: buffer });
    // Keep the bold openers still open, as in <strong><p>Heading</p></strong>. Only those: kept
    // whole, the markers of every bold span so far were copied into each block (quadratic).
    buffer = BOLD_OPEN.repeat(openBoldSpans(buffer));
  };

  type Step = { node: DomNode; exit: false } | { exit: true; run: () => void };
  const stack: Step[] = [];
  const pushChildren = (node: DomNode) => {
    const children = node.children ?? [];
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push({ node: children[i]!, exit: false });
  };
  for (let i = roots.length - 1; i >= 0; i -= 1) stack.push({ node: roots[i]!, exit: false });

  while (stack.length > 0) {
    const step = stack.pop()!;
    if (step.exit) {
      step.run();
      continue;
    }
    const { node } = step;
    if (node.type === 'text') {
      const data = (node.data ?? '').replace(SENTINELS, '');
      buffer += preDepth > 0 ? data : data.replace(/\s+/g, ' ');
      continue;
    }
    if (node.type === 'root' || node.type === 'cdata') {
      pushChildren(node);
      continue;
    }
    if (node.type !== 'tag' || !node.name) continue; // comments, directives, script/style nodes
    const name = node.name.toLowerCase();
    if (SKIPPED_ELEMENTS.has(name) || isHidden(node.attribs)) continue;

    const kind = KIND_OF_ELEMENT[name];
    if (kind) {
      flush();
      kinds.push(kind);
      stack.push({ exit: true, run: () => { flush(); kinds.pop(); } });
    } else if (name === 'br') {
      buffer += '\n';
    } else if (name === 'hr') {
      flush();
    } else if (name === 'td' || name === 'th') {
      if (currentKind() === 'row' && cleanLine(buffer)) buffer += ' | ';
    } else if (name === 'b' || name === 'strong') {
      buffer += BOLD_OPEN;
      stack.push({ exit: true, run: () => { buffer += BOLD_CLOSE; } });
    } else if (name === 'pre') {
      flush();
      preDepth += 1;
      stack.push({ exit: true, run: () => { flush(); preDepth -= 1; } });
    } else if (BLOCK_ELEMENTS.has(name)) {
      // Inside a heading, list item or table row a nested block only separates words.
      if (currentKind() === 'para') {
        flush();
        stack.push({ exit: true, run: flush });
      } else {
        buffer += ' ';
        stack.push({ exit: true, run: () => { buffer += ' '; } });
      }
    }
    pushChildren(node);
  }
  flush();
  return blocks;
}

export interface HtmlLimits {
  /** Tags nested deeper are dropped (their text stays). */
  maxDepth: number;
  /** The page is read up to this many tags: the DOM of 650k links took 1.7 GB and minutes. */
  maxElements: number;
}

export const HTML_LIMITS: HtmlLimits = { maxDepth: 256, maxElements: 50_000 };
const VOID_ELEMENTS = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr',
]);
// Elements whose end tag is optional: they rarely nest deeply and are often left unclosed,
// so counting them would make an ordinary page of unclosed <p>s look deep.
const OPTIONAL_END = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option', 'thead', 'tbody', 'tfoot']);

/**
 * `search(from)` answered from its last result while `from` has not passed it: the scan below asks
 * for the next `>` from every `<`, and 100k `<` before one `>` would each rescan the same text.
 */
function forwardSearch(search: (from: number) => number): (from: number) => number {
  let searchedFrom = Infinity;
  let found = -1;
  return (from) => {
    if (from < searchedFrom || (found !== -1 && from > found)) {
      searchedFrom = from;
      found = search(from);
    }
    return found;
  };
}

/**
 * The open elements as the parser will see them. An end tag closes the latest element of its name
 * and those opened after it; one with no such element open is ignored, as parsers do (taken as a
 * close, `</ul><div>` repeated looked shallow while the divs nested without end).
 */
class OpenElements {
  private readonly stack: Array<{ name: string; kept: boolean }> = [];
  private readonly counts = new Map<string, number>();
  /** Open formatting elements (kept ones): the parser may clone each of them into every new block. */
  formatting = 0;
  constructor(private readonly maxDepth: number) {}

  /** Whether the element is kept: when it opens at depth (1-based) maxDepth or less. */
  open(name: string): boolean {
    const kept = this.stack.length < this.maxDepth;
    this.stack.push({ name, kept });
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    if (kept && FORMATTING_ELEMENTS.has(name)) this.formatting += 1;
    return kept;
  }

  /** Whether the end tag is kept: with its element, and always when it closes nothing. */
  close(name: string): boolean {
    if (!this.counts.get(name)) return true;
    for (;;) {
      const element = this.stack.pop()!;
      this.counts.set(element.name, this.counts.get(element.name)! - 1);
      if (element.kept && FORMATTING_ELEMENTS.has(element.name)) this.formatting -= 1;
      if (element.name === name) return element.kept;
    }
  }
}

/**
 * HTML's formatting elements: left open, the parser reopens (clones) them in each block that
 * follows, so `<b id=N><p>x` repeated built 2M elements from 120 KB (16 s, 1.8 GB).
 */
const FORMATTING_ELEMENTS = new Set(['a', 'b', 'big', 'code', 'em', 'font', 'i', 'nobr', 's', 'small', 'strike', 'strong', 'tt', 'u']);

const RAW_TEXT_ELEMENTS = ['script', 'style', 'textarea', 'title', 'xmp'];
/** A longer tag keeps its name only: no attribute the parsers read is anywhere near this long. */
const MAX_TAG_CHARS = 16 * 1024;

const keepsRawText = (name: string, startTag: string) => (name === 'script' ? /ld\+json/i.test(startTag) : name !== 'style');
const TAG_START = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)/y;

/**
 * Bounds what the HTML parser is given. Drops the tags (never the text) nested deeper than
 * `maxDepth`: HTML parsers scan the stack of open elements, so a 100k-deep page takes minutes to
 * parse; no real job page nests that deep. And cuts the page before its `maxElements + 1`-th tag:
 * a DOM costs about 1 KB a node, and no job page needs 50k elements.
 *
 * One pass from `<` to `<`, each search resumed rather than restarted, so that a page of unclosed
 * `<a` or `<!--` stays linear (as a regex, each of them rescanned the rest of the page). A comment
 * or raw-text element left open, or a tag never closed by `>`, ends the scan: the parser reads the
 * rest as text too.
 */
export function capHtml(html: string, { maxDepth, maxElements }: HtmlLimits = HTML_LIMITS): string {
  const nextGt = forwardSearch((from) => html.indexOf('>', from));
  const commentEnd = forwardSearch((from) => html.indexOf('-->', from));
  const rawTextEnds = new Map(
    RAW_TEXT_ELEMENTS.map((name) => {
      const end = new RegExp(`</${name}\\s*>`, 'gi');
      return [name, forwardSearch((from) => ((end.lastIndex = from), end.exec(html)?.index ?? -1))] as const;
    }),
  );
  const open = new OpenElements(maxDepth);
  let elements = 0;
  let out = '';
  let last = 0;
  let at = html.indexOf('<');
  while (at !== -1) {
    let end: number;
    if (html.startsWith('<!--', at)) {
      const close = commentEnd(at + 4);
      if (close === -1) break;
      end = close + 3;
    } else {
      TAG_START.lastIndex = at;
      const tag = TAG_START.exec(html);
      const gt = tag ? nextGt(TAG_START.lastIndex) : -1;
      if (!tag) {
        end = at + 1;
      } else if (gt === -1) {
        break;
      } else {
        end = gt + 1;
        const closing = tag[1] === '/';
        const name = tag[2]!.toLowerCase();
        const rawTextEnd = closing ? undefined : rawTextEnds.get(name);
        const nests = !rawTextEnd && !VOID_ELEMENTS.has(name) && !OPTIONAL_END.has(name) && html[gt - 1] !== '/';
        // Each start tag may come with a clone of every formatting element left open before it.
        const clones = open.formatting;
        const kept = !nests || (closing ? open.close(name) : open.open(name));
        if (!kept) {
          out += html.slice(last, at);
          last = end;
        } else if (!closing && (elements += 1 + clones) > maxElements) {
          return out + html.slice(last, at);
        } else if (end - at > MAX_TAG_CHARS) {
          // A huge attribute (the parser took 600 MB for a 15 MB one): the tag keeps its name only.
          out += `${html.slice(last, at)}<${closing ? '/' : ''}${name}>`;
          last = end;
        }
        if (rawTextEnd) {
          // Its text is not markup: the scan resumes after its end tag. Scripts (but JSON-LD) and
          // styles are never read, so their text is dropped before the parser copies it.
          const close = rawTextEnd(end);
          if (close === -1) break;
          if (!keepsRawText(name, html.slice(at, Math.min(end, at + MAX_TAG_CHARS)))) {
            out += html.slice(last, end);
            last = close;
          }
          end = nextGt(close) + 1;
        }
      }
    }
    at = html.indexOf('<', end);
  }
  return last === 0 ? html : out + html.slice(last);
}

/** Parses a page or fragment with cheerio after capping its nesting depth. */
export function loadHtml(html: string): CheerioAPI {
  return load(capHtml(html));
}

export function htmlToLightMarkdown(html: string): string {
  const $ = loadHtml(html);
  return renderBlocks(domToBlocks([$.root()[0]!]));
}

/** Light markdown from already parsed nodes (the html parser picks the main content first). */
export function domToLightMarkdown(nodes: readonly DomNode[]): string {
  return renderBlocks(domToBlocks(nodes));
}

const HTML_SIGNAL =
  /<!doctype html|<\/?(?:html|body|head|div|p|br|ul|ol|li|h[1-6]|strong|b|em|i|span|a|table|tr|td|section|article|main)\b[^<>]*>/i;

export function looksLikeHtml(text: string): boolean {
  return HTML_SIGNAL.test(text);
}

// ---------------------------------------------------------------------------------------------
// Markdown (and plain text) → Block[]
// ---------------------------------------------------------------------------------------------

/**
 * Decodes HTML character references with the HTML parser itself: a <textarea> holds raw text,
 * so references are decoded and nothing else is interpreted.
 */
function decodeEntities(text: string): string {
  if (!/&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);?/i.test(text)) return text;
  const safe = text.replace(/<\/textarea/gi, '&lt;/textarea');
  // The leading "x" protects a leading newline, which <textarea> would swallow.
  return load(`<textarea>x${safe}</textarea>`)('textarea').text().slice(1);
}

/** Backslash escapes are parked in the private-use area so emphasis rules can't see them. */
const ESCAPE_BASE = 0xe100;
const protectEscapes = (text: string) =>
  text.replace(/\\([\\`*_{}[\]()#+\-.!|>~<])/g, (_, ch: string) =>
    String.fromCharCode(ESCAPE_BASE + ch.charCodeAt(0)),
  );
const restoreEscapes = (text: string) =>
  text.replace(/[\uE100-\uE17F]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - ESCAPE_BASE));

/**
 * Markdown spans (images, links, code, emphasis) → text, with bold spans wrapped in `open`/`close`.
 * Link targets may hold spaces, line breaks and one level of parentheses, as hand-written ones do.
 *
 * Linear on any input: a bracket's text stops at the next bracket, a code span starts at the
 * first backtick of a run, and a `__` span at the next `__`. Written as `[^\]]*`, `` `+ `` and
 * `[\s\S]+?`, each unclosed opener rescanned the rest of the text: 1 MB of `[` ran for minutes.
 */
function convertMarkdownSpans(text: string, open: string, close: string): string {
  return text
    .replace(/!\[[^[\]]*\]\((?:[^()]|\([^()]*\))*\)|!\[[^[\]]*\]\[[^[\]]*\]/g, '')
    .replace(/\[([^[\]]*)\]\((?:[^()]|\([^()]*\))*\)/g, '$1')
    .replace(/\[([^[\]]+)\]\[[^[\]]*\]/g, '$1')
    .replace(/(?<!`)`+(?!`)([^`]+)`+/g, '$1')
    // Exports often stack markers ("******Duties:**"); three or more mean bold all the same.
    .replace(/\*{3,}/g, '**')
    .replace(/\*\*([\s\S]+?)\*\*/g, `${open}$1${close}`)
    .replace(/(^|[^\w])__((?:(?!__)[\s\S])+)__(?!\w)/g, `$1${open}$2${close}`)
    .replace(/(^|[^\w*])\*(?!\s)([^*\n]+?)\*(?![\w*])/g, '$1$2')
    .replace(/(^|[^\w])_(?!\s)([^_\n]+?)_(?!\w)/g, '$1$2')
    .replace(/\*\*/g, '');
}

/** Inline markdown (with inline HTML) → text with bold sentinels, still to be rendered. */
function convertInline(markdown: string): string {
  const withoutTags = protectEscapes(markdown.replace(SENTINELS, ''))
    .replace(/<((?:https?|mailto):[^>\s]+)>/gi, '$1')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<(?:strong|b)(?:\s[^<>]*)?>/gi, BOLD_OPEN)
    .replace(/<\/(?:strong|b)\s*>/gi, BOLD_CLOSE)
    .replace(/<\/?[a-zA-Z][^<>]*>/g, '');
  return restoreEscapes(decodeEntities(convertMarkdownSpans(withoutTags, BOLD_OPEN, BOLD_CLOSE)));
}

/** An HTML block in a markdown file often still uses markdown links and emphasis inside. */
function htmlBlockToBlocks(html: string): Block[] {
  const converted = restoreEscapes(convertMarkdownSpans(protectEscapes(html), '<strong>', '</strong>'));
  return domToBlocks([loadHtml(converted).root()[0]!]);
}

/** Markdown inline text as plain text (titles, front matter values). */
export function markdownInlineToText(markdown: string): string {
  return cleanLine(convertInline(markdown));
}

const FENCE = /^\s*(```|~~~)/;
/** The opening of an ATX heading; its text is the rest of the line, trimmed (see atxHeading). */
const ATX_HEADING = /^\s{0,3}#{1,6}(?=\s|$)/;
const SETEXT_UNDERLINE = /^\s{0,3}(?:=+|-{2,})\s*$/;
/** As one regex (`(?:\s+(.*?))?\s*$`), a heading ending in a long run of blanks took quadratic time. */
function atxHeading(line: string): string | undefined {
  const marker = ATX_HEADING.exec(line);
  return marker ? line.slice(marker[0].length).trim() : undefined;
}
const THEMATIC_BREAK = /^\s{0,3}([-*_])(?:\s*\1){2,}\s*$/;
const LIST_ITEM = new RegExp(`^\\s*(?:[${BULLET_GLYPHS}]|\\d{1,3}[.)])\\s+(?:\\[[ xX]\\]\\s+)?(.*)$`);
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/;
/** Only block-level tags open an HTML block (CommonMark's kind 6); `<br/>` or `<b>` start a paragraph. */
const HTML_BLOCK_START =
  /^\s*<\/?(?:address|article|aside|blockquote|center|details|dialog|dd|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|li|main|nav|ol|p|section|summary|table|tbody|td|tfoot|th|thead|tr|ul)(?:\s|>|\/>|$)/i;
const BLOCKQUOTE = /^\s*>\s?/;

function startsBlock(line: string): boolean {
  return [FENCE, ATX_HEADING, THEMATIC_BREAK, LIST_ITEM, TABLE_ROW, HTML_BLOCK_START].some((re) =>
    re.test(line),
  );
}

/** A short line standing alone that plain text uses as a heading: "REQUIREMENTS", "Benefits:". */
function looksLikePlainHeading(line: string): boolean {
  const text = line.trim();
  if (text.length < 3 || text.length > 60 || text.split(/\s+/).length > 8) return false;
  const letters = text.replace(/[^\p{L}]/gu, '');
  const allCaps = letters.length >= 3 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
  return /^[^:]+:$/.test(text) || allCaps;
}

interface MarkdownOptions {
  /** Plain text: treat short stand-alone "Benefits:" / "ABOUT US" lines as headings. */
  guessHeadings?: boolean;
}

function markdownToBlocks(markdown: string, options: MarkdownOptions = {}): Block[] {
  const lines = markdown.replace(/<!--[\s\S]*?(?:-->|$)/g, '').split(/\r\n?|\n/);
  const blocks: Block[] = [];
  let para: string[] = [];
  let i = 0;
  let lastContentLine = lines.length - 1;
  while (lastContentLine >= 0 && !lines[lastContentLine]!.trim()) lastContentLine -= 1;

  const flushPara = () => {
    if (para.length === 0) return;
    const [first, ...rest] = para;
    // A heading heads something: a lone "SQL" or "REMOTE" is the text itself.
    const headsSomething = rest.length > 0 || i <= lastContentLine;
    if (options.guessHeadings && first !== undefined && headsSomething && looksLikePlainHeading(first)) {
      blocks.push({ kind: 'heading', text: convertInline(first) });
      if (rest.length > 0) blocks.push({ kind: 'para', text: convertInline(rest.join('\n')) });
    } else {
      blocks.push({ kind: 'para', text: convertInline(para.join('\n')) });
    }
    para = [];
  };

  while (i < lines.length) {
    const line = lines[i]!.replace(BLOCKQUOTE, '').replace(BLOCKQUOTE, '');
    i += 1;
    const fence = FENCE.exec(line);
    if (fence) {
      flushPara();
      const code: string[] = [];
      while (i < lines.length && !lines[i]!.trim().startsWith(fence[1]!)) code.push(lines[i++]!);
      i += 1;
      blocks.push({ kind: 'para', text: code.join('\n') });
      continue;
    }
    if (!line.trim()) {
      flushPara();
      continue;
    }
    if (para.length > 0 && SETEXT_UNDERLINE.test(line)) {
      const heading = para.pop()!;
      flushPara();
      blocks.push({ kind: 'heading', text: convertInline(heading) });
      continue;
    }
    if (THEMATIC_BREAK.test(line)) {
      flushPara();
      continue;
    }
    const heading = atxHeading(line);
    if (heading !== undefined) {
      flushPara();
      blocks.push({ kind: 'heading', text: convertInline(heading) });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      flushPara();
      const parts = [item[1] ?? ''];
      // Lazy continuation lines belong to the item.
      while (i < lines.length && lines[i]!.trim() && !startsBlock(lines[i]!)) parts.push(lines[i++]!.trim());
      blocks.push({ kind: 'item', text: convertInline(parts.join(' ')) });
      continue;
    }
    if (TABLE_ROW.test(line)) {
      flushPara();
      if (!TABLE_SEPARATOR.test(line)) {
        const cells = line.trim().replace(/^\||\|$/g, '').split('|');
        blocks.push({ kind: 'row', text: cells.map((cell) => convertInline(cell).trim()).join(' | ') });
      }
      continue;
    }
    if (para.length === 0 && HTML_BLOCK_START.test(line)) {
      // An HTML block runs to the next blank line, as in CommonMark.
      const html = [line];
      while (i < lines.length && lines[i]!.trim()) html.push(lines[i++]!);
      for (const block of htmlBlockToBlocks(html.join('\n'))) blocks.push(block);
      continue;
    }
    para.push(line);
  }
  flushPara();
  return blocks;
}

/**
 * The converters read at most this much of their input. Descriptions are cut at 200k characters
 * after conversion (parse/index.ts), so converting a 10 MB field whole is seconds of wasted work;
 * five times the cap leaves room for markup.
 */
export const MAX_CONVERTED_CHARS = 1_000_000;

/** Cut at a line break near the limit, so the last line stays whole. */
function capInput(text: string): string {
  if (text.length <= MAX_CONVERTED_CHARS) return text;
  const cut = text.lastIndexOf('\n', MAX_CONVERTED_CHARS);
  return text.slice(0, cut > MAX_CONVERTED_CHARS * 0.9 ? cut : MAX_CONVERTED_CHARS);
}

export function markdownToLight(markdown: string): string {
  return renderBlocks(markdownToBlocks(capInput(markdown)));
}

/**
 * Plain text → light markdown. Plain text is read as markdown (people paste markdown into .txt
 * files and dataset cells), plus the stand-alone heading lines plain text uses instead of `#`.
 */
export function plainTextToLight(text: string): string {
  return renderBlocks(markdownToBlocks(capInput(text), { guessHeadings: true }));
}

/** A description field of unknown flavour (JSON-LD, dataset cell): HTML or text. */
export function anyTextToLight(field: string): string {
  const text = capInput(field);
  if (looksLikeHtml(text)) return htmlToLightMarkdown(text);
  // Some feeds escape the HTML once more: "&lt;p&gt;Hello&lt;/p&gt;".
  const decoded = decodeEntities(text);
  if (decoded !== text && looksLikeHtml(decoded)) return htmlToLightMarkdown(decoded);
  return plainTextToLight(text);
}
