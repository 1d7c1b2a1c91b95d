import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, rows, type TestApp } from '../support/app';
import { auditForm, auditLog, fixture, idFromLocation, type Fixture } from './support';

/** The checklist template library and starting a checklist from a template. */
let t: TestApp;
let f: Fixture;
beforeEach(async () => {
  t = await createTestApp();
  f = await fixture(t);
});
afterEach(async () => t.close());

const QUESTIONS =
  '7.5.3 | Hồ sơ có được lưu đúng thời hạn không?\n\n8.5.1 | Có phiếu kiểm soát quá trình cho mỗi hồ sơ không?\nCán bộ có nắm được quy trình không?';

describe('checklist templates', () => {
  it('are created, edited and retired by quality officers, each change in the audit log', async () => {
    const qo = await t.signIn('quality_officer');
    expect((await qo.post('/audits/templates', { name: 'Mẫu TTHC', description: 'Dùng cho quy trình TTHC', questions: QUESTIONS })).status).toBe(303);
    const [tpl] = await rows<{ id: number }>(t, 'select id from audit_checklist_templates');
    expect(await rows(t, 'select position, clause, question from audit_checklist_template_questions order by position')).toEqual([
      { position: 1, clause: '7.5.3', question: 'Hồ sơ có được lưu đúng thời hạn không?' },
      { position: 2, clause: '8.5.1', question: 'Có phiếu kiểm soát quá trình cho mỗi hồ sơ không?' },
      { position: 3, clause: null, question: 'Cán bộ có nắm được quy trình không?' },
    ]);
    const bad = await qo.post('/audits/templates', { name: 'Mẫu lỗi', questions: '8.9 | Điều khoản không có\nCâu đúng\n4.4 | ' + 'x'.repeat(1001) });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Dòng không hợp lệ (điều khoản sai hoặc câu hỏi quá 1000 ký tự): 1, 3.');
    expect((await qo.post('/audits/templates', { name: 'Mẫu TTHC', questions: 'Câu' })).status).toBe(422);
    const edit = await qo.get(`/audits/templates/${tpl.id}/edit`);
    expect(edit.text).toContain('7.5.3 | Hồ sơ có được lưu đúng thời hạn không?');
    expect(
      (await qo.post(`/audits/templates/${tpl.id}`, { name: 'Mẫu TTHC (sửa)', questions: '9.1.2 | Có khảo sát sự hài lòng không?', version: '1' })).status,
    ).toBe(303);
    expect((await qo.post(`/audits/templates/${tpl.id}`, { name: 'Cũ', questions: 'x', version: '1' })).status).toBe(409);
    expect((await qo.post(`/audits/templates/${tpl.id}/status`, { reason: 'Thay bằng mẫu mới', version: '2' })).status).toBe(303);
    expect(await rows(t, 'select name, active, retired_reason from audit_checklist_templates')).toEqual([
      { name: 'Mẫu TTHC (sửa)', active: 0, retired_reason: 'Thay bằng mẫu mới' },
    ]);
    expect((await auditLog(t, 'audit_checklist_template', tpl.id)).map((e) => e.action)).toEqual(['create', 'update', 'retire']);
    const leader = await t.signIn('leader');
    expect((await leader.get('/audits/templates')).status).toBe(200);
    expect((await leader.get(`/audits/templates/${tpl.id}`)).text).toContain('Mẫu đã ngừng sử dụng. Lý do: Thay bằng mẫu mới');
    expect((await leader.post('/audits/templates', { name: 'x', questions: 'y' })).status).toBe(403);
  });

  it('start a checklist: each question once per procedure in scope; a retired template cannot be used', async () => {
    const qo = await t.signIn('auditor');
    await qo.post('/audits/templates', { name: 'Mẫu TTHC', questions: QUESTIONS });
    const tplId = (await rows<{ id: number }>(t, 'select id from audit_checklist_templates'))[0].id;
    const auditId = idFromLocation((await qo.post('/audits', auditForm(f))).headers.location);
    expect((await qo.post(`/audits/${auditId}/checklist/template`, { template_id: String(tplId) })).status).toBe(303);
    expect(await rows(t, 'select procedure_id, clause, question from audit_checklist_items order by position')).toEqual([
      { procedure_id: f.p1, clause: '7.5.3', question: 'Hồ sơ có được lưu đúng thời hạn không?' },
      { procedure_id: f.p1, clause: '8.5.1', question: 'Có phiếu kiểm soát quá trình cho mỗi hồ sơ không?' },
      { procedure_id: f.p1, clause: null, question: 'Cán bộ có nắm được quy trình không?' },
      { procedure_id: f.p2, clause: '7.5.3', question: 'Hồ sơ có được lưu đúng thời hạn không?' },
      { procedure_id: f.p2, clause: '8.5.1', question: 'Có phiếu kiểm soát quá trình cho mỗi hồ sơ không?' },
      { procedure_id: f.p2, clause: null, question: 'Cán bộ có nắm được quy trình không?' },
    ]);
    // Applying it again adds nothing new.
    await qo.post(`/audits/${auditId}/checklist/template`, { template_id: String(tplId) });
    expect(await rows(t, 'select count(*) as n from audit_checklist_items')).toEqual([{ n: 6 }]);
    expect((await auditLog(t, 'audit', auditId)).map((e) => e.action)).toEqual(['create', 'checklist_template']);
    await qo.post(`/audits/templates/${tplId}/status`, { reason: 'Cũ', version: '1' });
    const retired = await qo.post(`/audits/${auditId}/checklist/template`, { template_id: String(tplId) });
    expect(retired.status).toBe(422);
    expect(retired.text).toContain('Mẫu phiếu không tồn tại hoặc đã ngừng sử dụng.');
    expect((await qo.post(`/audits/${auditId}/checklist/template`, { template_id: 'abc' })).status).toBe(422);
  });
});
