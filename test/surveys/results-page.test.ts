import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type SignedIn, type TestApp } from '../support/app';
import { fetchWorkbook } from '../support/xlsx';
import { procedure, run } from '../reports/fixtures';
import { answer, questionSet, seedKnownAnswers } from './results-fixtures';
import { addOrganisation } from '../support/orgs';

/**
 * The results page /surveys/results and its exports over the known answers of results-fixtures.ts (October 2026:
 * 5 answers, 10 scores, 7 satisfied → 70 %; the figures are worked out in results-figures.test.ts), the filters, the
 * roles, the empty state, and the page-level message of a bad period.
 */
let t: TestApp;
let qo: SignedIn;
let w: Awaited<ReturnType<typeof seedKnownAnswers>>;
const OCT = 'from=2026-10-01&to=2026-10-31';

const cell = (html: string, attr: string, key: string) => {
  const row = new RegExp(`<tr ${attr}>([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
  return new RegExp(`data-key="${key}">([^<]*)<`).exec(row)?.[1];
};
const fig = (html: string, name: string) => new RegExp(`data-fig="${name}">([^<]*)<`).exec(html)?.[1];

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
});
afterAll(async () => t?.close());

describe('before any answer', () => {
  it('shows the empty state', async () => {
    const res = await qo.get(`/surveys/results?${OCT}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-empty="results"');
    expect(res.text).toContain('Chưa có phiếu khảo sát nào trong kỳ này.');
  });
});

describe('with the known answers', () => {
  beforeAll(async () => {
    w = await seedKnownAnswers(t, (code, unitId) => procedure(t, code, { unitId }));
  });

  it('shows the index, the counts, the criteria, per procedure and per unit, in Vietnamese', async () => {
    const res = await qo.get(`/surveys/results?${OCT}`);
    expect(res.status).toBe(200);
    expect([fig(res.text, 'index'), fig(res.text, 'responses'), fig(res.text, 'average'), fig(res.text, 'withComment'), fig(res.text, 'withDossier')]).toEqual([
      '70\u00a0%',
      '5',
      '3,8',
      '2',
      '2',
    ]);
    expect(fig(res.text, 'lowShare')).toBe('40\u00a0%');
    expect(cell(res.text, 'data-criterion="attitude"', 'average')).toBe('4,25');
    expect(cell(res.text, 'data-criterion="time"', 'index')).toBe('50\u00a0%');
    expect(res.text).not.toContain('data-criterion="result"');
    expect(cell(res.text, 'data-procedure="P-A"', 'index')).toBe('57,14\u00a0%');
    expect(cell(res.text, 'data-unit="VP"', 'index')).toBe('83,33\u00a0%');
    expect(cell(res.text, 'data-unit=""', 'index')).toBe('Chưa có số liệu');
    expect(res.text).toMatch(/data-table="questions" data-version="1"/);
    expect(res.text).toMatch(/data-table="questions" data-version="2"/);
  });

  it('escapes the comments and draws the monthly chart as SVG without inline style or script', async () => {
    const res = await qo.get(`/surveys/results?from=2026-09-01&to=2026-11-30`);
    expect(res.text).toContain('&lt;b&gt;Chờ lâu&lt;/b&gt;');
    expect(res.text).not.toContain('<b>Chờ lâu</b>');
    expect(res.text).toContain('Rất tốt');
    const svg = /<svg[^>]*aria-labelledby="chart-survey-index-title[\s\S]*?<\/svg>/.exec(res.text)?.[0] ?? '';
    expect(svg).toContain('<title id="chart-survey-index-title">Chỉ số hài lòng theo tháng</title>');
    expect(svg).not.toMatch(/style=|<script/);
    // three months: September 0 %, October 70 %, November 0 %
    expect(res.text).toContain('09/2026');
    expect(res.text).toContain('11/2026');
  });

  it('filters by procedure and by unit', async () => {
    const pa = await qo.get(`/surveys/results?${OCT}&procedure=${w.pa}`);
    expect([fig(pa.text, 'index'), fig(pa.text, 'responses')]).toEqual(['57,14\u00a0%', '3']);
    const main = await qo.get(`/surveys/results?${OCT}&unit=${t.units.main}`);
    expect([fig(main.text, 'index'), fig(main.text, 'responses')]).toEqual(['50\u00a0%', '2']);
  });

  it('answers 400 with the page-level message to a bad period or a procedure not of the organisation', async () => {
    for (const q of ['from=2026-13-01&to=2026-10-31', 'from=2026-10-31&to=2026-10-01', `${OCT}&procedure=999999`, `${OCT}&unit=abc`]) {
      const res = await qo.get(`/surveys/results?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.text, q).toMatch(/class="alert alert-error" role="alert"/);
    }
    expect((await qo.get('/surveys/results.csv?from=2026-10-31&to=2026-10-01')).status).toBe(400);
  });

  it('speaks English too', async () => {
    const res = await qo.get(`/surveys/results?${OCT}&lang=en`);
    expect(res.text).toContain('Satisfaction index');
    expect(fig(res.text, 'index')).toBe('70%');
  });

  it('exports the same figures as CSV and XLSX', async () => {
    const csv = await qo.get(`/surveys/results.csv?${OCT}&lang=vi`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'from,to,scope,key,name,responses,scores,satisfied,index,average,average_information,average_procedure,average_attitude,average_time,average_result,average_other',
    );
    expect(lines[1]).toBe('2026-10-01,2026-10-31,total,,Tổng,5,10,7,70,3.8,4,,4.25,2.5,,');
    expect(lines).toContain('2026-10-01,2026-10-31,procedure,P-A,Quy trình P-A,3,7,4,57.14,3.43,3.67,,4,1,,');
    expect(lines).toContain('2026-10-01,2026-10-31,unit,,Chưa gắn đơn vị,1,0,0,,,,,,,,');
    expect(lines).toContain('2026-10-01,2026-10-31,month,2026-10,10/2026,5,10,7,70,3.8,4,,4.25,2.5,,');
    const { status, wb } = await fetchWorkbook(qo, `/surveys/results.xlsx?${OCT}`);
    expect(status).toBe(200);
    const ws = wb!.worksheets[0];
    expect(ws.name).toBe('Kết quả khảo sát');
    expect(ws.getRow(2).getCell(9).value).toBe(70);
    expect(ws.getRow(2).getCell(10).value).toBe(3.8);
  });

  it('is read by the managers and the inspector, not by staff; each organisation sees its own answers', async () => {
    const staff = await t.signIn('staff');
    expect((await staff.get(`/surveys/results?${OCT}`)).status).toBe(403);
    expect((await staff.get(`/surveys/results.csv?${OCT}`)).status).toBe(403);
    for (const role of ['leader', 'admin'] as const) expect((await (await t.signIn(role)).get(`/surveys/results?${OCT}`)).status).toBe(200);
    // organisation B: one answer in October, scored 1 → 0 %; A's figures do not move, B's inspector reads B's
    const b = await addOrganisation(t, 'B', { inspector: true });
    const set = await questionSet(t, 1, 'active', ['result'], b.id);
    const pb = await run(
      t,
      `insert into procedures (code, title, field, online_level, unit_id, on_time_target, search_text, created_at, updated_at, organisation_id)
       values ('B-1', 'Thủ tục B', 'Khác', 'none', ?, 1, 'b-1', ?, ?, ?)`,
      b.units.main,
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:00:00Z',
      b.id,
    );
    await answer(t, { procedureId: pb, unitId: b.units.main, set, on: '2026-10-05', scores: [1], org: b.id });
    expect(fig((await qo.get(`/surveys/results?${OCT}&lang=vi`)).text, 'responses')).toBe('5');
    const inspector = await t.signIn(b.usernames.inspector);
    const res = await inspector.get(`/surveys/results?${OCT}&lang=vi`);
    expect(res.status).toBe(200);
    expect([fig(res.text, 'responses'), fig(res.text, 'index')]).toEqual(['1', '0\u00a0%']);
    // a procedure of A is not one of B's: 400
    expect((await inspector.get(`/surveys/results?${OCT}&procedure=${w.pa}`)).status).toBe(400);
  });
});
