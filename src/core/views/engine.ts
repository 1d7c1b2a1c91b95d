import Handlebars from 'handlebars';
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

  const rootOf = (options: Handlebars.HelperOptions): Root => (options?.data as { root?: Root } | undefined)?.root ?? {};
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
  hb.registerHelper('selectedIf', (a: unknown, b: unknown) => (a != null && b != null && String(a) === String(b) ? 'selected' : ''));
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
  hb.registerHelper('concat', (...args: unknown[]) =>
    args
      .slice(0, -1)
      .map((a) => String(a ?? ''))
      .join(''),
  );
  hb.registerHelper('json', (v: unknown) => JSON.stringify(v));
  /** The lines of a text separated by "\n" (a signer's title lines), for {{#each (lines text)}}; empty lines dropped. */
  hb.registerHelper('lines', (v: unknown) =>
    typeof v === 'string'
      ? v
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter((l) => l !== '')
      : [],
  );

  const compileSource = (source: string) => hb.compile(withoutIndentation(source), { strict: false, preventIndent: true });

  const registerPartials = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) registerPartials(full);
      else if (name.endsWith('.hbs')) {
        const partialName = relative(join(viewsDir, 'partials'), full)
          .replace(/\\/g, '/')
          .replace(/\.hbs$/, '');
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
    const body = template(join(viewsDir, `${name}.hbs`))(locals);
    const layout = locals.layout === undefined ? 'main' : locals.layout;
    if (layout === false) return body;
    return template(join(viewsDir, 'layouts', `${String(layout)}.hbs`))({ ...locals, body });
  };

  /** A template from source (tests), its result as text. */
  const compile = (source: string) => compileSource(source) as (locals: Record<string, unknown>) => string;

  /** Express's engine signature. */
  const expressEngine = (filePath: string, options: object, callback: (err: unknown, html?: string) => void) => {
    try {
      const locals = options as Record<string, unknown>;
      const body = template(filePath)(locals);
      const layout = locals.layout === undefined ? 'main' : locals.layout;
      if (layout === false) return callback(null, body);
      // Express hands the engine a fresh object for each render (app, response and render locals merged).
      locals.body = body;
      callback(null, template(join(viewsDir, 'layouts', `${String(layout)}.hbs`))(locals));
    } catch (err) {
      callback(err);
    }
  };

  return { expressEngine, renderView, compile, handlebars: hb };
}
