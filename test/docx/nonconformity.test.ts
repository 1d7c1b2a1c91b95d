import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNonconformity } from '../../src/features/nonconformities/nonconformities.service';
import { createTestApp, type SignedIn, type TestApp } from '../support/app';
import { addOrganisation } from '../support/orgs';
import { addEffectiveDocument, addProcedure, baseNc, ncIn, newNc } from '../nonconformities/helpers';
import { expectAdministrative, getDocx, tableRows } from './docx';

/**
 * The corrective action request as a Word file, for an NC taken through the whole workflow (test/nonconformities
 * helpers): analysed (one "why", cause "people", root cause), one corrective action due 15/12/2026 done by staff,
 * verified effective by the leader. Each row of the Word tables equals the row of the printed page.
 */
let t: TestApp;
let qo: SignedIn;
let nc: { id: number; code: string };
let otherOrgNc: number;

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  const p = await addProcedure(t, 'QT-HT-05');
  await addEffectiveDocument(t, p, 'QT-HT-05');
  nc = await ncIn(t, 'closed', { title: 'Trả kết quả chậm', procedureId: p, detectedOn: '2026-03-05', responsibleUnitId: t.units.main });
  const b = await addOrganisation(t, 'SOB');
  otherOrgNc = (await createNonconformity(b.ctx, baseNc({ reportedBy: b.users.quality_officer }), b.users.quality_officer)).id;
});
afterAll(async () => t.close());

const cells = (html: string, marker: string) => {
  const at = html.indexOf(marker);
  const body = html.slice(html.indexOf('<tbody>', at), html.indexOf('</tbody>', at));
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1].matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => c[1].replace(/<[^>]+>/g, '').trim()),
  );
};

describe('GET /nonconformities/:id/print.docx', () => {
  it('is the request with its own number, the settings’ letterhead, and every part of the print', async () => {
    const d = await getDocx(qo, `/nonconformities/${nc.id}/print.docx`);
    const html = (await qo.get(`/nonconformities/${nc.id}/print`)).text;
    const unit = /<th scope="row">[^<]+<\/th><td>([^<—]+?)(?: — [^<]*)?<\/td><\/tr>\s*<\/tbody>/.exec(html)![1].trim();
    expectAdministrative(d, {
      number: `Số: ${nc.code.slice(-3)}/PYC-LĐTBXH`,
      signerTitles: ['TRƯỞNG PHÒNG'],
      signerName: 'Phạm Văn Minh',
      recipients: [unit, 'Người dùng staff', 'Lưu: VT, hồ sơ ISO'],
    });
    expect(d.disposition).toContain(`filename="phieu-yeu-cau-${nc.code}.docx"`);
    expect(d.lines).toContain('PHIẾU YÊU CẦU HÀNH ĐỘNG KHẮC PHỤC');
    expect(d.lines).toContain(`Sự không phù hợp ${nc.code}: Trả kết quả chậm`);
    expect(d.lines).toContain('Nghĩa Hưng, ngày 26 tháng 11 năm 2026');
    const rows = tableRows(d.xml);
    expect(rows).toContainEqual(['Ngày phát hiện', '05/03/2026']);
    const procedureTitle = /QT-HT-05 — ([^<]+)</.exec(html)![1];
    expect(rows).toContainEqual(['Quy trình', `QT-HT-05 — ${procedureTitle}`]);
    expect(rows).toContainEqual([expect.any(String), 'Lần ban hành 1']);
    expect(rows).toContainEqual(['1', 'Vì sao trễ?', 'Thao tác sai']);
    // The actions' table: the same cells as the print (type, description, owner, due date, status and completion).
    const printed = cells(html, '<h2>4.');
    expect(printed).toHaveLength(1);
    expect(rows).toContainEqual(printed[0]);
    expect(printed[0].slice(2, 5)).toEqual(['Tập huấn lại thao tác phần mềm một cửa', 'Người dùng staff', '15/12/2026']);
    expect(d.text).toContain('Chưa được tập huấn');
    expect(d.text).toMatch(/Người dùng leader: [^.]+\. Kiểm tra 20 hồ sơ đều đúng hạn/);
    // Drawn up by the quality officer, bottom left.
    expect(d.lines).toContain('NGƯỜI LẬP');
    expect(d.lines).toContain('Người dùng quality_officer');
    expect(html).toContain(`href="/nonconformities/${nc.id}/print.docx"`);
  });

  it('answers like the print: other staff 403, signed out to the login, a missing or another organisation’s NC 404', async () => {
    const unrelated = await newNc(t, {});
    const staff = await t.signIn('staff');
    expect((await staff.get(`/nonconformities/${nc.id}/print.docx`)).status).toBe(200);
    expect((await staff.get(`/nonconformities/${unrelated.id}/print.docx`)).status).toBe((await staff.get(`/nonconformities/${unrelated.id}/print`)).status);
    expect((await staff.get(`/nonconformities/${unrelated.id}/print.docx`)).status).toBe(403);
    expect([302, 303, 401]).toContain((await request(t.app).get(`/nonconformities/${nc.id}/print.docx`)).status);
    expect((await qo.get('/nonconformities/999999/print.docx')).status).toBe(404);
    expect((await qo.get(`/nonconformities/${otherOrgNc}/print.docx`)).status).toBe(404);
  });
});
