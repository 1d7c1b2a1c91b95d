import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, one, rows, run, type SignedIn, type TestApp } from '../support/app';
import { auditForm, fixture, idFromLocation, type Fixture } from './support';

/**
 * The one-page checklist (/audits/:id/fill): every question of one procedure on one page, each answer saved by its
 * own form (303 back to the question, or 422 beside it) or as JSON for the page's script; files; roles; CSRF.
 */
let t: TestApp;
let f: Fixture;
let qo: SignedIn;
let auditId: number;
let previousAuditId: number;

interface Item {
  id: number;
  procedure_id: number | null;
  clause: string | null;
  position: number;
  version: number;
}
const itemsOf = async (id = auditId) =>
  await rows<Item>(t, 'select id, procedure_id, clause, position, version from audit_checklist_items where audit_id = ? order by position', id);
const versionOf = async (itemId: number) => (await one<{ version: number }>(t, 'select version from audit_checklist_items where id = ?', itemId))!.version;
const stored = async (itemId: number) => await one(t, 'select result, evidence, statement, assessed_by from audit_checklist_items where id = ?', itemId);
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082',
  'hex',
);
const STATEMENT_BEFORE = 'Phiếu kiểm soát quá trình không ghi thời điểm chuyển bước.';

/** POST an answer as the page's script does: form fields, JSON back. */
const postJson = (who: SignedIn, path: string, body: Record<string, string>) =>
  who.agent
    .post(path)
    .set('Accept', 'application/json')
    .type('form')
    .send({ ...body, _csrf: who.csrf });

async function startedAudit(form: Record<string, string | string[]>, start = true): Promise<number> {
  const id = idFromLocation((await qo.post('/audits', form)).headers.location);
  expect((await qo.post(`/audits/${id}/checklist/generate`)).status).toBe(303);
  if (start) expect((await qo.post(`/audits/${id}/start`, { actual_start: '2026-11-24', version: '1' })).status).toBe(303);
  return id;
}

let p1Items: Item[];
let general: Item;

beforeAll(async () => {
  t = await createTestApp();
  f = await fixture(t);
  qo = await t.signIn('auditor');
  // Last time's audit of P1: its 7.5.3 question became an observation.
  previousAuditId = await startedAudit(auditForm(f, { procedure_ids: [String(f.p1)], clauses: ['7.5.3'] }));
  const [old] = await itemsOf(previousAuditId);
  const saved = await qo.post(`/audits/${previousAuditId}/checklist/${old.id}`, {
    question: 'Câu hỏi năm trước',
    clause: '7.5.3',
    procedure_id: String(f.p1),
    result: 'observation',
    statement: STATEMENT_BEFORE,
    version: String(old.version),
  });
  expect(saved.status).toBe(303);
  // This audit: P1 and P2 × 7.5.3 and 8.5.1, and one general question; its P1 7.5.3 question was copied from last time's.
  auditId = await startedAudit(auditForm(f));
  expect((await qo.post(`/audits/${auditId}/checklist/items`, { question: 'Chính sách chất lượng có được niêm yết không?' })).status).toBe(303);
  const all = await itemsOf();
  p1Items = all.filter((i) => i.procedure_id === f.p1);
  general = all.find((i) => i.procedure_id === null)!;
  await run(t, 'update audit_checklist_items set copied_from_item_id = ? where id = ?', old.id, p1Items.find((i) => i.clause === '7.5.3')!.id);
}, 120_000);
afterAll(async () => t.close());

describe('the one-page checklist', () => {
  it('lists the procedures with their counts, then every question of the one chosen, with last time’s finding', async () => {
    const picker = await qo.get(`/audits/${auditId}/fill`);
    expect(picker.status).toBe(200);
    expect(picker.text).toContain('0/5 câu đã trả lời');
    expect(picker.text).toContain(`href="/audits/${auditId}/fill?procedure=${f.p1}"`);
    expect(picker.text).toContain(`href="/audits/${auditId}/fill?procedure=general"`);
    expect(picker.text.match(/0\/2 câu đã trả lời/g)).toHaveLength(2);
    expect(picker.text).toContain('0/1 câu đã trả lời');

    const page = await qo.get(`/audits/${auditId}/fill?procedure=${f.p1}`);
    expect(page.status).toBe(200);
    const forms = [...page.text.matchAll(/action="\/audits\/\d+\/fill\/items\/(\d+)"/g)].map((m) => Number(m[1]));
    expect(forms).toEqual(p1Items.map((i) => i.id));
    expect(page.text).toContain('Điều khoản 7.5.3</strong> — Kiểm soát thông tin dạng văn bản');
    expect(page.text).toContain('Điều khoản 8.5.1</strong>');
    expect(page.text).toContain('Lần trước (');
    expect(page.text).toContain(STATEMENT_BEFORE);
    expect(page.text).toContain('<script src="/static/checklist.js" defer></script>');

    const other = await qo.get(`/audits/${auditId}/fill?procedure=general`);
    expect(other.text).toContain('Chính sách chất lượng có được niêm yết không?');
    expect(other.text).not.toContain(STATEMENT_BEFORE);
    expect((await qo.get(`/audits/${auditId}/fill?procedure=${f.p3}`)).status).toBe(404);
  });

  it('saves one answer from a plain form post and goes back to the question', async () => {
    const item = p1Items[0];
    const res = await qo.post(`/audits/${auditId}/fill/items/${item.id}`, {
      result: 'conform',
      evidence: 'Đã xem 10 hồ sơ tháng 10/2026.',
      statement: '',
      version: String(await versionOf(item.id)),
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/audits/${auditId}/fill?procedure=${f.p1}#item-${item.id}`);
    expect(await stored(item.id)).toEqual({ result: 'conform', evidence: 'Đã xem 10 hồ sơ tháng 10/2026.', statement: '', assessed_by: f.auditor });
    const page = await qo.get(res.headers.location);
    expect(page.text).toContain(`Đã lưu câu trả lời cho câu hỏi ${item.position}.`);
    expect(page.text).toContain('1/2 câu đã trả lời');
    expect(page.text).toContain('value="conform" checked');
  });

  it('answers the script with JSON: the new version, the result and when', async () => {
    const item = p1Items[1];
    const version = await versionOf(item.id);
    const res = await postJson(qo, `/audits/${auditId}/fill/items/${item.id}`, {
      result: 'observation',
      evidence: 'Sổ theo dõi hồ sơ.',
      statement: 'Sổ theo dõi chưa ghi ngày trả.',
      version: String(version),
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, version: version + 1, result: 'observation', savedAt: '2026-11-26T02:00:00.000Z' });
    expect(await one(t, "select grade, statement from audit_findings where checklist_item_id = ? and status = 'active'", item.id)).toEqual({
      grade: 'observation',
      statement: 'Sổ theo dõi chưa ghi ngày trả.',
    });
  });

  it('refuses a finding without its statement beside the field, keeping what was typed, storing nothing', async () => {
    const item = general;
    const version = String(await versionOf(item.id));
    const res = await qo.post(`/audits/${auditId}/fill/items/${item.id}`, { result: 'minor_nc', evidence: 'Ghi chú đang gõ dở', statement: '', version });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`<p class="field-error" id="e-${item.id}-statement">Hãy ghi nội dung phát hiện.</p>`);
    expect(res.text).toContain('>Ghi chú đang gõ dở</textarea>');
    expect(res.text).toContain('value="minor_nc" checked');
    const json = await postJson(qo, `/audits/${auditId}/fill/items/${item.id}`, { result: 'minor_nc', statement: '', version });
    expect(json.status).toBe(422);
    expect(json.body).toEqual({ errors: { statement: 'Hãy ghi nội dung phát hiện.' } });
    const bad = await postJson(qo, `/audits/${auditId}/fill/items/${item.id}`, { result: 'excellent', version });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.result).toBeTruthy();
    expect(await stored(item.id)).toEqual({ result: null, evidence: '', statement: '', assessed_by: null });
    expect(await versionOf(item.id)).toBe(Number(version));
  });

  it('refuses a stale version with 409, as a page and as JSON', async () => {
    const item = p1Items[0];
    const stale = String((await versionOf(item.id)) - 1);
    const page = await qo.post(`/audits/${auditId}/fill/items/${item.id}`, { result: 'not_applicable', version: stale });
    expect(page.status).toBe(409);
    expect(page.text).toContain('Bản ghi đã được người khác thay đổi');
    const json = await postJson(qo, `/audits/${auditId}/fill/items/${item.id}`, { result: 'not_applicable', version: stale });
    expect(json.status).toBe(409);
    expect(json.body.error).toMatch(/^Bản ghi đã được người khác thay đổi/);
    expect((await stored(item.id))?.result).toBe('conform');
    const elsewhere = await postJson(qo, `/audits/${previousAuditId}/fill/items/${item.id}`, { result: 'conform', version: '1' });
    expect(elsewhere.status).toBe(404);
    expect(typeof elsewhere.body.error).toBe('string');
  });

  it('attaches a file to a question and lists it; refuses a file of another type beside the field', async () => {
    const item = p1Items[0];
    const path = `/audits/${auditId}/fill/items/${item.id}/files`;
    const res = await qo.agent.post(path).field('_csrf', qo.csrf).attach('file', PNG, 'ảnh sổ hồ sơ.png');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/audits/${auditId}/fill?procedure=${f.p1}#item-${item.id}`);
    const json = await qo.agent.post(path).set('Accept', 'application/json').field('_csrf', qo.csrf).attach('file', PNG, 'ảnh 2.png');
    expect(json.status).toBe(200);
    const files = await rows<{ id: number; file_name: string }>(
      t,
      'select id, file_name from audit_evidence_files where checklist_item_id = ? order by id',
      item.id,
    );
    expect(files.map((r) => r.file_name)).toEqual(['ảnh sổ hồ sơ.png', 'ảnh 2.png']);
    expect(json.body).toEqual({ ok: true, file: { id: files[1].id, name: 'ảnh 2.png', url: `/audits/${auditId}/files/${files[1].id}` } });
    const page = await qo.get(res.headers.location);
    expect(page.text).toContain(`<a href="/audits/${auditId}/files/${files[0].id}">ảnh sổ hồ sơ.png</a>`);

    const refused = await qo.agent.post(path).field('_csrf', qo.csrf).attach('file', Buffer.from('#!/bin/sh\necho hi\n'), 'bien-ban.pdf');
    expect(refused.status).toBe(422);
    expect(refused.text).toMatch(new RegExp(`id="e-${item.id}-file">Chỉ chấp nhận tệp PDF`));
    const refusedJson = await qo.agent.post(path).set('Accept', 'application/json').field('_csrf', qo.csrf).attach('file', Buffer.from('hello'), 'x.pdf');
    expect(refusedJson.status).toBe(422);
    expect(refusedJson.body.errors.file).toMatch(/^Chỉ chấp nhận tệp PDF/);
    expect(await rows(t, 'select count(*) as n from audit_evidence_files')).toEqual([{ n: 2 }]);
  });

  it('lets readers view but not answer; refuses staff, and a post without the form’s token', async () => {
    const leader = await t.signIn('leader');
    const view = await leader.get(`/audits/${auditId}/fill?procedure=${f.p1}`);
    expect(view.status).toBe(200);
    expect(view.text).toContain('Đã xem 10 hồ sơ tháng 10/2026.');
    expect(view.text).not.toContain('/fill/items/');
    expect(view.text).not.toContain('checklist.js');
    const item = general;
    const body = { result: 'conform', version: String(await versionOf(item.id)) };
    expect((await leader.post(`/audits/${auditId}/fill/items/${item.id}`, body)).status).toBe(403);
    const refused = await postJson(leader, `/audits/${auditId}/fill/items/${item.id}`, body);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ error: 'Bạn không có quyền thực hiện thao tác này.' });
    expect((await leader.agent.post(`/audits/${auditId}/fill/items/${item.id}/files`).field('_csrf', leader.csrf).attach('file', PNG, 'a.png')).status).toBe(
      403,
    );
    const staff = await t.signIn('staff');
    expect((await staff.get(`/audits/${auditId}/fill`)).status).toBe(403);
    expect((await staff.post(`/audits/${auditId}/fill/items/${item.id}`, body)).status).toBe(403);
    const noToken = await qo.agent.post(`/audits/${auditId}/fill/items/${item.id}`).type('form').send(body);
    expect(noToken.status).toBe(403);
    expect(await stored(item.id)).toEqual({ result: null, evidence: '', statement: '', assessed_by: null });
  });

  it('refuses results in an audit not yet started with the service’s message', async () => {
    const planned = await startedAudit(auditForm(f, { procedure_ids: [String(f.p2)], clauses: ['8.5.1'] }), false);
    const [item] = await itemsOf(planned);
    const page = await qo.get(`/audits/${planned}/fill?procedure=${f.p2}`);
    expect(page.text).toContain('kết quả được ghi sau khi bắt đầu đánh giá');
    const res = await qo.post(`/audits/${planned}/fill/items/${item.id}`, { result: 'conform', version: String(item.version) });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Hãy bắt đầu cuộc đánh giá trước khi ghi kết quả.');
    const json = await postJson(qo, `/audits/${planned}/fill/items/${item.id}`, { result: 'conform', version: String(item.version) });
    expect(json.body).toEqual({ errors: { _form: 'Hãy bắt đầu cuộc đánh giá trước khi ghi kết quả.' } });
    expect(await stored(item.id)).toEqual({ result: null, evidence: '', statement: '', assessed_by: null });
  });
});
