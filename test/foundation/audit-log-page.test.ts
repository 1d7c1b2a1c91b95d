import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { record } from '../../src/core/audit-log/audit-log';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { visibleText } from './visible-text';

/**
 * The audit trail page reads as sentences: who did what to which record, when (HH:mm dd/MM/yyyy in the
 * organisation's zone), and each change as "Field: old → new" with translated names and values — no raw JSON,
 * no `entity.action` keys, no ISO dates.
 */
let t: TestApp;
let admin: SignedIn;
let unitId: number;
beforeAll(async () => {
  t = await createTestApp(); // clock 2026-11-26T02:00:00Z = 09:00 26/11/2026 in Asia/Ho_Chi_Minh
  admin = await t.signIn('admin');
  expect((await admin.post('/admin/units', { code: 'TC', name: 'Tổ chức' })).status).toBe(303);
  unitId = (await rows<{ id: number }>(t, "select id from units where code = 'TC'"))[0].id;
  expect((await admin.post(`/admin/units/${unitId}`, { code: 'TCHC', name: 'Tổ chức - Hành chính', version: '1' })).status).toBe(303);
  // An entry written before the vocabulary change (append-only: it keeps saying "preventive").
  await t.ctx.db.transaction().execute((trx) =>
    record(
      trx,
      {
        userId: t.users.quality_officer,
        action: 'create',
        entity: 'nc_action',
        entityId: 999,
        new: { type: 'preventive', due_date: '2026-12-05', status: 'planned' },
      },
      t.clock.now(),
    ),
  );
});
afterAll(async () => t.close());

describe('audit trail page', () => {
  it('shows each entry as a sentence with its changes in words', async () => {
    const res = await admin.get('/admin/audit-log');
    expect(res.status).toBe(200);
    const text = visibleText(res.text);
    expect(text).toContain('Người dùng admin đã cập nhật đơn vị Tổ chức - Hành chính lúc 09:00 26/11/2026');
    expect(text).toContain('Mã: TC → TCHC');
    expect(text).toContain('Tên: Tổ chức → Tổ chức - Hành chính');
    expect(text).toContain('Người dùng admin đã tạo đơn vị Tổ chức - Hành chính lúc 09:00 26/11/2026');
    expect(text).toContain('Người dùng admin đã đăng nhập lúc 09:00 26/11/2026');
    // The legacy value is shown with the label of the value that replaced it; the missing action by its number.
    expect(text).toContain('Người dùng quality_officer đã tạo hành động #999 lúc 09:00 26/11/2026');
    expect(text).toContain('Loại: Hành động giải quyết rủi ro');
    expect(text).toContain('Hạn hoàn thành: 05/12/2026');
    expect(text).toContain('Trạng thái: Đã lập kế hoạch');
    expect(text).not.toMatch(/\{"|\d{4}-\d{2}-\d{2}|preventive|phòng ngừa/);
    expect(text).not.toMatch(/\bunit\.update\b|\bcreate\b|\bnc_action\b/);
    // Filters name entities and actions in words, with the stored values as option values.
    expect(res.text).toContain('<option value="unit" >Đơn vị</option>');
    expect(res.text).toContain('<option value="update" >cập nhật</option>');
  });

  it('speaks English too', async () => {
    const res = await admin.get('/admin/audit-log?lang=en');
    const text = visibleText(res.text);
    expect(text).toContain('Người dùng admin updated unit Tổ chức - Hành chính at 09:00 on 26/11/2026');
    expect(text).toContain('Code: TC → TCHC');
    expect(text).toContain('Type: Risk-based action');
  });
});
