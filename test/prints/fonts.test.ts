import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app';

/**
 * The prints' typeface does not depend on the fonts installed (issue 25): "QMS Serif" is Times New Roman where the
 * machine has it, else Tinos (metric-compatible, SIL OFL) served by the app — for every subset a Vietnamese text
 * needs, in the four faces — and never a wider serif.
 */
let t: TestApp;
const css = readFileSync(join(import.meta.dirname, '../../views/public/app.css'), 'utf8');
const rules = [...css.matchAll(/@font-face \{ font-family: "QMS Serif";[^}]*\}/g)].map((m) => m[0]);

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('the QMS Serif typeface', () => {
  it('has a rule per face and subset: Times New Roman first, then the shipped Tinos, nothing wider', () => {
    expect(rules).toHaveLength(12);
    for (const weight of ['400', '700'])
      for (const style of ['normal', 'italic'])
        for (const subset of ['vietnamese', 'latin-ext', 'latin']) {
          const rule = rules.find(
            (r) => r.includes(`font-weight: ${weight};`) && r.includes(`font-style: ${style};`) && r.includes(`tinos-${subset}-${weight}-${style}.woff2`),
          );
          expect(rule, `${weight} ${style} ${subset}`).toBeDefined();
          expect(rule).toMatch(/src: local\("Times New Roman[^"]*"\), local\("TimesNewRomanPS[^"]*"\), url\("\/static\/fonts\/tinos-/);
          expect(rule).toContain(`url("/static/fonts/tinos-${subset}-${weight}-${style}.woff2") format("woff2")`);
        }
    expect(rules.join('\n')).not.toMatch(/DejaVu|Noto Serif/);
    // the Vietnamese subset's range covers the letters with two diacritics (ạ … ỹ) and đ
    expect(rules.find((r) => r.includes('tinos-vietnamese-400-normal'))).toMatch(/U\+0110-0111.*U\+1EA0-1EF9/);
  });

  it('is served: every file the rules name, as font/woff2, cached for long', async () => {
    const urls = [...new Set(rules.flatMap((r) => [...r.matchAll(/url\("([^"]+)"\)/g)].map((m) => m[1])))];
    expect(urls).toHaveLength(12);
    for (const url of urls) {
      const res = await request(t.app).get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers['content-type'], url).toBe('font/woff2');
      expect(res.headers['cache-control'], url).toContain('max-age=2592000');
      expect((res.body as Buffer).subarray(0, 4).toString('latin1'), url).toBe('wOF2');
    }
  });

  it('serves nothing else from the font folder but its files, and no listing', async () => {
    expect((await request(t.app).get('/static/fonts/')).status).toBe(404);
    expect((await request(t.app).get('/static/fonts/../package.json')).status).toBe(404);
  });
});
