import { vi as coreVi } from './vi';
import { en as coreEn } from './en';

/**
 * Two catalogs with the same keys: Vietnamese (default) and English. The core keys live in vi.ts and
 * en.ts; each feature keeps its own keys beside its code (features/<f>/<f>.i18n.ts), and the features'
 * wiring (src/features/catalogs.ts) adds them with addCatalogs, so core imports no feature.
 * `{name}` in a message is replaced by the parameter of that name.
 */
export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export type Catalog = Record<string, string>;

function merge(base: Catalog, parts: Catalog[], lang: Lang): Catalog {
  const out: Catalog = { ...base };
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (key in out) throw new Error(`i18n key defined twice in ${lang}: ${key}`);
      out[key] = value;
    }
  }
  return Object.freeze(out);
}

/** The catalogs in use: the core keys, then every part added with addCatalogs. */
export const catalogs: Record<Lang, Catalog> = {
  vi: merge(coreVi, [], 'vi'),
  en: merge(coreEn, [], 'en'),
};

/**
 * Adds the features' keys to the catalogs, refusing a key already defined (by core or another part); both
 * languages are checked before either changes. Called once, by src/features/catalogs.ts when it is loaded.
 */
export function addCatalogs(parts: { vi: Catalog; en: Catalog }[]): void {
  const vi = merge(
    catalogs.vi,
    parts.map((p) => p.vi),
    'vi',
  );
  const en = merge(
    catalogs.en,
    parts.map((p) => p.en),
    'en',
  );
  catalogs.vi = vi;
  catalogs.en = en;
}

export function isLang(value: unknown): value is Lang {
  return value === 'vi' || value === 'en';
}

export function translate(lang: Lang, key: string, params?: Record<string, unknown>): string {
  const message = catalogs[lang][key] ?? catalogs.vi[key] ?? key;
  // Templates always pass a (usually empty) hash: most messages have no placeholder to fill.
  if (!params || !message.includes('{')) return message;
  const parts = partsOf(message);
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i];
    const value = params[name];
    out += (value === undefined || value === null ? `{${name}}` : String(value)) + parts[i + 1];
  }
  return out;
}

/** A message split at its placeholders once: text, name, text, name, …, text (a page fills hundreds). */
const splitMessages = new Map<string, string[]>();

function partsOf(message: string): string[] {
  let parts = splitMessages.get(message);
  if (!parts) {
    parts = message.split(/\{(\w+)\}/);
    if (splitMessages.size < 10_000) splitMessages.set(message, parts);
  }
  return parts;
}
