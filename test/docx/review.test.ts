import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, one, TEST_PASSWORD, type SignedIn, type TestApp } from '../support/app';
import { addOrganisation } from '../support/orgs';
import { buildScenario, dossier } from '../reports/fixtures';
import { expectAdministrative, getDocx, tableRows } from './docx';

/**
 * The management review minutes as a Word file, on the report fixtures (procedures, dossiers, NCs and audits of
 * January–March 2026) for a review of 01/01–30/06/2026 held 10/07/2026: every figure of the pack as the printed
 * minutes give it (each `data-figures` paragraph of the print appears word for word), the decision, the secretary and
 * the chair; once signed, the frozen pack whatever changes after.
 */
let t: TestApp;
let qo: SignedIn;
let leader: SignedIn;
let id: number;
let otherId: number;

const strip = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

beforeAll(async () => {
  t = await createTestApp();
  await buildScenario(t);
  qo = await t.signIn('quality_officer');
  leader = await t.signIn('leader');
  const base = {
    period_from: '2026-01-01',
    period_to: '2026-06-30',
    held_on: '2026-07-10',
    place: 'Phòng họp tầng 2',
    number_text: '07',
    chair_id: String(t.users.leader),
    secretary_id: String(t.users.quality_officer),
    attendee_ids: [String(t.users.staff)],
    guests: '',
    conclusions: 'Hệ thống vận hành phù hợp.',
    assessment_context: 'Không có thay đổi lớn',
  };
  expect((await qo.post('/reviews', base)).status).toBe(303);
  id = Number((await one<{ id: number }>(t, 'select id from management_reviews where organisation_id = 1'))!.id);
  const decision = { kind: 'improvement', description: 'Số hóa hồ sơ năm 2025', owner_id: String(t.users.staff), due_date: '2026-09-30' };
  expect((await qo.post(`/reviews/${id}/decisions`, decision)).status).toBe(303);
  const b = await addOrganisation(t, 'ORGV');
  const bOfficer = await t.signIn(b.usernames.quality_officer);
  await bOfficer.post('/reviews', {
    ...base,
    chair_id: String(b.users.leader),
    secretary_id: String(b.users.quality_officer),
    attendee_ids: [String(b.users.staff)],
  });
  otherId = Number((await one<{ id: number }>(t, 'select id from management_reviews where organisation_id = ?', b.id))!.id);
});
afterAll(async () => t.close());

async function expectSameFiguresAsPrint(text: string) {
  const html = (await leader.get(`/reviews/${id}/print`)).text;
  const figures = [...html.matchAll(/<p data-figures="([^"]+)">([\s\S]*?)<\/p>/g)].map((m) => [m[1], strip(m[2])]);
  expect(figures.map((f) => f[0])).toEqual(
    expect.arrayContaining(['processes', 'nonconformities', 'monitoring', 'audits', 'risks', 'improvement', 'feedback']),
  );
  const flat = text.replace(/\s+/g, ' ');
  for (const [key, figure] of figures) expect(flat, key).toContain(figure);
  return html;
}

describe('GET /reviews/:id/print.docx', () => {
  it('a draft: marked, with the meeting, every figure of the live pack, the decision and both signers', async () => {
    const d = await getDocx(leader, `/reviews/${id}/print.docx`);
    expectAdministrative(d, { number: 'Số: 07/BB-LĐTBXH', signerTitles: ['CHỦ TRÌ'], signerName: 'Người dùng leader', recipients: ['Lưu: VT'] });
    expect(d.disposition).toMatch(/filename="bien-ban-XXLD-2026-01\.docx"; filename\*=UTF-8''bien-ban-XXL%C4%90-2026-01\.docx/);
    expect(d.lines).toContain('BIÊN BẢN HỌP');
    expect(d.lines).toContain('(Kỳ xem xét từ ngày 01/01/2026 đến ngày 30/06/2026)');
    expect(d.lines).toContain('Nghĩa Hưng, ngày 10 tháng 7 năm 2026');
    expect(d.text).toContain('Phòng họp tầng 2');
    const html = await expectSameFiguresAsPrint(d.text);
    expect(html).toContain(`href="/reviews/${id}/print.docx"`);
    expect(html).toContain('data-draft');
    expect(d.lines).toContain(strip(/<p class="report-draft-mark" data-draft>([^<]+)<\/p>/.exec(html)![1]));
    expect(tableRows(d.xml)).toContainEqual(['1', 'Cơ hội cải tiến', 'Số hóa hồ sơ năm 2025', 'Người dùng staff', '30/09/2026']);
    expect(d.lines).toContain('THƯ KÝ');
    expect(d.lines).toContain('Người dùng quality_officer');
    expect(d.lines).toContain('Hệ thống vận hành phù hợp.');
    expect(d.text).toContain('Không có thay đổi lớn');
  });

  it('signed: the chair’s e-signature, no draft mark, and the frozen pack after the data change', async () => {
    const version = String((await one<{ version: number }>(t, 'select version from management_reviews where id = ?', id))!.version);
    expect((await leader.post(`/reviews/${id}/sign`, { password: TEST_PASSWORD, version })).status).toBe(303);
    const signed = await getDocx(leader, `/reviews/${id}/print.docx`);
    expect(signed.text).toContain('Đã ký điện tử: Người dùng leader, 26/11/2026 09:00');
    expect(signed.text).not.toContain('DỰ THẢO');
    await expectSameFiguresAsPrint(signed.text);
    const p = (await one<{ id: number }>(t, "select id from procedures where code = 'QT-TEST-03'"))!.id;
    await dossier(t, p, 'D-AFTER', { received: '2026-05-01', due: '2026-05-10', returned: '2026-05-09' });
    expect((await getDocx(leader, `/reviews/${id}/print.docx`)).text).toBe(signed.text);
  });

  it('is for readers of this organisation: staff 403, signed out to the login, a missing or another organisation’s review 404', async () => {
    expect((await (await t.signIn('staff')).get(`/reviews/${id}/print.docx`)).status).toBe(403);
    expect([302, 303, 401]).toContain((await request(t.app).get(`/reviews/${id}/print.docx`)).status);
    expect((await qo.get('/reviews/999999/print.docx')).status).toBe(404);
    expect((await qo.get(`/reviews/${otherId}/print.docx`)).status).toBe(404);
  });
});
