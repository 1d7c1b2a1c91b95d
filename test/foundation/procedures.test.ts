import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportRowsError, formatRowError } from '../../src/core/import';
import { importProcedures } from '../../src/features/procedures/procedures.import';
import { createTestApp, rows, type TestApp } from '../support/app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

const HEADER = 'code\ttitle\tfield\tnational_code\tprocessing_days\tonline_level\tunit\ton_time_target';
const GOOD = [
  'QT-BTXH-01\tThực hiện trợ cấp xã hội hàng tháng\tBảo trợ xã hội\t1.001776\t17\tpartial\tLĐTBXH\t100',
  'QT-NCC-01\tĐăng ký hưởng chế độ ưu đãi người có công\tNgười có công\t\t12\tnone\tLĐTBXH\t95,5',
];

describe('procedure import', () => {
  it('imports a good file, then a second time changes nothing, then updates by code', async () => {
    const file = join(t.dir, 'good.tsv');
    writeFileSync(file, `${HEADER}\n${GOOD.join('\n')}\n`);
    expect(await importProcedures(t.ctx, { path: file }, 'good.tsv', t.users.quality_officer)).toEqual({ rows: 2, added: 2, updated: 0, unchanged: 0 });
    expect(await rows(t, 'select code, processing_days, online_level, on_time_target from procedures order by code')).toEqual([
      { code: 'QT-BTXH-01', processing_days: 17, online_level: 'partial', on_time_target: 1 },
      { code: 'QT-NCC-01', processing_days: 12, online_level: 'none', on_time_target: 0.955 },
    ]);
    const auditBefore = (await rows(t, 'select count(*) as n from audit_log'))[0];
    expect(await importProcedures(t.ctx, { path: file }, 'good.tsv', t.users.quality_officer)).toEqual({ rows: 2, added: 0, updated: 0, unchanged: 2 });
    expect((await rows(t, 'select count(*) as n from audit_log'))[0]).toEqual(auditBefore);
    writeFileSync(file, `${HEADER}\n${GOOD[0].replace('\t17\t', '\t15\t')}\n`);
    expect(await importProcedures(t.ctx, { path: file }, 'good.tsv', t.users.quality_officer)).toEqual({ rows: 1, added: 0, updated: 1, unchanged: 0 });
    expect(await rows(t, "select processing_days from procedures where code = 'QT-BTXH-01'")).toEqual([{ processing_days: 15 }]);
  });

  it('writes nothing when one row is bad, and names every bad row', async () => {
    const file = join(t.dir, 'bad.csv');
    const lines = [
      'Mã quy trình;Tên quy trình;Đơn vị chủ trì;Thời hạn giải quyết;Mức độ DVC trực tuyến',
      'QT-A-01;Quy trình A;LĐTBXH;5;full',
      'QT-A-02;Quy trình B;KHONGCO;5;full',
      'QT-A-03;;LĐTBXH;năm;toàn trình',
      'QT-A-01;Trùng mã;LĐTBXH;5;none',
    ];
    writeFileSync(file, `\uFEFF${lines.join('\r\n')}\r\n`);
    const error = await importProcedures(t.ctx, { path: file }, 'bad.csv', null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportRowsError);
    expect((error as ImportRowsError).errors).toEqual([
      { row: 3, column: 'unit', code: 'unknown_unit', params: { value: 'KHONGCO' } },
      { row: 4, column: 'title', code: 'required' },
      { row: 4, column: 'processing_days', code: 'processing_days_invalid', params: { value: 'năm' } },
      { row: 5, column: 'code', code: 'repeats_row', params: { other: 2 } },
    ]);
    // Named as the file's (Vietnamese) header named them.
    expect(formatRowError((error as ImportRowsError).errors[2], 'vi', (error as ImportRowsError).labels)).toBe(
      'Dòng 4, cột Thời hạn giải quyết: “năm” không phải là số ngày làm việc (số nguyên, từ 0)',
    );
    expect(await rows(t, 'select count(*) as n from procedures')).toEqual([{ n: 0 }]);
    expect(await rows(t, "select count(*) as n from audit_log where entity = 'procedure'")).toEqual([{ n: 0 }]);
  });

  it('refuses ragged rows (more or fewer cells than the header), naming each row', async () => {
    const file = join(t.dir, 'ragged.csv');
    const lines = [
      'code,title,online_level',
      'QT-R-01,Quy trình đủ cột,none',
      'QT-R-02,Quy trình, thừa một dấu phẩy,none', // the comma in the title split it in two
      'QT-R-03,Thiếu cột',
      'QT-R-04,Quy trình đủ cột,none,',
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const error = await importProcedures(t.ctx, { path: file }, 'ragged.csv', null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportRowsError);
    expect((error as ImportRowsError).errors.map((e) => formatRowError(e, 'en'))).toEqual([
      'Row 3: the row has more cells than the header (1 more)',
      'Row 4: the row has fewer cells than the header (1 fewer)',
      'Row 5: the row has more cells than the header (1 more)',
    ]);
    expect(formatRowError((error as ImportRowsError).errors[0])).toBe('Dòng 3: dòng có nhiều hơn dòng tiêu đề 1 ô');
    expect(await rows(t, 'select count(*) as n from procedures')).toEqual([{ n: 0 }]);
    const qo = await t.signIn('quality_officer');
    const page = await qo.agent.post('/procedures/import').field('_csrf', qo.csrf).attach('file', file, 'ragged.csv');
    expect(page.status).toBe(422);
    expect(page.text).toContain('Dòng 3: dòng có nhiều hơn dòng tiêu đề 1 ô');
    expect(await rows(t, 'select count(*) as n from procedures')).toEqual([{ n: 0 }]);
  });

  it('lists the first 50 bad rows on the page and says how many more there are', async () => {
    const file = join(t.dir, 'many-bad.csv');
    writeFileSync(file, `code,title,online_level\n${Array.from({ length: 120 }, (_, i) => `QT-M-${i},Quy trình ${i},sometimes`).join('\n')}\n`);
    const qo = await t.signIn('quality_officer');
    for (const [lang, more] of [
      ['vi', '… và 70 lỗi khác (không liệt kê ở đây).'],
      ['en', '… and 70 more (not listed here).'],
    ]) {
      const page = await qo.agent.post(`/procedures/import?lang=${lang}`).field('_csrf', qo.csrf).attach('file', file, 'many-bad.csv');
      expect(page.status).toBe(422);
      const [line, column] = lang === 'vi' ? ['Dòng', 'cột'] : ['Row', 'column'];
      expect(page.text.match(new RegExp(`<li>${line} \\d+, ${column} online_level`, 'g'))).toHaveLength(50);
      expect(page.text).toContain(`${line} 51, ${column} online_level`);
      expect(page.text).not.toContain(`${line} 52, ${column} online_level`);
      expect(page.text).toContain(lang === 'vi' ? 'Tệp có 120 lỗi' : 'The file has 120 errors');
      expect(page.text).toContain(more);
    }
  });

  it('shows every bad row on the upload form and writes nothing', async () => {
    const qo = await t.signIn('quality_officer');
    const csv = 'code,title,online_level\nQT-X-01,Quy trình X,full\nQT-X-02,Quy trình Y,sometimes\n';
    const res = await qo.agent.post(`/procedures/import`).field('_csrf', qo.csrf).attach('file', Buffer.from(csv), 'danh-muc.csv');
    expect(res.status).toBe(422);
    expect(res.text).toContain(
      'Dòng 3, cột online_level: “sometimes” không phải là mức độ dịch vụ công trực tuyến; dùng toàn trình (Mức độ 4), một phần (Mức độ 3) hoặc chưa cung cấp trực tuyến (không)',
    );
    expect(await rows(t, 'select count(*) as n from procedures')).toEqual([{ n: 0 }]);
    const ok = await qo.agent
      .post(`/procedures/import`)
      .field('_csrf', qo.csrf)
      .attach('file', Buffer.from(csv.replace('sometimes', 'none')), 'danh-muc.csv');
    expect(ok.status).toBe(303);
    expect(await rows(t, 'select code from procedures order by code')).toEqual([{ code: 'QT-X-01' }, { code: 'QT-X-02' }]);
    expect(await rows(t, "select user_id, reason from audit_log where entity = 'procedure' and action = 'import'")).toEqual([
      { user_id: t.users.quality_officer, reason: 'danh-muc.csv' },
      { user_id: t.users.quality_officer, reason: 'danh-muc.csv' },
    ]);
  });
});

describe('procedure register', () => {
  beforeEach(async () => {
    const file = join(t.dir, 'p.tsv');
    writeFileSync(file, `${HEADER}\n${GOOD.join('\n')}\nQT-HT-01\tKiểm soát tài liệu\tHệ thống\t\t\tnone\t\t100\n`);
    await importProcedures(t.ctx, { path: file }, 'p.tsv', null);
  });

  it('finds procedures ignoring Vietnamese diacritics', async () => {
    const staff = await t.signIn('staff');
    const byAscii = await staff.get('/procedures?q=tro%20cap');
    expect(byAscii.text).toContain('QT-BTXH-01');
    expect(byAscii.text).not.toContain('QT-NCC-01');
    const byD = await staff.get('/procedures?q=dang%20ky');
    expect(byD.text).toContain('QT-NCC-01');
    expect(byD.text).not.toContain('QT-BTXH-01');
    const accented = await staff.get(`/procedures?q=${encodeURIComponent('ĐĂNG KÝ')}`);
    expect(accented.text).toContain('QT-NCC-01');
    const byNational = await staff.get('/procedures?q=1.001776');
    expect(byNational.text).toContain('QT-BTXH-01');
    const wildcard = await staff.get('/procedures?q=%25');
    expect(wildcard.text).toContain('0 quy trình');
  });

  it('validates the form: 422 with messages next to fields, values kept, nothing written', async () => {
    const qo = await t.signIn('quality_officer');
    const res = await qo.post('/procedures', { code: 'QT-BTXH-01', title: 'x'.repeat(501), online_level: 'partial', processing_days: '-1' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Tối đa 500 ký tự.');
    expect(res.text).toContain('Giá trị nhỏ nhất là 0.');
    const unknown = await qo.post('/procedures', { code: 'QT-NEW-01', title: 'Mới', online_level: 'none', status: 'retired', id: '7' });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('Biểu mẫu có trường không được phép');
    const repeated = await qo.agent.post('/procedures').type('form').send(`_csrf=${qo.csrf}&code=QT-NEW-01&code=QT-NEW-02&title=M&online_level=none`);
    expect(repeated.status).toBe(422);
    expect(repeated.text).toContain('Trường này bị gửi lặp lại.');
    const taken = await qo.post('/procedures', { code: 'QT-BTXH-01', title: 'Trùng', online_level: 'none' });
    expect(taken.status).toBe(422);
    expect(taken.text).toContain('Mã này đã được sử dụng.');
    expect(taken.text).toContain('value="QT-BTXH-01"');
    expect(await rows(t, 'select count(*) as n from procedures')).toEqual([{ n: 3 }]);
  });

  it('creates, edits with a version check (409 on a stale edit) and retires with a reason', async () => {
    const qo = await t.signIn('quality_officer');
    const created = await qo.post('/procedures', {
      code: 'QT-MOI-01',
      title: 'Quy trình mới',
      online_level: 'full',
      processing_days: '3',
      on_time_target: '90',
    });
    expect(created.status).toBe(303);
    const p = (
      await rows<{ id: number; on_time_target: number; version: number }>(t, "select id, on_time_target, version from procedures where code = 'QT-MOI-01'")
    )[0];
    expect(p.on_time_target).toBe(0.9);
    const edit = { code: 'QT-MOI-01', title: 'Quy trình mới (sửa)', online_level: 'full', processing_days: '4', version: String(p.version) };
    expect((await qo.post(`/procedures/${p.id}`, edit)).status).toBe(303);
    const stale = await qo.post(`/procedures/${p.id}`, { ...edit, title: 'Ghi đè' });
    expect(stale.status).toBe(409);
    expect(await rows(t, 'select title from procedures where id = ?', p.id)).toEqual([{ title: 'Quy trình mới (sửa)' }]);
    const noReason = await qo.post(`/procedures/${p.id}/status`, { version: '2' });
    expect(noReason.status).toBe(422);
    expect((await qo.post(`/procedures/${p.id}/status`, { version: '2', reason: 'Thủ tục bị bãi bỏ' })).status).toBe(303);
    expect(await rows(t, 'select status, retired_reason from procedures where id = ?', p.id)).toEqual([
      { status: 'retired', retired_reason: 'Thủ tục bị bãi bỏ' },
    ]);
    expect(await rows(t, "select action from audit_log where entity = 'procedure' and entity_id = ? order by id", String(p.id))).toEqual([
      { action: 'create' },
      { action: 'update' },
      { action: 'retire' },
    ]);
    const list = await qo.get('/procedures');
    expect(list.text).not.toContain('QT-MOI-01');
    expect((await qo.get('/procedures?status=retired')).text).toContain('QT-MOI-01');
  });

  it('lets staff read the register but not change it', async () => {
    const staff = await t.signIn('staff');
    expect((await staff.get('/procedures')).status).toBe(200);
    expect((await staff.post('/procedures', { code: 'QT-S-01', title: 'S', online_level: 'none' })).status).toBe(403);
  });

  it('links a procedure to its dossiers and its compliance report for managers, not for staff', async () => {
    const qo = await t.signIn('quality_officer');
    expect((await qo.post('/procedures', { code: 'QT-Đ/01', title: 'Trợ cấp', online_level: 'none', on_time_target: '100' })).status).toBe(303);
    const [{ id }] = await rows<{ id: number }>(t, "select id from procedures where code = 'QT-Đ/01'");
    const reportHref = '/reports/open?code=QT-%C4%90%2F01';
    for (const role of ['leader', 'quality_officer', 'admin'] as const) {
      const page = await (await t.signIn(role)).get(`/procedures/${id}`);
      expect(page.status).toBe(200);
      expect(page.text.replaceAll('&#x3D;', '=')).toContain(`href="${reportHref}"`);
      expect(page.text).toContain('href="/dossiers/procedures/QT-%C4%90%2F01"');
    }
    const leader = await t.signIn('leader');
    const opened = await leader.get(reportHref);
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toMatch(/^\/reports\/procedures\/QT-%C4%90%2F01\?from=2026-\d\d-01&to=/);
    expect((await leader.get('/dossiers/procedures/QT-%C4%90%2F01')).status).toBe(200);
    const staffPage = await (await t.signIn('staff')).get(`/procedures/${id}`);
    expect(staffPage.status).toBe(200);
    expect(staffPage.text).not.toContain('/reports/open');
    expect(staffPage.text).not.toContain('/dossiers/procedures/');
  });
});
