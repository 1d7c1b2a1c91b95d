import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VIEWS_DIR } from '../../src/app';
import { createViewEngine, withoutIndentation } from '../../src/core/views/engine';
import { importProcedures } from '../../src/features/procedures/procedures.import';
import { createTestApp } from '../support/app';

/**
 * `{{#keep rows}}`: a block rendered once per object, language and time zone (views/engine.ts). A counting helper
 * shows how many times the block really ran.
 */
describe('the keep block helper', () => {
  const engine = createViewEngine(VIEWS_DIR, true);
  let renders = 0;
  engine.handlebars.registerHelper('counted', () => String(++renders));
  const page = engine.compile('{{#keep rows}}<ul>{{#each rows}}<li>{{this}} {{t "form.save"}}</li>{{/each}}</ul>#{{counted}}{{/keep}} {{user}}');

  it('renders the block once per object, and again for a new object, a language or a time zone', () => {
    const rows = ['a', '<b>'];
    const first = page({ rows, lang: 'vi', timeZone: 'Asia/Ho_Chi_Minh', user: 'An' });
    expect(first).toBe('<ul><li>a Lưu</li><li>&lt;b&gt; Lưu</li></ul>#1 An');
    // The same rows: the kept block (#1) while what lies outside it is rendered for this request.
    expect(page({ rows, lang: 'vi', timeZone: 'Asia/Ho_Chi_Minh', user: 'Bình' })).toBe('<ul><li>a Lưu</li><li>&lt;b&gt; Lưu</li></ul>#1 Bình');
    expect(page({ rows, lang: 'en', timeZone: 'Asia/Ho_Chi_Minh', user: 'An' })).toBe('<ul><li>a Save</li><li>&lt;b&gt; Save</li></ul>#2 An');
    expect(page({ rows, lang: 'vi', timeZone: 'UTC', user: 'An' })).toContain('#3');
    // A new object (the data changed): rendered again, even with equal contents.
    expect(page({ rows: ['a', '<b>'], lang: 'vi', timeZone: 'Asia/Ho_Chi_Minh', user: 'An' })).toContain('#4');
    expect(page({ rows, lang: 'vi', timeZone: 'Asia/Ho_Chi_Minh', user: 'An' })).toContain('#1');
  });

  it('renders every time when given no object', () => {
    const before = renders;
    page({ rows: undefined, lang: 'vi', user: 'An' });
    page({ rows: undefined, lang: 'vi', user: 'An' });
    expect(renders).toBe(before + 2);
  });

  it('keeps one rendering per value given after the object (a chosen option), at most 64 of them', () => {
    const select = engine.compile('{{#keep options chosen}}{{#each options}}<option{{#if (eq this ../chosen)}} selected{{/if}}>{{this}}</option>{{/each}}#{{counted}}{{/keep}}');
    const options = ['a', 'b'];
    const at = (chosen: string) => select({ options, chosen, lang: 'vi' });
    const first = renders + 1;
    expect(at('a')).toBe(`<option selected>a</option><option>b</option>#${first}`);
    expect(at('b')).toBe(`<option>a</option><option selected>b</option>#${first + 1}`);
    expect(at('a')).toBe(`<option selected>a</option><option>b</option>#${first}`);
    // Values typed into a query string: beyond 64 kept renderings the block is rendered each time, still right.
    for (let i = 0; i < 70; i++) at(`x${i}`);
    const beyond = renders;
    expect(at('x69')).toBe(`<option>a</option><option>b</option>#${beyond + 1}`);
    expect(at('b')).toContain(`#${first + 1}`);
  });

  it('keeps a block inside a kept block, and a kept block of another language inside it', () => {
    const nested = engine.compile('{{#keep outer}}[{{#each outer}}{{this}}{{/each}} {{#keep inner}}({{#each inner}}{{t "form.save"}}{{/each}}#{{counted}}){{/keep}}]#{{counted}}{{/keep}}|{{#keep inner}}({{#each inner}}{{t "form.save"}}{{/each}}#{{counted}}){{/keep}}');
    const outer = ['ă', 'b'];
    const inner = [1];
    const n = renders;
    // The inner block is rendered once, inside the outer one; the second use takes the kept one.
    expect(nested({ outer, inner, lang: 'vi' })).toBe(`[ăb (Lưu#${n + 1})]#${n + 2}|(Lưu#${n + 1})`);
    expect(nested({ outer, inner, lang: 'vi' })).toBe(`[ăb (Lưu#${n + 1})]#${n + 2}|(Lưu#${n + 1})`);
    expect(renders).toBe(n + 2);
    expect(nested({ outer, inner, lang: 'en' })).toBe(`[ăb (Save#${n + 3})]#${n + 4}|(Save#${n + 3})`);
  });

  it('leaves text that looks like a kept block\'s mark as it is', () => {
    const one = engine.compile('{{#keep rows}}<b>{{#each rows}}{{this}}{{/each}}</b>{{/keep}}{{text}}');
    const text = '\u0000abc:0\u0000 x';
    expect(one({ rows: ['a'], text, lang: 'vi' })).toBe(`<b>a</b>${text}`);
  });

  it('sends a page with kept blocks through Express as HTML, its kept bytes in place', async () => {
    const t = await createTestApp();
    try {
      const file = join(t.dir, 'p.tsv');
      writeFileSync(file, 'code\ttitle\tfield\tprocessing_days\tunit\nQT-Đ-01\tĐăng ký <b>hưởng</b> trợ cấp\tBảo trợ xã hội\t5\tLĐTBXH\n');
      await importProcedures(t.ctx, { path: file }, 'p.tsv', t.users.quality_officer);
      const staff = await t.signIn('staff');
      for (const round of [1, 2]) {
        const res = await staff.get('/procedures');
        expect(res.status, `round ${round}`).toBe(200);
        expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
        expect(res.text).toContain('Đăng ký &lt;b&gt;hưởng&lt;/b&gt; trợ cấp');
        expect(res.text).not.toContain('\u0000');
        expect(res.text.endsWith('</html>\n')).toBe(true);
      }
    } finally {
      await t.close();
    }
  });
});

describe('templates without indentation', () => {
  it('drops the spaces that start a line, except inside pre, textarea, script and style', () => {
    expect(withoutIndentation('<ul>\n  <li>a</li>\n\t\t<li>b  c</li>\n</ul>')).toBe('<ul>\n<li>a</li>\n<li>b  c</li>\n</ul>');
    expect(withoutIndentation('<div>\n  <pre>x\n  y</pre>\n  <TEXTAREA name="n">\n  q\n</TEXTAREA >\n  z</div>')).toBe('<div>\n<pre>x\n  y</pre>\n<TEXTAREA name="n">\n  q\n</TEXTAREA >\nz</div>');
  });

  it('renders a view with its block helpers as before, only without the indentation', () => {
    const engine = createViewEngine(VIEWS_DIR, true);
    const list = engine.compile('<ul>\n  {{#each rows}}\n    <li>{{this}}</li>\n  {{/each}}\n</ul>');
    expect(list({ rows: ['a', 'b'], lang: 'vi' })).toBe('<ul>\n<li>a</li>\n<li>b</li>\n</ul>');
  });
});
