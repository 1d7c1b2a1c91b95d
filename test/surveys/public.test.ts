import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { surveyLimiterOf } from '../../src/features/surveys/surveys.limits.model';
import { createTestApp, extractCsrf, one, rows, run, type TestApp } from '../support/app';
import { fieldsWithErrors, textOf } from '../support/html';
import { addOrganisation } from '../support/orgs';
import { dossier, procedure } from '../reports/fixtures';
import { answer, countAnswers, defaultSet, ORG } from './support';

/**
 * The public survey page (issue 24): no sign-in, the organisation and procedure by their codes, the active set's
 * questions on a 1–5 scale, stored in one transaction with its scores and audit-log entry; validation next to the
 * fields; unknown or inactive → a friendly 404; no active set → "not open"; CSRF as for the sign-in form. The test
 * clock says 2026-11-26 09:00 in Hồ Chí Minh City.
 */
let t: TestApp;
let pa: number;
let pb: number;
let q: number[];
let setId: number;
const A = `/s/${ORG}/P-A`;

beforeAll(async () => {
  t = await createTestApp();
  pa = await procedure(t, 'P-A', { unitId: t.units.main });
  pb = await procedure(t, 'P-B', { unitId: t.units.other });
  await procedure(t, 'P-OLD');
  await run(t, "update procedures set status = 'retired', retired_reason = 'Bãi bỏ', retired_at = ? where code = 'P-OLD'", '2026-01-01T00:00:00.000Z');
  await dossier(t, pa, 'HS-001', { received: '2026-11-01', due: '2026-11-10', returned: '2026-11-09' });
  await dossier(t, pa, 'HS-002', { received: '2026-11-02', due: '2026-11-12', returned: '2026-11-12' });
  await dossier(t, pb, 'HS-B01', { received: '2026-11-02', due: '2026-11-12', returned: '2026-11-12' });
});
afterAll(async () => t?.close());
beforeEach(() => surveyLimiterOf(t.appCtx).clear());

describe('before the organisation has a question set', () => {
  it('says the survey is not open (GET 200, POST 409), never 500', async () => {
    const page = await request(t.app).get(A);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain('Khảo sát chưa mở');
    expect(page.text).toContain('Phòng Lao động - Thương binh và Xã hội');
    const agent = request.agent(t.app);
    const login = await agent.get('/login');
    const res = await agent
      .post(A)
      .type('form')
      .send({ comment: 'Tốt', _csrf: extractCsrf(login.text) });
    expect(res.status).toBe(409);
    expect(await countAnswers(t)).toBe(0);
  });
});

describe('the survey page', () => {
  beforeAll(async () => {
    ({ setId, questions: q } = await defaultSet(t));
  });

  it('shows the organisation, the procedure and each question as a fieldset with a labelled 1–5 scale, without sign-in', async () => {
    const res = await request(t.app).get(`${A}?counter=${encodeURIComponent('Quầy số 3')}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const text = textOf(res.text);
    expect(text).toContain('Phòng Lao động - Thương binh và Xã hội');
    expect(text).toContain('Quy trình P-A');
    expect(text).toContain('Quầy: Quầy số 3');
    expect(text).toContain('Thông tin về thủ tục hành chính được niêm yết công khai, đầy đủ, dễ hiểu.');
    expect(res.text.match(/<fieldset/g)).toHaveLength(7);
    expect(res.text.match(/<legend>/g)).toHaveLength(7);
    expect(res.text.match(/type="radio"/g)).toHaveLength(35);
    expect(text).toContain('1 Rất không hài lòng');
    expect(text).toContain('5 Rất hài lòng');
    expect(res.text).toMatch(/<div class="survey-trap" aria-hidden="true">[\s\S]*name="website" type="text" value="" tabindex="-1" autocomplete="off"/);
    expect(res.text).not.toMatch(/<script|style=|nav class="sidenav"/);
    expect(res.text).toContain('href="/static/survey.css"');
    // the language link keeps the counter
    expect(res.text).toContain(`href="/s/${ORG}/P-A?lang&#x3D;en&amp;counter&#x3D;Qu%E1%BA%A7y+s%E1%BB%91+3"`);
  });

  it('speaks English with lang=en', async () => {
    const res = await request(t.app).get(`${A}?lang=en`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="en">');
    expect(textOf(res.text)).toContain('Information about the administrative procedure is posted publicly, complete and easy to understand.');
    expect(textOf(res.text)).toContain('5 Very satisfied');
  });

  it('answers a friendly 404 for an unknown organisation or procedure, a retired procedure, or an organisation merged into another', async () => {
    const merged = await addOrganisation(t, 'CU');
    await run(
      t,
      `insert into procedures (code, title, field, online_level, on_time_target, search_text, created_at, updated_at, organisation_id)
       values ('P-A', 'Thủ tục CU', 'X', 'none', 1, 'p-a', ?, ?, ?)`,
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
      merged.id,
    );
    await run(t, "update organisation set status = 'read_only' where id = ?", merged.id);
    for (const path of ['/s/NOPE/P-A', `/s/${ORG}/NOPE`, `/s/${ORG}/P-OLD`, '/s/CU/P-A', `/s/${ORG}/${'x'.repeat(5000)}`]) {
      const res = await request(t.app).get(path);
      expect(res.status, path).toBe(404);
      expect(textOf(res.text), path).toContain('Không tìm thấy phiếu khảo sát');
      expect(res.text, path).toContain('href="/static/survey.css"');
    }
  });
});

describe('sending an answer', () => {
  it('stores the answer, its scores and the audit entry in one go and shows the thank-you page', async () => {
    t.clock.set('2026-11-26T18:30:00Z'); // 01:30 on 27 November in Hồ Chí Minh City
    try {
      const res = await answer(t, `${A}?lang=en&counter=${encodeURIComponent('Quầy 2')}`, {
        [`q${q[0]}`]: '5',
        [`q${q[3]}`]: '4',
        comment: '  Cán bộ nhiệt tình.  ',
        dossier_code: '',
        website: '',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/s/${ORG}/P-A/thanks?lang=en`);
      const row = await one<Record<string, unknown>>(t, 'select * from survey_responses order by id desc limit 1');
      expect(row).toMatchObject({
        organisation_id: 1,
        procedure_id: pa,
        unit_id: t.units.main,
        question_set_id: setId,
        dossier_code: null,
        counter: 'Quầy 2',
        comment: 'Cán bộ nhiệt tình.',
        language: 'en',
        answered_on: '2026-11-27',
        status: 'counted',
      });
      const scores = await rows<{ question_id: number; score: number }>(
        t,
        'select question_id, score from survey_scores where response_id = ? order by question_id',
        row!.id,
      );
      expect(scores.map((s) => [Number(s.question_id), Number(s.score)])).toEqual([
        [q[0], 5],
        [q[3], 4],
      ]);
      const audit = await one<Record<string, unknown>>(
        t,
        "select user_id, action, entity_id from audit_log where entity = 'survey_response' order by id desc limit 1",
      );
      expect(audit).toEqual({ user_id: null, action: 'create', entity_id: String(row!.id) });
      const thanks = await request(t.app).get(res.headers.location);
      expect(thanks.status).toBe(200);
      expect(textOf(thanks.text)).toContain('Thank you!');
    } finally {
      t.clock.set('2026-11-26T02:00:00Z');
    }
  });

  it('stores the unit handling the procedure and Vietnamese by default', async () => {
    const res = await answer(t, `/s/${ORG}/P-B`, { [`q${q[1]}`]: '3' });
    expect(res.status).toBe(303);
    const row = await one<Record<string, unknown>>(
      t,
      'select procedure_id, unit_id, language, counter, answered_on from survey_responses order by id desc limit 1',
    );
    expect(row).toEqual({ procedure_id: pb, unit_id: t.units.other, language: 'vi', counter: null, answered_on: '2026-11-26' });
  });

  it('asks for at least one score or a comment, and refuses a score off the scale or for another question, keeping what was typed', async () => {
    const before = await countAnswers(t);
    const empty = await answer(t, A, { comment: '   ' });
    expect(empty.status).toBe(422);
    expect(textOf(empty.text)).toContain('Xin chọn mức độ hài lòng cho ít nhất một câu hỏi, hoặc ghi góp ý.');
    const bad = await answer(t, A, { [`q${q[0]}`]: '7', [`q${q[1]}`]: '2', comment: 'Giữ lại <b>nội dung</b>' });
    expect(bad.status).toBe(422);
    expect(fieldsWithErrors(bad.text)).toContain(`q${q[0]}`);
    expect(bad.text).toContain(`id="q${q[1]}-2" name="q${q[1]}" value="2" checked`);
    expect(bad.text).toContain('Giữ lại &lt;b&gt;nội dung&lt;/b&gt;</textarea>');
    const other = await answer(t, A, { q999999: '5' });
    expect(other.status).toBe(422);
    const long = await answer(t, A, { comment: 'x'.repeat(1001) });
    expect(long.status).toBe(422);
    expect(fieldsWithErrors(long.text)).toContain('comment');
    expect(textOf(long.text)).toContain('Tối đa 1000 ký tự.');
    expect(await countAnswers(t)).toBe(before);
  });

  it('takes a dossier code of this procedure once, and says so next to the field for an unknown, another procedure’s or an answered one', async () => {
    const ok = await answer(t, A, { [`q${q[0]}`]: '4', dossier_code: 'HS-001' });
    expect(ok.status).toBe(303);
    expect((await one<{ dossier_code: string }>(t, 'select dossier_code from survey_responses order by id desc limit 1'))!.dossier_code).toBe('HS-001');
    const before = await countAnswers(t);
    for (const [code, text] of [
      ['HS-999', 'Không tìm thấy hồ sơ có mã này của thủ tục này.'],
      ['HS-B01', 'Không tìm thấy hồ sơ có mã này của thủ tục này.'],
      ['HS-001', 'Hồ sơ này đã được đánh giá.'],
    ]) {
      surveyLimiterOf(t.appCtx).clear(); // a refused dossier code counts towards the limits
      const res = await answer(t, A, { [`q${q[0]}`]: '4', dossier_code: code });
      expect(res.status, code).toBe(422);
      expect(fieldsWithErrors(res.text), code).toEqual(['dossier_code']);
      expect(textOf(res.text), code).toContain(text);
      expect(res.text, code).toContain(`value="${code}"`);
    }
    expect(await countAnswers(t)).toBe(before);
  });

  it('answers a filled honeypot as if accepted and stores nothing', async () => {
    const before = await countAnswers(t);
    const audit = await one<{ n: number }>(t, 'select count(*) as n from audit_log');
    const res = await answer(t, A, { [`q${q[0]}`]: '5', website: 'http://spam.example' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/s/${ORG}/P-A/thanks`);
    expect(await countAnswers(t)).toBe(before);
    expect(await one<{ n: number }>(t, 'select count(*) as n from audit_log')).toEqual(audit);
  });

  it('refuses a form without its CSRF token (403) and stores nothing', async () => {
    const before = await countAnswers(t);
    const res = await request(t.app)
      .post(A)
      .type('form')
      .send({ [`q${q[0]}`]: '5' });
    expect(res.status).toBe(403);
    const forged = await request(t.app)
      .post(A)
      .type('form')
      .send({ [`q${q[0]}`]: '5', _csrf: 'forged' });
    expect(forged.status).toBe(403);
    expect(await countAnswers(t)).toBe(before);
  });
});
