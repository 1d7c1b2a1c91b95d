import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surveyLimiterOf } from '../../src/features/surveys/surveys.limits.model';
import { createTestApp, one, rows, run, type SignedIn, type TestApp } from '../support/app';
import { fieldsWithErrors, textOf } from '../support/html';
import { procedure } from '../reports/fixtures';
import { answer, ORG } from './support';

/**
 * The question sets: the default set, a new version copied from the set in force, a draft edited (add, edit, move,
 * remove), activation retiring the set in force, old answers keeping their questions, the triggers refusing any
 * change to a set in use on both engines (and the pages saying so first), the triage settings, and the roles.
 */
let t: TestApp;
let qo: SignedIn;
let admin: SignedIn;
let leader: SignedIn;
let staff: SignedIn;
let v1: number;
let v2: number;

const setRows = () => rows<{ id: number; version: number; status: string }>(t, 'select id, version, status from survey_question_sets order by version');
const questionsOf = async (setId: number) =>
  (
    await rows<{ id: number; seq: number; text_vi: string; text_en: string; criterion: string }>(
      t,
      'select id, seq, text_vi, text_en, criterion from survey_questions where question_set_id = ? order by seq',
      setId,
    )
  ).map((q) => ({ ...q, id: Number(q.id), seq: Number(q.seq) }));
const flashOf = async (who: SignedIn, path: string) => textOf((await who.get(path)).text);

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  admin = await t.signIn('admin');
  leader = await t.signIn('leader');
  staff = await t.signIn('staff');
  await procedure(t, 'P-A', { unitId: t.units.main });
});
afterAll(async () => t?.close());

describe('roles', () => {
  it('lets readers see the sets, only the quality officer and the admin change them, and an anonymous visitor only the public page', async () => {
    expect((await staff.get('/surveys/sets')).status).toBe(403);
    expect((await staff.post('/surveys/sets/default')).status).toBe(403);
    expect((await staff.post('/surveys/settings', { survey_low_score: '1', survey_comment_feedback: '0' })).status).toBe(403);
    expect((await leader.get('/surveys/sets')).status).toBe(200);
    expect((await leader.post('/surveys/sets/default')).status).toBe(403);
    const anon = await request(t.app).get('/surveys/sets');
    expect(anon.status).toBe(303);
    expect(anon.headers.location).toBe('/login?next=%2Fsurveys%2Fsets');
    expect((await request(t.app).get('/surveys/responses')).status).toBe(303);
    expect(await setRows()).toEqual([]);
  });
});

describe('the default set and versions', () => {
  it('creates and activates the default set once', async () => {
    const res = await qo.post('/surveys/sets/default');
    expect(res.status).toBe(303);
    const sets = await setRows();
    expect(sets).toMatchObject([{ version: 1, status: 'active' }]);
    v1 = Number(sets[0].id);
    expect(res.headers.location).toBe(`/surveys/sets/${v1}`);
    const qs = await questionsOf(v1);
    expect(qs).toHaveLength(7);
    expect(qs.map((q) => q.criterion)).toEqual(['information', 'procedure', 'procedure', 'attitude', 'attitude', 'time', 'result']);
    expect(qs.every((q) => q.text_vi.length > 10 && q.text_en.length > 10)).toBe(true);
    await admin.post('/surveys/sets/default');
    expect(await flashOf(admin, '/surveys/sets')).toContain('Cơ quan đã có bộ câu hỏi');
    expect(await setRows()).toHaveLength(1);
  });

  it('refuses to change a set in use with a message, and the triggers refuse it on the engine too', async () => {
    const [first] = await questionsOf(v1);
    const edit = await qo.post(`/surveys/sets/${v1}/questions/${first.id}`, { criterion: 'other', text_vi: 'Đổi', text_en: 'Changed' });
    expect(edit.status).toBe(303);
    expect(await flashOf(qo, `/surveys/sets/${v1}`)).toContain('Bộ câu hỏi này đã được áp dụng nên không thay đổi được.');
    expect((await qo.post(`/surveys/sets/${v1}/questions`, { criterion: 'other', text_vi: 'Mới', text_en: 'New' })).status).toBe(303);
    expect((await qo.post(`/surveys/sets/${v1}/questions/${first.id}/remove`)).status).toBe(303);
    expect(await questionsOf(v1)).toHaveLength(7);
    await expect(run(t, "update survey_questions set text_vi = 'x' where id = ?", first.id)).rejects.toThrow(/set in use/);
    await expect(run(t, 'delete from survey_questions where id = ?', first.id)).rejects.toThrow(/set in use/);
    await expect(
      run(t, "insert into survey_questions (question_set_id, seq, criterion, text_vi, text_en) values (?, 99, 'other', 'a', 'b')", v1),
    ).rejects.toThrow(/set in use/);
    await expect(run(t, "update survey_question_sets set note = 'x' where id = ?", v1)).rejects.toThrow(/in use does not change/);
    await expect(run(t, 'delete from survey_question_sets where id = ?', v1)).rejects.toThrow(/never deleted/);
  });

  it('copies the set in force into a new draft, once', async () => {
    const res = await qo.post('/surveys/sets/new');
    expect(res.status).toBe(303);
    const sets = await setRows();
    expect(sets.map((s) => [Number(s.version), s.status])).toEqual([
      [1, 'active'],
      [2, 'draft'],
    ]);
    v2 = Number(sets[1].id);
    expect((await questionsOf(v2)).map((q) => q.text_vi)).toEqual((await questionsOf(v1)).map((q) => q.text_vi));
    await qo.post('/surveys/sets/new');
    expect(await flashOf(qo, '/surveys/sets')).toContain('Đã có một bản nháp');
    expect(await setRows()).toHaveLength(2);
  });

  it('edits a draft: add (both texts required), edit, move, remove — each audit-logged', async () => {
    const audits = Number((await one<{ n: number }>(t, "select count(*) as n from audit_log where entity = 'survey_question'"))!.n);
    const bad = await qo.post(`/surveys/sets/${v2}/questions`, { criterion: 'other', text_vi: 'Ông/bà có giới thiệu cho người khác?', text_en: ' ' });
    expect(bad.status).toBe(422);
    expect(fieldsWithErrors(bad.text)).toEqual(['text_en']);
    expect(bad.text).toContain('Ông/bà có giới thiệu cho người khác?</textarea>');
    const add = await qo.post(`/surveys/sets/${v2}/questions`, {
      criterion: 'other',
      text_vi: 'Ông/bà có giới thiệu cho người khác?',
      text_en: 'Would you recommend it?',
    });
    expect(add.status).toBe(303);
    let qs = await questionsOf(v2);
    expect(qs).toHaveLength(8);
    const added = qs[7];
    expect(added).toMatchObject({ seq: 8, criterion: 'other' });
    expect((await qo.post(`/surveys/sets/${v2}/questions/${added.id}/move`, { direction: 'up' })).status).toBe(303);
    qs = await questionsOf(v2);
    expect(qs[6].id).toBe(added.id);
    expect(qs.map((q) => q.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await qo.post(`/surveys/sets/${v2}/questions/${added.id}`, { criterion: 'result', text_vi: 'Sửa lại', text_en: 'Edited' })).status).toBe(303);
    expect((await questionsOf(v2))[6]).toMatchObject({ criterion: 'result', text_vi: 'Sửa lại', text_en: 'Edited' });
    const firstId = qs[0].id;
    expect((await qo.post(`/surveys/sets/${v2}/questions/${firstId}/remove`)).status).toBe(303);
    qs = await questionsOf(v2);
    expect(qs).toHaveLength(7);
    expect(qs.map((q) => q.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(qs.some((q) => q.id === firstId)).toBe(false);
    expect(Number((await one<{ n: number }>(t, "select count(*) as n from audit_log where entity = 'survey_question'"))!.n)).toBe(audits + 4);
    // the question's edit page is only for a draft
    expect((await qo.get(`/surveys/sets/${v2}/questions/${added.id}`)).status).toBe(200);
    expect((await qo.get(`/surveys/sets/${v1}/questions/${(await questionsOf(v1))[0].id}`)).status).toBe(303);
  });

  it('activates a draft with confirmation, retiring the set in force; old answers keep their questions', async () => {
    surveyLimiterOf(t.appCtx).clear();
    const oldQ = await questionsOf(v1);
    expect((await answer(t, `/s/${ORG}/P-A`, { [`q${oldQ[0].id}`]: '4' })).status).toBe(303);
    const unconfirmed = await qo.post(`/surveys/sets/${v2}/activate`, {});
    expect(unconfirmed.status).toBe(422);
    expect(fieldsWithErrors(unconfirmed.text)).toEqual(['confirm']);
    expect((await qo.post(`/surveys/sets/${v2}/activate`, { confirm: '1' })).status).toBe(303);
    expect((await setRows()).map((s) => s.status)).toEqual(['retired', 'active']);
    const old = await one<{ question_set_id: number; text_vi: string }>(
      t,
      'select r.question_set_id, q.text_vi from survey_responses r join survey_scores s on s.response_id = r.id join survey_questions q on q.id = s.question_id',
    );
    expect(old).toEqual({ question_set_id: v1, text_vi: oldQ[0].text_vi });
    // the public page asks the new version; a score for the old one's question is refused
    const page = await request(t.app).get(`/s/${ORG}/P-A`);
    expect(textOf(page.text)).toContain('Sửa lại');
    expect(textOf(page.text)).not.toContain(oldQ[0].text_vi);
    expect((await answer(t, `/s/${ORG}/P-A`, { [`q${oldQ[0].id}`]: '4' })).status).toBe(422);
    const list = await leader.get('/surveys/sets');
    expect(list.text).toMatch(/data-set="1" data-status="retired">[\s\S]*?data-answers>1</);
    expect(list.text).toMatch(/data-set="2" data-status="active">[\s\S]*?data-answers>0</);
    expect(list.text).not.toContain('action="/surveys/sets/new"');
    const audit = await rows<{ action: string; entity_id: string }>(
      t,
      "select action, entity_id from audit_log where entity = 'survey_question_set' order by id",
    );
    expect(audit.map((a) => [a.action, Number(a.entity_id)])).toEqual([
      ['create', v1],
      ['create', v2],
      ['retire', v1],
      ['activate', v2],
    ]);
    await expect(run(t, "update survey_question_sets set status = 'active' where id = ?", v1)).rejects.toThrow(/in use does not change/);
  });
});

describe('the triage settings', () => {
  it('are saved with an audit entry; a value off the scale is refused next to the field', async () => {
    const bad = await qo.post('/surveys/settings', { survey_low_score: '9', survey_comment_feedback: '1' });
    expect(bad.status).toBe(422);
    expect(fieldsWithErrors(bad.text)).toEqual(['survey_low_score']);
    expect((await admin.post('/surveys/settings', { survey_low_score: '3', survey_comment_feedback: '0' })).status).toBe(303);
    expect(await one(t, 'select survey_low_score, survey_comment_feedback from organisation where id = 1')).toEqual({
      survey_low_score: 3,
      survey_comment_feedback: 0,
    });
    const audit = await one<{ old_values: string; new_values: string; user_id: number }>(
      t,
      "select old_values, new_values, user_id from audit_log where entity = 'survey_settings'",
    );
    expect(JSON.parse(audit!.old_values)).toEqual({ survey_low_score: 2, survey_comment_feedback: 1 });
    expect(JSON.parse(audit!.new_values)).toEqual({ survey_low_score: 3, survey_comment_feedback: 0 });
    expect(Number(audit!.user_id)).toBe(t.users.admin);
    expect(await flashOf(leader, '/surveys/sets')).toContain('3 điểm trở xuống');
  });
});
