import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitResponse } from '../../src/features/surveys/surveys.service';
import { createTestApp, one, run, type SignedIn, type TestApp } from '../support/app';
import { fieldsWithErrors, textOf } from '../support/html';
import { addOrganisation } from '../support/orgs';
import { procedure } from '../reports/fixtures';
import { defaultSet } from './support';

/**
 * The answers list for the quality officer: period and procedure filters, each answer's scores and comment, and
 * discarding spam with a required reason (audit-logged; the answer stays, marked, and the trigger refuses any other
 * change). Answers are written through the service at known instants.
 */
let t: TestApp;
let qo: SignedIn;
let leader: SignedIn;
let staff: SignedIn;
let q: number[];
const ids: Record<string, number> = {};

const give = async (key: string, code: string, at: string, scores: [number, number][], comment: string | null = null) =>
  (ids[key] = await submitResponse(
    t.ctx.db,
    { procedureCode: code, scores: new Map(scores.map(([i, s]) => [q[i], s])), dossierCode: null, comment, counter: null, language: 'vi' },
    new Date(at),
    'Asia/Ho_Chi_Minh',
  ));

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  leader = await t.signIn('leader');
  staff = await t.signIn('staff');
  await procedure(t, 'P-A', { unitId: t.units.main });
  await procedure(t, 'P-B');
  ({ questions: q } = await defaultSet(t));
  await give('sep', 'P-A', '2026-09-30T16:59:00Z', [[0, 5]]); // 23:59 on 30 September, local
  await give(
    'oct1',
    'P-A',
    '2026-09-30T17:00:00Z',
    [
      [0, 4],
      [2, 2],
    ],
    'Phải chờ lâu.',
  ); // 00:00 on 1 October, local
  await give('oct2', 'P-B', '2026-10-15T03:00:00Z', [[1, 5]]);
  await give('spam', 'P-A', '2026-10-20T03:00:00Z', [], 'Mua hàng giá rẻ tại <a href="x">đây</a>');
  // another organisation's answer is never listed
  const other = await addOrganisation(t, 'KHAC');
  await run(
    t,
    `insert into procedures (code, title, field, online_level, on_time_target, search_text, created_at, updated_at, organisation_id)
     values ('P-A', 'Thủ tục khác', 'X', 'none', 1, 'p-a', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', ?)`,
    other.id,
  );
  await defaultSet({ ...t, ctx: other.ctx });
  await submitResponse(
    other.ctx.db,
    { procedureCode: 'P-A', scores: new Map(), dossierCode: null, comment: 'Của cơ quan khác', counter: null, language: 'vi' },
    new Date('2026-10-10T03:00:00Z'),
    'Asia/Ho_Chi_Minh',
  );
});
afterAll(async () => t?.close());

const listed = (html: string) => [...html.matchAll(/data-answer="(\d+)"/g)].map((m) => Number(m[1]));

describe('the answers list', () => {
  it('lists the period’s answers by local date, the latest first, with scores and comment, escaped', async () => {
    const res = await leader.get('/surveys/responses?from=2026-10-01&to=2026-10-31');
    expect(res.status).toBe(200);
    expect(listed(res.text)).toEqual([ids.spam, ids.oct2, ids.oct1]);
    expect(res.text).toContain('data-score="1:4"');
    expect(res.text).toContain('data-score="3:2"');
    expect(textOf(res.text)).toContain('Phải chờ lâu.');
    expect(res.text).toContain('Mua hàng giá rẻ tại &lt;a href&#x3D;&quot;x&quot;&gt;đây&lt;/a&gt;');
    expect(textOf(res.text)).toContain('3 phiếu trong kỳ.');
    expect(textOf(res.text)).not.toContain('Của cơ quan khác');
    // the leader reads, does not discard
    expect(res.text).not.toContain('/discard');
  });

  it('filters by procedure', async () => {
    const p = await one<{ id: number }>(t, "select id from procedures where code = 'P-B' and organisation_id = 1");
    const res = await qo.get(`/surveys/responses?from=2026-09-01&to=2026-10-31&procedure=${p!.id}`);
    expect(listed(res.text)).toEqual([ids.oct2]);
    const sep = await qo.get('/surveys/responses?from=2026-09-01&to=2026-09-30');
    expect(listed(sep.text)).toEqual([ids.sep]);
  });

  it('is not for staff', async () => {
    expect((await staff.get('/surveys/responses')).status).toBe(403);
    expect((await staff.post(`/surveys/responses/${ids.spam}/discard`, { discard_reason: 'Rác' })).status).toBe(403);
    expect((await leader.post(`/surveys/responses/${ids.spam}/discard`, { discard_reason: 'Rác' })).status).toBe(403);
  });
});

describe('discarding an answer', () => {
  it('needs a reason, shown next to the field', async () => {
    const back = '/surveys/responses?from=2026-10-01&to=2026-10-31&page=1';
    const res = await qo.post(`/surveys/responses/${ids.spam}/discard`, { discard_reason: '  ', back });
    expect(res.status).toBe(422);
    expect(fieldsWithErrors(res.text)).toEqual(['discard_reason']);
    expect(listed(res.text)).toEqual([ids.spam, ids.oct2, ids.oct1]);
    expect(await one(t, 'select status from survey_responses where id = ?', ids.spam)).toEqual({ status: 'counted' });
  });

  it('keeps the answer, marked discarded with the reason, audit-logged; a second discard is refused', async () => {
    const back = '/surveys/responses?from=2026-10-01&to=2026-10-31&page=1';
    const res = await qo.post(`/surveys/responses/${ids.spam}/discard`, { discard_reason: 'Quảng cáo', back });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${back}#answer-${ids.spam}`);
    const row = await one<Record<string, unknown>>(t, 'select status, discard_reason, discarded_by, discarded_at from survey_responses where id = ?', ids.spam);
    expect(row).toEqual({ status: 'discarded', discard_reason: 'Quảng cáo', discarded_by: t.users.quality_officer, discarded_at: '2026-11-26T02:00:00.000Z' });
    const audit = await one<Record<string, unknown>>(
      t,
      "select user_id, action, reason from audit_log where entity = 'survey_response' and entity_id = ? and action = 'discard'",
      String(ids.spam),
    );
    expect(audit).toEqual({ user_id: t.users.quality_officer, action: 'discard', reason: 'Quảng cáo' });
    const page = await qo.get(back);
    expect(page.text).toMatch(new RegExp(`data-answer="${ids.spam}" data-status="discarded"`));
    expect(textOf(page.text)).toContain('Đã loại bỏ');
    expect((await qo.post(`/surveys/responses/${ids.spam}/discard`, { discard_reason: 'Lần nữa' })).status).toBe(409);
    await expect(run(t, "update survey_responses set comment = 'x' where id = ?", ids.oct1)).rejects.toThrow(/does not change/);
    await expect(run(t, 'delete from survey_responses where id = ?', ids.oct1)).rejects.toThrow(/never deleted/);
    expect((await qo.post('/surveys/responses/999999/discard', { discard_reason: 'x' })).status).toBe(404);
  });
});
