import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSlip } from '../../src/features/apologies/apologies.service';
import { createTestApp, type SignedIn, type TestApp } from '../support/app';
import { dossier, procedure } from '../reports/fixtures';
import { expectAdministrative, getDocx } from './docx';

/**
 * The apology slip as a Word file: dossier A3 of procedure P-A received 01/10/2026, due 12/10/2026, late; the slip
 * 01/PXL-BPMC issued 12/10/2026 sets the new date 14/10/2026, signed on behalf of the head by the deputy (two title
 * lines, each its own bold line in capitals).
 */
let t: TestApp;
let leader: SignedIn;
let slipId: number;

beforeAll(async () => {
  t = await createTestApp();
  leader = await t.signIn('leader');
  const p = await procedure(t, 'P-A');
  const d = await dossier(t, p, 'A3', { received: '2026-10-01', due: '2026-10-12', returned: '2026-10-14' });
  slipId = await recordSlip(
    t.ctx,
    d,
    {
      slipNo: '01/PXL-BPMC',
      issuedOn: '2026-10-12',
      newDueOn: '2026-10-14',
      reason: 'Chờ ý kiến phối hợp của Sở Tài chính',
      signerName: 'Trần Văn Hùng',
      signerTitle: 'KT. TRƯỞNG PHÒNG\nPHÓ TRƯỞNG PHÒNG',
    },
    t.users.quality_officer,
  );
});
afterAll(async () => t.close());

describe('GET /apologies/:id/print.docx', () => {
  it('is the slip in the prescribed form: its number, the dossier, both dates, the reason, the signer on behalf', async () => {
    const d = await getDocx(leader, `/apologies/${slipId}/print.docx`);
    expectAdministrative(d, {
      number: 'Số: 01/PXL-BPMC',
      signerTitles: ['KT. TRƯỞNG PHÒNG', 'PHÓ TRƯỞNG PHÒNG'],
      signerName: 'Trần Văn Hùng',
      recipients: ['Ông/Bà có hồ sơ', 'Lưu: VT, Bộ phận Một cửa'],
    });
    expect(d.disposition).toContain('filename="phieu-xin-loi-A3.docx"');
    expect(d.lines).toContain('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
    expect(d.lines).toContain('Nghĩa Hưng, ngày 12 tháng 10 năm 2026');
    expect(d.lines).toContain(
      'Ngày 01/10/2026, Phòng Lao động - Thương binh và Xã hội tiếp nhận giải quyết hồ sơ của Ông/Bà về thủ tục Quy trình P-A, mã hồ sơ A3.',
    );
    expect(d.lines).toContain('Thời gian hẹn trả kết quả giải quyết hồ sơ: ngày 12/10/2026.');
    expect(d.lines).toContain('Lý do: Chờ ý kiến phối hợp của Sở Tài chính');
    expect(d.text).toContain('hẹn lại thời gian trả kết quả vào ngày 14/10/2026.');
    expect((await leader.get(`/apologies/${slipId}/print`)).text).toContain(`href="/apologies/${slipId}/print.docx"`);
  });

  it('is for readers: staff 403, signed out to the login, a missing slip 404', async () => {
    expect((await (await t.signIn('staff')).get(`/apologies/${slipId}/print.docx`)).status).toBe(403);
    expect([302, 303, 401]).toContain((await request(t.app).get(`/apologies/${slipId}/print.docx`)).status);
    expect((await leader.get('/apologies/999999/print.docx')).status).toBe(404);
  });
});
