import { describe, expect, it } from 'vitest';
import { VIEWS_DIR } from '../../src/app';
import { createViewEngine } from '../../src/core/views/engine';

/**
 * `{{#keep rows}}`: a block rendered once per object, language and time zone (views/engine.ts). A counting helper
 * shows how many times the block really ran.
 */
describe('the keep block helper', () => {
  const engine = createViewEngine(VIEWS_DIR, true);
  let renders = 0;
  engine.handlebars.registerHelper('counted', () => String(++renders));
  const page = engine.handlebars.compile('{{#keep rows}}<ul>{{#each rows}}<li>{{this}} {{t "form.save"}}</li>{{/each}}</ul>#{{counted}}{{/keep}} {{user}}');

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
    const select = engine.handlebars.compile('{{#keep options chosen}}{{#each options}}<option{{#if (eq this ../chosen)}} selected{{/if}}>{{this}}</option>{{/each}}#{{counted}}{{/keep}}');
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
});
