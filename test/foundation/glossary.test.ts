import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/features/catalogs';
import { catalogs, type Lang } from '../../src/core/i18n';
import { GLOSSARY, normaliseTerm, term } from '../../src/core/i18n/glossary';

/**
 * One vocabulary (issue 20): every catalog string uses the glossary's term for each concept it names.
 * - no Vietnamese string contains a concept's `avoid` variants (case and Unicode-form insensitive), no English one
 *   its `avoidEn` variants, except beside the term itself as its former name ("toàn trình (Mức độ 4)");
 * - a Vietnamese string containing a concept's `marker` contains the term itself ("bưu chính" → "bưu chính công ích");
 * - the keys listed for a concept read exactly the term, in both languages, and the catalog refers to the glossary.
 */

/** The catalog a key belongs to: its first segment (reports.…, dossiers.…), core for the core keys. */
const catalogOf = (key: string) => key.split('.')[0];

interface Violation {
  catalog: string;
  key: string;
  lang: Lang;
  rule: string;
}

function violations(): Violation[] {
  const out: Violation[] = [];
  for (const lang of ['vi', 'en'] as const) {
    for (const [key, value] of Object.entries(catalogs[lang])) {
      const text = normaliseTerm(value);
      for (const concept of GLOSSARY) {
        const avoid = lang === 'vi' ? concept.avoid : (concept.avoidEn ?? []);
        // A variant may stand beside the term as its former name ("toàn trình (Mức độ 4)"), never instead of it.
        const hasTerm = text.includes(normaliseTerm(concept[lang]));
        for (const variant of avoid) {
          if (!hasTerm && text.includes(normaliseTerm(variant)))
            out.push({ catalog: catalogOf(key), key, lang, rule: `${concept.id}: “${variant}” → “${concept[lang]}”` });
        }
        if (lang === 'vi' && concept.marker && text.includes(normaliseTerm(concept.marker)) && !text.includes(normaliseTerm(concept.vi))) {
          out.push({ catalog: catalogOf(key), key, lang, rule: `${concept.id}: “${concept.marker}” without “${concept.vi}”` });
        }
      }
    }
    for (const concept of GLOSSARY) {
      for (const key of concept.keys ?? []) {
        const value = catalogs[lang][key];
        if (value === undefined || normaliseTerm(value) !== normaliseTerm(concept[lang])) {
          out.push({ catalog: catalogOf(key), key, lang, rule: `${concept.id}: reads “${value}”, not “${concept[lang]}”` });
        }
      }
    }
  }
  return out;
}

const all = violations();
const line = (v: Violation) => `${v.lang} ${v.key}: ${v.rule}`;

describe('glossary', () => {
  it('has one entry per concept, with terms in both languages', () => {
    const ids = GLOSSARY.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of GLOSSARY) {
      expect(c.vi.trim()).not.toBe('');
      expect(c.en.trim()).not.toBe('');
      // A concept never avoids its own term.
      for (const variant of c.avoid) expect(normaliseTerm(c.vi).includes(normaliseTerm(variant))).toBe(false);
    }
    expect(term('quality_officer').vi).toBe('Cán bộ phụ trách ISO');
    expect(() => term('no_such_concept')).toThrow(/unknown concept/);
  });

  it('is followed by every catalog', () => {
    expect(all.map(line)).toEqual([]);
  });

  it('catches a variant whatever its case and Unicode form', () => {
    // "Thư ký ISO" in NFD and upper case still matches the avoided "thư ký ISO".
    const nfd = 'Trình THƯ KÝ ISO phê duyệt'.normalize('NFD');
    expect(normaliseTerm(nfd).includes(normaliseTerm('thư ký ISO'))).toBe(true);
  });

  it('is referred to by the catalogs for roles, statuses, types and findings (not restated)', () => {
    const sources = [
      'src/core/i18n/vi.ts',
      'src/core/i18n/en.ts',
      'src/features/nonconformities/nonconformities.i18n.vi.ts',
      'src/features/nonconformities/nonconformities.i18n.en.ts',
      'src/features/nonconformities/nonconformities.actions.i18n.ts',
      'src/features/audits/audits.i18n.vi.ts',
      'src/features/audits/audits.i18n.en.ts',
      'src/features/documents/documents.i18n.vi.ts',
      'src/features/documents/documents.i18n.en.ts',
    ].map((file) => readFileSync(join(process.cwd(), file), 'utf8'));
    const text = sources.join('\n');
    const notReferred: string[] = [];
    for (const concept of GLOSSARY) {
      for (const key of concept.keys ?? []) {
        if (!text.includes(`'${key}': term('${concept.id}')`)) notReferred.push(key);
      }
    }
    expect(notReferred).toEqual([]);
  });

  it('reaches the views: no template writes a Vietnamese word outside the catalogs', () => {
    // Templates say every word through {{t "key"}}; an avoided variant in a .hbs file would bypass this test.
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.hbs')) {
          const text = normaliseTerm(readFileSync(path, 'utf8'));
          for (const c of GLOSSARY) for (const v of c.avoid) if (text.includes(normaliseTerm(v))) found.push(`${path}: ${v}`);
        }
      }
    };
    walk(join(process.cwd(), 'views'));
    expect(found).toEqual([]);
  });
});
