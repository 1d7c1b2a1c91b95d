import Handlebars from 'handlebars';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { translate, type Lang } from '../i18n';
import type { FieldError } from '../http/errors';
import { formatDate, formatDateTime, formatNumber, formatPercent } from './format';

/** Elements whose text keeps its spaces and line starts (templates put their content on one line, but to be sure). */
const VERBATIM = /(<(pre|textarea|script|style)\b[\s\S]*?<\/\2\s*>)/i;

/**
 * A template without the spaces that start its lines: they were a tenth of a list page's bytes, and HTML shows a line
 * break followed by spaces as it shows the line break alone (in `white-space: pre-line` too). What lies inside the
 * elements above is left as it is.
 */
export function withoutIndentation(source: string): string {
  return source
    .split(VERBATIM)
    .map((part, i) => (i % 3 === 0 ? part.replace(/\n[ \t]+/g, '\n') : i % 3 === 1 ? part : ''))
    .join('');
}

/**
 * The Handlebars view engine: views/<name>.hbs rendered inside views/layouts/<layout>.hbs, partials
 * from views/partials (named by their path, e.g. "form/text"). Helpers read the language and time zone
 * from the render locals, so templates stay free of logic.
 */
type Root = { lang?: Lang; timeZone?: string };

export function createViewEngine(viewsDir: string, cache: boolean) {
  const hb = Handlebars.create();
  const compiled = new Map<string, Handlebars.TemplateDelegate>();

  const rootOf = (options: Handlebars.HelperOptions): Root => (options?.data?.root ?? {}) as Root;
  const langOf = (options: Handlebars.HelperOptions): Lang => rootOf(options).lang ?? 'vi';
  const tzOf = (options: Handlebars.HelperOptions) => rootOf(options).timeZone ?? 'Asia/Ho_Chi_Minh';

  hb.registerHelper('t', function (key: unknown, options: Handlebars.HelperOptions) {
    return translate(langOf(options), String(key), options.hash);
  });
  /** `{{tp "prefix." value}}` translates an enum value: prefix + value. */
  hb.registerHelper('tp', function (prefix: unknown, value: unknown, options: Handlebars.HelperOptions) {
    if (value === null || value === undefined || value === '') return '';
    return translate(langOf(options), `${String(prefix)}${String(value)}`, options.hash);
  });
  /** `{{tm key params}}`: translate with a params object (flash messages, errors). */
  hb.registerHelper('tm', function (key: unknown, params: unknown, options: Handlebars.HelperOptions) {
    return translate(langOf(options), String(key), (params ?? {}) as Record<string, unknown>);
  });
  hb.registerHelper('errorText', function (error: FieldError | undefined, options: Handlebars.HelperOptions) {
    return error ? translate(langOf(options), error.key, error.params) : '';
  });
  hb.registerHelper('date', (v: unknown, o: Handlebars.HelperOptions) => formatDate(v, tzOf(o)));
  hb.registerHelper('datetime', (v: unknown, o: Handlebars.HelperOptions) => formatDateTime(v, tzOf(o)));
  hb.registerHelper('number', (v: unknown, o: Handlebars.HelperOptions) => formatNumber(v, langOf(o)));
  hb.registerHelper('percent', (v: unknown, o: Handlebars.HelperOptions) => formatPercent(v, langOf(o)));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b || (a != null && b != null && String(a) === String(b)));
  hb.registerHelper('ne', (a: unknown, b: unknown) => !(a === b || (a != null && b != null && String(a) === String(b))));
  hb.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
  hb.registerHelper('lt', (a: unknown, b: unknown) => Number(a) < Number(b));
  hb.registerHelper('not', (a: unknown) => !a);
  hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hb.registerHelper('add', (a: unknown, b: unknown) => Number(a) + Number(b));
  hb.registerHelper('includes', (list: unknown, v: unknown) =>
    Array.isArray(list) ? list.some((x) => String(x) === String(v)) : String(list ?? '') === String(v),
  );
  /** `{{selectedIf a b}}` → "selected" when equal; `{{checkedIf cond}}` → "checked". */
  hb.registerHelper('selectedIf', (a: unknown, b: unknown) =>
    a != null && b != null && String(a) === String(b) ? 'selected' : '',
  );
  hb.registerHelper('checkedIf', (cond: unknown) => (cond ? 'checked' : ''));
  /** `{{query base key=value …}}`: the current filters with some keys replaced, as "?a=1&b=2". */
  hb.registerHelper('query', (base: unknown, options: Handlebars.HelperOptions) => {
    const params = new URLSearchParams();
    const merged = { ...(typeof base === 'object' && base ? (base as Record<string, unknown>) : {}), ...options.hash };
    for (const [k, v] of Object.entries(merged)) {
      if (v === undefined || v === null || v === '') continue;
      for (const item of Array.isArray(v) ? v : [v]) params.append(k, String(item));
    }
    const s = params.toString();
    return s ? `?${s}` : '';
  });
  hb.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map((a) => String(a ?? '')).join(''));
  hb.registerHelper('json', (v: unknown) => JSON.stringify(v));

  /**
   * `{{#keep rows}}…{{/keep}}`: the block rendered once per `rows` object (and language and time zone), then reused
   * while the same object comes back — for large parts rendered from values kept until the data changes
   * (cachedUntilChange hands out the same object until then, a new one after). The block may use only `rows`, the
   * language, the time zone and values fixed with `rows` (its period), never the user, the session or the request.
   * `{{#keep options selected}}`: also per the values after the object (a select's chosen option); at most
   * KEEP_VARIANTS of them per object are kept — values come from the query string — the others are rendered each time.
   *
   * A kept block is kept as UTF-8 bytes: the page around it is encoded for each request, the kept bytes only copied
   * (encoding a page of Vietnamese text was a sixth of the summary page's CPU). In the rendered text the block
   * stands as a mark (this engine's random nonce and the block's index in the render's list), which `forExpress`
   * and `asText` replace; a mark inside another kept block is replaced when that block is kept.
   */
  const KEEP_VARIANTS = 64;
  const kept = new WeakMap<object, Map<string, Buffer>>();
  const nonce = randomBytes(9).toString('base64url');
  const MARK = `\u0000${nonce}:`;
  const MARKS = new RegExp(`\u0000${nonce}:(\\d+)\u0000`, 'g');
  const BLOCKS = Symbol('kept blocks of this render');
  type RenderRoot = { [BLOCKS]?: Buffer[] };

  /** The rendered text as bytes, each mark replaced by its kept block. */
  const bytesOf = (html: string, blocks: Buffer[] | undefined): Buffer => {
    if (!blocks?.length || !html.includes(MARK)) return Buffer.from(html);
    const parts: Buffer[] = [];
    let from = 0;
    for (const m of html.matchAll(MARKS)) {
      if (m.index > from) parts.push(Buffer.from(html.slice(from, m.index)));
      parts.push(blocks[Number(m[1])]!);
      from = m.index + m[0].length;
    }
    if (from < html.length) parts.push(Buffer.from(html.slice(from)));
    return Buffer.concat(parts);
  };
  /**
   * A small Buffer is a slice of Node's shared 8 kB pool and would keep all of it alive as long as the block is
   * kept: a kept block gets its own memory.
   */
  const ownBytes = (bytes: Buffer): Buffer => {
    if (bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length) return bytes;
    const own = Buffer.allocUnsafeSlow(bytes.length);
    bytes.copy(own);
    return own;
  };
  /** A render's result for Express: the text as it is when it holds no kept block, else the page's bytes. */
  const forExpress = (html: string, root: RenderRoot): string | Buffer => (root[BLOCKS]?.length ? bytesOf(html, root[BLOCKS]) : html);
  /** A render's result as text (callers outside Express), each mark replaced by its kept block. */
  const asText = (html: string, root: RenderRoot): string => {
    const blocks = root[BLOCKS];
    return blocks?.length ? html.replace(MARKS, (_, i: string) => blocks[Number(i)]!.toString('utf8')) : html;
  };

  hb.registerHelper('keep', function (this: unknown, key: unknown, ...rest: unknown[]) {
    const options = rest.pop() as Handlebars.HelperOptions;
    const root = options.data?.root as RenderRoot | undefined;
    if (typeof key !== 'object' || key === null || typeof root !== 'object' || root === null) return options.fn(this);
    let byLocale = kept.get(key);
    if (!byLocale) kept.set(key, (byLocale = new Map()));
    const locale = [langOf(options), tzOf(options), ...rest.map((v) => (v === undefined || v === null ? '' : String(v)))].join('|');
    let block = byLocale.get(locale);
    if (!block) {
      block = ownBytes(bytesOf(options.fn(this), root[BLOCKS]));
      if (byLocale.size < KEEP_VARIANTS) byLocale.set(locale, block);
    }
    const blocks = (root[BLOCKS] ??= []);
    blocks.push(block);
    return new hb.SafeString(`${MARK}${blocks.length - 1}\u0000`);
  });

  const compileSource = (source: string) => hb.compile(withoutIndentation(source), { strict: false, preventIndent: true });

  const registerPartials = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) registerPartials(full);
      else if (name.endsWith('.hbs')) {
        const partialName = relative(join(viewsDir, 'partials'), full).replace(/\\/g, '/').replace(/\.hbs$/, '');
        // Compiled here, once: a partial registered as text is compiled again on every render that uses it
        // (Handlebars keeps the compiled partial only in that render's own copy of the partials).
        hb.registerPartial(partialName, compileSource(readFileSync(full, 'utf8')));
      }
    }
  };
  registerPartials(join(viewsDir, 'partials'));

  const template = (file: string) => {
    let tpl = cache ? compiled.get(file) : undefined;
    if (!tpl) {
      tpl = compileSource(readFileSync(file, 'utf8'));
      if (cache) compiled.set(file, tpl);
    }
    return tpl;
  };

  /** Renders a view by name outside Express (print, e-mail, tests). */
  const renderView = (name: string, locals: Record<string, unknown>): string => {
    const root = { ...locals } as Record<string, unknown> & RenderRoot;
    const body = template(join(viewsDir, `${name}.hbs`))(root);
    const layout = locals.layout === undefined ? 'main' : locals.layout;
    if (layout === false) return asText(body, root);
    root.body = body;
    return asText(template(join(viewsDir, 'layouts', `${String(layout)}.hbs`))(root), root);
  };

  /** A template from source (tests), its result as text. */
  const compile = (source: string) => {
    const tpl = compileSource(source);
    return (locals: Record<string, unknown>): string => {
      const root = { ...locals } as RenderRoot;
      return asText(tpl(root), root);
    };
  };

  /**
   * Express's engine signature. The page comes back as bytes when it holds kept blocks: `res.render` must then send
   * it as HTML (app.ts sets the type before rendering).
   */
  const expressEngine = (filePath: string, options: object, callback: (err: unknown, html?: string | Buffer) => void) => {
    try {
      const locals = options as Record<string, unknown> & RenderRoot;
      const body = template(filePath)(locals);
      const layout = locals.layout === undefined ? 'main' : locals.layout;
      if (layout === false) return callback(null, forExpress(body, locals));
      // Express hands the engine a fresh object for each render (app, response and render locals merged): the body
      // is added to it rather than copied with every other key into another.
      locals.body = body;
      callback(null, forExpress(template(join(viewsDir, 'layouts', `${String(layout)}.hbs`))(locals), locals));
    } catch (err) {
      callback(err);
    }
  };

  return { expressEngine, renderView, compile, handlebars: hb };
}
