import { isSafeLink } from '../../core/files';

/**
 * HTML of a revision written in Word, made safe, and the text of any revision's HTML (issue 25).
 * `sanitizeHtml` keeps an allow-list of structural tags (paragraphs, headings, lists, tables, emphasis, line breaks and
 * http(s)/mailto links) and drops every attribute but a link's address and a cell's span: no script, no style, no
 * event handler, no image survives, whatever the HTML holds. `htmlLines` reads the words of such HTML (or of rendered
 * Markdown) as lines: a heading, a paragraph, a list item or a table row each make one line, a row's cells separated
 * by " · ", so the comparison of two revisions reads text, not markup.
 */
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>|<!--[\s\S]*?-->/g;
const ATTR = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

const CONTAINERS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'strong',
  'em',
  'u',
  's',
  'sub',
  'sup',
  'ul',
  'ol',
  'li',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'blockquote',
  'a',
]);
/** Dropped with everything inside them. */
const DROPPED_WHOLE = new Set(['script', 'style', 'template', 'iframe', 'object', 'embed', 'noscript', 'svg', 'math', 'head', 'title', 'textarea']);
const SPAN = /^[1-9]\d{0,2}$/;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]+);/g, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '';
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}
const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (text: string) => escapeText(text).replace(/"/g, '&quot;');

interface Token {
  kind: 'text' | 'open' | 'close';
  name: string;
  text: string;
  attrs: string;
  selfClosing: boolean;
}

/** The tags and texts of an HTML string; anything that is not a well-formed tag is text (escaped again on output). */
function* tokens(html: string): Generator<Token> {
  let last = 0;
  for (const m of html.matchAll(TAG)) {
    if (m.index > last) yield { kind: 'text', name: '', text: html.slice(last, m.index), attrs: '', selfClosing: false };
    last = m.index + m[0].length;
    if (m[2] === undefined) continue; // a comment
    yield { kind: m[1] ? 'close' : 'open', name: m[2].toLowerCase(), text: '', attrs: m[3] ?? '', selfClosing: Boolean(m[4]) };
  }
  if (last < html.length) yield { kind: 'text', name: '', text: html.slice(last), attrs: '', selfClosing: false };
}

function attributesOf(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of raw.matchAll(ATTR)) out.set(m[1].toLowerCase(), decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  return out;
}

/** The attributes kept on an allowed tag, written out; undefined for a link we do not keep (its text stays). */
function keptAttributes(name: string, raw: string): string | undefined {
  const attrs = attributesOf(raw);
  if (name === 'a') {
    const href = (attrs.get('href') ?? '').trim();
    if (href === '' || href.startsWith('#') || !isSafeLink(href)) return undefined;
    return ` href="${escapeAttr(href)}" rel="noopener noreferrer nofollow"`;
  }
  if (name === 'td' || name === 'th') {
    let out = '';
    for (const span of ['colspan', 'rowspan']) if (SPAN.test(attrs.get(span) ?? '')) out += ` ${span}="${attrs.get(span)}"`;
    return out;
  }
  return '';
}

/** The allow-listed HTML of `html` (see the top of this file). */
export function sanitizeHtml(html: string): string {
  let out = '';
  const open: string[] = [];
  let skipping: string | undefined;
  let skipDepth = 0;
  for (const tok of tokens(html)) {
    if (skipping) {
      if (tok.name === skipping && tok.kind === 'open' && !tok.selfClosing) skipDepth++;
      if (tok.name === skipping && tok.kind === 'close' && --skipDepth === 0) skipping = undefined;
      continue;
    }
    if (tok.kind === 'text') out += escapeText(decodeEntities(tok.text));
    else if (DROPPED_WHOLE.has(tok.name)) {
      if (tok.kind === 'open' && !tok.selfClosing) [skipping, skipDepth] = [tok.name, 1];
    } else if (tok.name === 'br') out += tok.kind === 'open' ? '<br>' : '';
    else if (!CONTAINERS.has(tok.name)) continue;
    else if (tok.kind === 'open' && !tok.selfClosing) {
      const attrs = keptAttributes(tok.name, tok.attrs);
      if (attrs === undefined) continue;
      open.push(tok.name);
      out += `<${tok.name}${attrs}>`;
    } else if (tok.kind === 'close') {
      const at = open.lastIndexOf(tok.name);
      if (at < 0) continue;
      while (open.length > at) out += `</${open.pop()}>`;
    }
  }
  while (open.length > 0) out += `</${open.pop()}>`;
  return out;
}

const LINE_BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'blockquote', 'table', 'ul', 'ol', 'pre', 'div', 'hr']);
export const CELL_SEPARATOR = ' · ';

/** The words of HTML as lines: one per heading, paragraph, list item or table row (cells joined by CELL_SEPARATOR). */
export function htmlLines(html: string): string[] {
  const lines: string[] = [];
  let line = '';
  let cell = '';
  let cells: string[] | undefined;
  let skipping: string | undefined;
  const squeeze = (s: string) => s.replace(/\s+/g, ' ').trim();
  const endLine = () => {
    const text = squeeze(line);
    if (text) lines.push(text);
    line = '';
  };
  for (const tok of tokens(html)) {
    if (skipping) {
      if (tok.kind === 'close' && tok.name === skipping) skipping = undefined;
      continue;
    }
    if (tok.kind === 'text') {
      const text = decodeEntities(tok.text).replace(/\u00a0/g, ' ');
      if (cells) cell += text;
      else line += text;
    } else if (DROPPED_WHOLE.has(tok.name)) {
      if (tok.kind === 'open' && !tok.selfClosing) skipping = tok.name;
    } else if (tok.name === 'tr') {
      if (tok.kind === 'open') {
        endLine();
        cells = [];
      } else if (cells) {
        line = cells.filter((c) => c !== '').join(CELL_SEPARATOR);
        cells = undefined;
        endLine();
      }
    } else if (cells && (tok.name === 'td' || tok.name === 'th')) {
      if (tok.kind === 'close') cells.push(squeeze(cell));
      cell = '';
    } else if (cells) {
      cell += ' '; // a paragraph or a break inside a cell
    } else if (tok.name === 'br') line += ' ';
    else if (LINE_BLOCKS.has(tok.name)) endLine();
  }
  endLine();
  return lines;
}
