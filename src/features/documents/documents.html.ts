import { Parser } from 'htmlparser2';
import sanitize from 'sanitize-html';
import { isSafeLink } from '../../core/files';

/**
 * HTML of a revision written in Word, made safe, and the text of any revision's HTML (issue 25).
 * `sanitizeHtml` (the maintained sanitize-html, over a real HTML parser) keeps an allow-list of structural tags
 * (paragraphs, headings, lists, tables, emphasis, line breaks and http(s)/mailto links) and drops every attribute but a
 * link's address and a cell's span: no script, no style, no event handler, no image survives, whatever the HTML holds.
 * `htmlLines` reads the words of such HTML (or of rendered Markdown) with htmlparser2 as lines: a heading, a paragraph,
 * a list item or a table row each make one line, a row's cells separated by " · ", so the comparison of two revisions
 * reads text, not markup.
 */
const ALLOWED_TAGS = ['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'u', 's', 'sub', 'sup', 'ul', 'ol', 'li'];
const TABLE_TAGS = ['table', 'thead', 'tbody', 'tr', 'th', 'td'];
/** Dropped with everything inside them. */
const DROPPED_WHOLE = ['script', 'style', 'template', 'iframe', 'object', 'embed', 'noscript', 'svg', 'math', 'head', 'title', 'textarea'];
const SPAN = /^[1-9]\d{0,2}$/;

const OPTIONS: sanitize.IOptions = {
  allowedTags: [...ALLOWED_TAGS, ...TABLE_TAGS, 'blockquote', 'a', 'br'],
  allowedAttributes: { a: ['href', 'rel'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  nonTextTags: DROPPED_WHOLE,
  disallowedTagsMode: 'discard',
  transformTags: {
    // a link we do not keep (in-page anchors such as Word's footnote links, unsafe schemes) loses its address: an
    // <a> without href is inert text
    a: (tagName, attribs): sanitize.Tag => {
      const href = (attribs.href ?? '').trim();
      if (href === '' || href.startsWith('#') || !isSafeLink(href)) return { tagName, attribs: {} };
      return { tagName, attribs: { href, rel: 'noopener noreferrer nofollow' } };
    },
    td: (tagName, attribs) => ({ tagName, attribs: spans(attribs) }),
    th: (tagName, attribs) => ({ tagName, attribs: spans(attribs) }),
  },
};

function spans(attribs: sanitize.Attributes): sanitize.Attributes {
  const out: sanitize.Attributes = {};
  for (const span of ['colspan', 'rowspan']) if (SPAN.test(attribs[span] ?? '')) out[span] = attribs[span];
  return out;
}

/** The allow-listed HTML of `html` (see the top of this file). */
export function sanitizeHtml(html: string): string {
  return sanitize(html, OPTIONS);
}

const LINE_BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'blockquote', 'table', 'ul', 'ol', 'pre', 'div', 'hr']);
export const CELL_SEPARATOR = ' · ';

/** The words of HTML as lines: one per heading, paragraph, list item or table row (cells joined by CELL_SEPARATOR). */
export function htmlLines(html: string): string[] {
  const lines: string[] = [];
  let line = '';
  let cell = '';
  let cells: string[] | undefined;
  let skipping = 0;
  const squeeze = (s: string) => s.replace(/\s+/g, ' ').trim();
  const endLine = () => {
    const text = squeeze(line);
    if (text) lines.push(text);
    line = '';
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (DROPPED_WHOLE.includes(name)) skipping++;
        if (skipping > 0) return;
        if (name === 'tr') {
          endLine();
          cells = [];
        } else if (cells && (name === 'td' || name === 'th')) cell = '';
        else if (cells)
          cell += ' '; // a paragraph or a break inside a cell
        else if (name === 'br') line += ' ';
        else if (LINE_BLOCKS.has(name)) endLine();
      },
      ontext(text) {
        if (skipping > 0) return;
        const plain = text.replace(/\u00a0/g, ' ');
        if (cells) cell += plain;
        else line += plain;
      },
      onclosetag(name) {
        if (DROPPED_WHOLE.includes(name)) {
          skipping = Math.max(0, skipping - 1);
          return;
        }
        if (skipping > 0) return;
        if (name === 'tr' && cells) {
          line = cells.filter((c) => c !== '').join(CELL_SEPARATOR);
          cells = undefined;
          endLine();
        } else if (cells && (name === 'td' || name === 'th')) cells.push(squeeze(cell));
        else if (cells) cell += ' ';
        else if (LINE_BLOCKS.has(name)) endLine();
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  endLine();
  return lines;
}
