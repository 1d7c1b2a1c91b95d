import Handlebars from 'handlebars';
import MarkdownIt from 'markdown-it';

/**
 * Markdown for user-written text (document bodies). Raw HTML is not recognised (`html: false`: it comes
 * out as text), links and images may only point to http(s), mailto or a relative address, so nothing a
 * user types can run script. This is the one place where a library's HTML reaches a template: wrap it
 * with `markdownHtml()` (a Handlebars SafeString) and print it with `{{body}}`.
 */
const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto']);

/** True for http(s), mailto and relative links; false for javascript:, data:, vbscript:, file: … */
export function isSafeLink(url: string): boolean {
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:"), so do we.
  // eslint-disable-next-line no-control-regex -- control characters are what this pattern looks for
  const squeezed = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').replace(/&(#0*58|colon);?/gi, ':');
  const scheme = SCHEME.exec(squeezed);
  if (!scheme) return true; // relative: /path, ../x, #anchor, ?q, //host (same scheme as the page)
  return ALLOWED_SCHEMES.has(scheme[1].toLowerCase());
}

md.validateLink = isSafeLink;

// Links that leave the site do not pass on our address or get a handle on this window.
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const href = String(tokens[idx].attrGet('href') ?? '');
  if (/^(https?:)?\/\//i.test(href)) tokens[idx].attrSet('rel', 'noopener noreferrer nofollow');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/**
 * Rendered texts, kept by their Markdown (the same text always renders the same): a document page shows a revision's
 * body on every view and parsing it was 5 % of the page's CPU. At most KEPT_CHARS of text and HTML together are kept,
 * the least recently used dropped first.
 */
const KEPT_CHARS = 2_000_000;
const rendered = new Map<string, string>();
let keptChars = 0;

export function renderMarkdown(text: string): string {
  const source = text ?? '';
  const hit = rendered.get(source);
  if (hit !== undefined) {
    rendered.delete(source);
    rendered.set(source, hit);
    return hit;
  }
  const html = md.render(source);
  const size = source.length + html.length;
  if (size <= KEPT_CHARS / 8) {
    rendered.set(source, html);
    keptChars += size;
    for (const [oldest, oldHtml] of rendered) {
      if (keptChars <= KEPT_CHARS) break;
      rendered.delete(oldest);
      keptChars -= oldest.length + oldHtml.length;
    }
  }
  return html;
}

/** What the rendered-text store holds (for tests). */
export function keptMarkdown(): { entries: number; chars: number } {
  return { entries: rendered.size, chars: keptChars };
}

/** The rendered HTML as a value Handlebars prints without escaping (`{{body}}`). */
export function markdownHtml(text: string): Handlebars.SafeString {
  return new Handlebars.SafeString(renderMarkdown(text));
}

/** The words of a Markdown text without its markup (for search indexes and snippets). */
export function markdownPlainText(text: string): string {
  const out: string[] = [];
  const walk = (tokens: ReturnType<typeof md.parse>) => {
    for (const token of tokens) {
      if (token.type === 'inline' && token.children) walk(token.children);
      else if (token.type === 'text' || token.type === 'code_inline') out.push(token.content);
      else if (token.type === 'fence' || token.type === 'code_block') out.push(token.content, '\n');
      else if (token.type === 'softbreak' || token.type === 'hardbreak') out.push(' ');
      else if (token.type === 'image') out.push(token.content);
      else if (/_close$/.test(token.type) && token.block) out.push(token.type === 'th_close' || token.type === 'td_close' ? ' ' : '\n');
    }
  };
  walk(md.parse(text ?? '', {}));
  return out
    .join('')
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n\s*/g, '\n')
    .trim();
}
