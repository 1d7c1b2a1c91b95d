/**
 * A small HTML reader for the security suites: tags with their attributes, forms with their fields,
 * links, and a check that nothing a user typed became markup (stored or reflected XSS).
 * It is deliberately strict: it tokenises everything that looks like a tag, even inside <textarea>,
 * so text that was not escaped shows up as a tag.
 */

export interface Tag {
  name: string;
  closing: boolean;
  attrs: [string, string | undefined][];
  /** Offset of '<' and just past '>' in the document. */
  start: number;
  end: number;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[body.toLowerCase()] ?? whole;
  });
}

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

export function parseTags(html: string): Tag[] {
  const tags: Tag[] = [];
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, (c) => ' '.repeat(c.length));
  for (const m of withoutComments.matchAll(TAG)) {
    const attrs: [string, string | undefined][] = [];
    for (const a of (m[3] ?? '').matchAll(ATTR)) {
      const raw = a[2] ?? a[3] ?? a[4];
      attrs.push([a[1].toLowerCase(), raw === undefined ? undefined : decodeEntities(raw)]);
    }
    tags.push({ name: m[2].toLowerCase(), closing: m[1] === '/', attrs, start: m.index, end: m.index + m[0].length });
  }
  return tags;
}

export const attr = (tag: Tag, name: string): string | undefined => tag.attrs.find(([n]) => n === name)?.[1];
export const hasAttr = (tag: Tag, name: string): boolean => tag.attrs.some(([n]) => n === name);

export interface FormField {
  name: string;
  /** input type (text, hidden, date, …), or 'textarea' / 'select'. */
  type: string;
  value: string;
  checked: boolean;
  options: string[];
  multiple: boolean;
  maxlength?: number;
  min?: string;
  max?: string;
  required: boolean;
}

export interface HtmlForm {
  method: 'GET' | 'POST';
  /** Path (with query) the form submits to, resolved against the page. */
  action: string;
  enctype: string;
  fields: FormField[];
}

/** Every form on the page with its named fields, in document order. */
export function parseForms(html: string, pageUrl: string): HtmlForm[] {
  const tags = parseTags(html);
  const forms: HtmlForm[] = [];
  let current: HtmlForm | undefined;
  let select: FormField | undefined;
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i];
    if (tag.name === 'form') {
      if (tag.closing) {
        current = undefined;
        continue;
      }
      const action = attr(tag, 'action') ?? '';
      const url = new URL(action === '' ? pageUrl : action, new URL(pageUrl, 'http://local'));
      current = {
        method: (attr(tag, 'method') ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET',
        action: `${url.pathname}${url.search}`,
        enctype: attr(tag, 'enctype') ?? 'application/x-www-form-urlencoded',
        fields: [],
      };
      forms.push(current);
      continue;
    }
    if (!current || tag.closing) {
      if (tag.name === 'select' && tag.closing) select = undefined;
      continue;
    }
    const name = attr(tag, 'name');
    const common = () => ({
      maxlength: attr(tag, 'maxlength') ? Number(attr(tag, 'maxlength')) : undefined,
      min: attr(tag, 'min'),
      max: attr(tag, 'max'),
      required: hasAttr(tag, 'required'),
    });
    if (tag.name === 'input' && name) {
      const type = (attr(tag, 'type') ?? 'text').toLowerCase();
      if (type === 'submit' || type === 'button' || type === 'reset' || type === 'image') continue;
      current.fields.push({
        name,
        type,
        value: attr(tag, 'value') ?? (type === 'checkbox' || type === 'radio' ? 'on' : ''),
        checked: hasAttr(tag, 'checked'),
        options: [],
        multiple: hasAttr(tag, 'multiple'),
        ...common(),
      });
    } else if (tag.name === 'textarea' && name) {
      const close = tags.slice(i + 1).find((t) => t.name === 'textarea' && t.closing);
      const text = close ? decodeEntities(html.slice(tag.end, close.start)).replace(/^\n/, '') : '';
      current.fields.push({ name, type: 'textarea', value: text, checked: false, options: [], multiple: false, ...common() });
    } else if (tag.name === 'select' && name) {
      select = { name, type: 'select', value: '', checked: false, options: [], multiple: hasAttr(tag, 'multiple'), ...common() };
      current.fields.push(select);
    } else if (tag.name === 'option' && select) {
      let value = attr(tag, 'value');
      if (value === undefined) {
        const close = tags.slice(i + 1).find((t) => t.name === 'option' || t.name === 'select');
        value = decodeEntities(html.slice(tag.end, close?.start ?? tag.end)).trim();
      }
      select.options.push(value);
      if (hasAttr(tag, 'selected') && !select.value) select.value = value;
    }
  }
  return forms;
}

/** Same-site links (href of <a>) as paths with query, without fragments. */
export function parseLinks(html: string, pageUrl: string): string[] {
  const out = new Set<string>();
  for (const tag of parseTags(html)) {
    if (tag.closing || tag.name !== 'a') continue;
    const href = attr(tag, 'href');
    if (!href || href.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) continue;
    const url = new URL(href, new URL(pageUrl, 'http://local'));
    if (url.host !== 'local') continue;
    out.add(`${url.pathname}${url.search}`);
  }
  return [...out];
}

/** Names of the fields a 422 page marks as wrong (aria-invalid on the control, or a has-error wrapper). */
export function fieldsWithErrors(html: string): string[] {
  const out = new Set<string>();
  let wrapperWithError = false;
  for (const tag of parseTags(html)) {
    if (tag.closing) continue;
    if (/\bhas-error\b/.test(attr(tag, 'class') ?? '')) wrapperWithError = true;
    const name = attr(tag, 'name');
    if (!name || !['input', 'select', 'textarea'].includes(tag.name)) continue;
    if (attr(tag, 'aria-invalid') === 'true' || wrapperWithError) out.add(name);
    wrapperWithError = false;
  }
  return [...out];
}

/** A made-up element the payloads carry: if it ever parses as a tag, user text became markup. */
export const PROBE_TAG = 'qms-xss';

const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'srcset', 'cite']);

/**
 * Markup a user could have smuggled in: an event-handler attribute, a script without src (CSP would block it,
 * but it must not be there), a script: URL in a link/source attribute, srcdoc, or any tag that carries one of
 * the probe element the payloads carry. Returns one line per problem (empty = clean).
 */
export function injectedMarkup(html: string): string[] {
  const problems: string[] = [];
  const tags = parseTags(html);
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i];
    if (tag.closing) continue;
    const snippet = html.slice(tag.start, Math.min(tag.end, tag.start + 160));
    for (const [name, value] of tag.attrs) {
      if (name.startsWith('on')) problems.push(`event handler attribute: ${snippet}`);
      if (name === 'srcdoc') problems.push(`srcdoc attribute: ${snippet}`);
      if (name === 'style' && value && /expression|url\s*\(/i.test(value)) problems.push(`style with url/expression: ${snippet}`);
      if (URL_ATTRS.has(name) && value !== undefined) {
        // eslint-disable-next-line no-control-regex -- control characters are what this pattern looks for
        const squeezed = value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
        if (/^(javascript|vbscript|livescript):/.test(squeezed) || /^data:text\/html/.test(squeezed)) problems.push(`script URL in ${name}: ${snippet}`);
      }
    }
    if (tag.name === 'script') {
      const close = tags.slice(i + 1).find((t) => t.name === 'script' && t.closing);
      const body = close ? html.slice(tag.end, close.start) : html.slice(tag.end);
      if (!hasAttr(tag, 'src') || body.trim() !== '') problems.push(`inline script: ${snippet}`);
    }
    if (['iframe', 'object', 'embed', 'base', 'frame', 'frameset', 'applet'].includes(tag.name)) problems.push(`<${tag.name}> element: ${snippet}`);
    if (tag.name === 'meta' && (attr(tag, 'http-equiv') ?? '').toLowerCase() === 'refresh') problems.push(`meta refresh: ${snippet}`);
    if (tag.name === PROBE_TAG) problems.push(`probe element from a payload: ${snippet}`);
  }
  if (/<script>alert/i.test(html)) problems.push('raw <script>alert in the page');
  return problems;
}

/** Visible text of a page, roughly (for assertions on what a page shows). */
export function textOf(html: string): string {
  return decodeEntities(
    html
      .replace(/<script[\s\S]*?<\/script>/gi, ' ')
      .replace(/<style[\s\S]*?<\/style>/gi, ' ')
      .replace(/<[^>]+>/g, ' '),
  ).replace(/\s+/g, ' ');
}

/**
 * Markup problems of a response: HTML is read for injected markup; anything else must not be served as HTML
 * (a CSV or JSON export carries user text as data, which is fine as long as no browser renders it as a page).
 */
export function responseMarkupProblems(res: { status: number; text?: string; headers: Record<string, unknown> }): string[] {
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('text/html')) return injectedMarkup(res.text ?? '');
  if (
    type &&
    !/^(application\/json|text\/csv|application\/vnd\.|application\/pdf|application\/octet-stream|image\/|text\/plain|text\/css|application\/javascript)/.test(
      type,
    )
  )
    return [`unexpected content type ${type}`];
  if (res.headers['x-content-type-options'] !== 'nosniff') return ['non-HTML response without nosniff'];
  return [];
}
