import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUnit } from '../../src/features/units/units.queries';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { getDocx, tableRows } from '../docx/docx';
import { addUser, auditForm, auditLog, fixture, idFromLocation, type Fixture } from './support';

/**
 * The printed audit report, built by hand: an internal audit of QT-A-01 and QT-A-02 (both owned by LĐTBXH, the auditee
 * unit) led by "auditor" (VP) with member "member2" (TC). Five questions, recorded in this order:
 *   QT-A-02 major NC (auditor) → PH-01; QT-A-02 minor NC (member2) → PH-02; QT-A-01 minor NC (auditor) → PH-03;
 *   general observation (auditor) → PH-04; QT-A-01 conform (auditor).
 * Grouped by grade then procedure (general last): major (1): QT-A-02 (1): PH-01; minor (2): QT-A-01 (1): PH-03,
 * QT-A-02 (1): PH-02; observation (1): general (1): PH-04. Who audited what: QT-A-01 auditor 2; QT-A-02 auditor 1,
 * member2 1; general auditor 1. Issued by the lead on 26/11/2026 at 09:00; acknowledged by "leader" (LĐTBXH).
 */
let t: TestApp;
let f: Fixture;
let lead: SignedIn;
let auditId: number;

const GROUPED = [
  'Điểm không phù hợp nặng (1)',
  'QT-A-02 — Quy trình QT-A-02 (1)',
  'PH-01',
  'Điểm không phù hợp nhẹ (2)',
  'QT-A-01 — Quy trình QT-A-01 (1)',
  'PH-03',
  'QT-A-02 — Quy trình QT-A-02 (1)',
  'PH-02',
  'Điểm lưu ý (1)',
  'Câu hỏi chung (1)',
  'PH-04',
];
const ASSESSORS = [
  'QT-A-01: Chuyên gia auditor (2 câu hỏi)',
  'QT-A-02: Chuyên gia auditor (1 câu hỏi), Chuyên gia member2 (1 câu hỏi)',
  'Câu hỏi chung: Chuyên gia auditor (1 câu hỏi)',
];
const decode = (s: string) =>
  s
    .replace(/<[^>]+>/g, '')
    .replace(/&#x3D;/g, '=')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
/** The first cell of each row of the grouped findings table of the print. */
const groupedRows = (html: string) => {
  const table = /<table class="table findings-grouped">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.replace(/<thead>[\s\S]*?<\/thead>/, '').matchAll(/<tr[^>]*>\s*<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => decode(m[1]));
};
const version = async () => String((await rows<{ version: number }>(t, 'select version from audits where id = ?', auditId))[0].version);
const ack = (who: SignedIn, fields: Record<string, string>) => who.post(`/audits/${auditId}/acknowledge`, fields);

beforeAll(async () => {
  t = await createTestApp();
  f = await fixture(t);
  const tc = await insertUnit(t.ctx.db, { code: 'TC', name: 'Phòng Tài chính' }, t.clock.now().toISOString());
  const member = await addUser(t, 'member2', 'quality_officer', tc);
  lead = await t.signIn('auditor');
  const created = await lead.post('/audits', auditForm(f, { member_ids: [String(member)], auditee_unit_id: String(t.units.main), clauses: ['7.5.3'] }));
  expect(created.status).toBe(303);
  auditId = idFromLocation(created.headers.location);
  const plan: [number | null, string, SignedIn | 'member', Record<string, string>][] = [
    [f.p2, 'Câu 1', lead, { result: 'major_nc', statement: 'Không có phiếu kiểm soát' }],
    [f.p2, 'Câu 2', 'member', { result: 'minor_nc', statement: 'Sổ theo dõi không cập nhật' }],
    [f.p1, 'Câu 3', lead, { result: 'minor_nc', statement: 'Thiếu thành phần hồ sơ' }],
    [null, 'Câu 4', lead, { result: 'observation', statement: 'Chưa phổ biến chính sách chất lượng' }],
    [f.p1, 'Câu 5', lead, { result: 'conform' }],
  ];
  for (const [procedure, question] of plan) {
    const p = procedure === null ? '' : String(procedure);
    expect((await lead.post(`/audits/${auditId}/checklist/items`, { question, procedure_id: p, clause: '7.5.3' })).status).toBe(303);
  }
  expect((await lead.post(`/audits/${auditId}/start`, { actual_start: '2026-11-24', version: '1' })).status).toBe(303);
  const memberSession = await t.signIn('member2');
  for (const [procedure, question, who, fields] of plan) {
    const [item] = await rows<{ id: number }>(t, 'select id from audit_checklist_items where audit_id = ? and question = ?', auditId, question);
    const by = who === 'member' ? memberSession : who;
    const res = await by.post(`/audits/${auditId}/checklist/${item.id}`, {
      question,
      clause: '7.5.3',
      procedure_id: procedure === null ? '' : String(procedure),
      evidence: 'Hồ sơ năm 2026',
      version: '1',
      ...fields,
    });
    expect(res.status).toBe(303);
  }
  expect((await lead.post(`/audits/${auditId}/conclusion`, { conclusion: 'Hệ thống cơ bản phù hợp.', version: await version() })).status).toBe(303);
});
afterAll(async () => t.close());

describe('the printed audit report', () => {
  it('groups the findings by grade then procedure, general last, with counts, and lists who audited what', async () => {
    const page = await lead.get(`/audits/${auditId}/report`);
    expect(page.status).toBe(200);
    expect(groupedRows(page.text)).toEqual(GROUPED);
    const text = decode(page.text);
    for (const line of ASSESSORS) expect(text).toContain(line);
    // Not acknowledged yet: blank lines to sign on paper.
    expect(text).toContain('Họ tên, chức vụ người đại diện đơn vị được đánh giá: …');
    expect(text).toContain('8. Ý kiến của đơn vị được đánh giá');
    // The audit page lists the same.
    const show = decode((await lead.get(`/audits/${auditId}`)).text);
    expect(show).toContain('QT-A-02 Quy trình QT-A-02: Chuyên gia auditor (1 câu hỏi), Chuyên gia member2 (1 câu hỏi)');
  });

  it('takes no acknowledgement before the report is issued', async () => {
    const leader = await t.signIn('leader');
    expect((await ack(leader, { ack_name: 'Người dùng leader, Lãnh đạo', ack_note: '', version: await version() })).status).toBe(409);
    expect(await rows(t, 'select auditee_ack_at from audits where id = ?', auditId)).toEqual([{ auditee_ack_at: null }]);
  });

  it('shows both signature blocks: the lead auditor’s e-signature once issued, and the leader’s', async () => {
    const issued = await lead.post(`/audits/${auditId}/issue`, { password: 'correct horse battery', actual_end: '2026-11-26', version: await version() });
    expect(issued.status).toBe(303);
    const text = decode((await lead.get(`/audits/${auditId}/report`)).text);
    expect(text).toMatch(/Trưởng đoàn đánh giá Đã ký điện tử lúc 26\/11\/2026 09:00 Chuyên gia auditor/);
    expect(text).toMatch(/TRƯỞNG PHÒNG Phạm Văn Minh/);
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
  });

  it('takes the auditee’s acknowledgement once, from a person of an audited unit who is not an auditor', async () => {
    const leader = await t.signIn('leader');
    const page = await leader.get(`/audits/${auditId}`);
    expect(page.text).toContain(`action="/audits/${auditId}/acknowledge"`);
    expect(page.text).toContain('value="Người dùng leader, Lãnh đạo"');
    expect((await lead.get(`/audits/${auditId}`)).text).not.toContain(`action="/audits/${auditId}/acknowledge"`);
    const fields = { ack_name: 'Người dùng leader, Trưởng phòng', ack_note: 'Thống nhất với các phát hiện.', version: await version() };
    expect((await ack(lead, fields)).status).toBe(403);
    expect((await ack(await t.signIn('leader2'), fields)).status).toBe(403);
    const empty = await ack(leader, { ...fields, ack_name: '' });
    expect(empty.status).toBe(422);
    expect(empty.text).toMatch(/id="e-ack_name">Vui lòng nhập trường này\./);
    expect(await rows(t, 'select auditee_ack_at from audits where id = ?', auditId)).toEqual([{ auditee_ack_at: null }]);
    expect((await ack(leader, fields)).status).toBe(303);
    expect(await rows(t, 'select auditee_ack_by, auditee_ack_at, auditee_ack_name, auditee_ack_note from audits where id = ?', auditId)).toEqual([
      {
        auditee_ack_by: t.users.leader,
        auditee_ack_at: '2026-11-26T02:00:00.000Z',
        auditee_ack_name: 'Người dùng leader, Trưởng phòng',
        auditee_ack_note: 'Thống nhất với các phát hiện.',
      },
    ]);
    expect((await auditLog(t, 'audit', auditId)).filter((e) => e.action === 'acknowledge_report')).toEqual([
      { action: 'acknowledge_report', user_id: t.users.leader },
    ]);
    expect((await ack(leader, { ...fields, version: await version() })).status).toBe(409);
    const text = decode((await lead.get(`/audits/${auditId}/report`)).text);
    expect(text).toContain('Đơn vị được đánh giá đã nhận báo cáo: Người dùng leader, Trưởng phòng, ngày 26/11/2026. Thống nhất với các phát hiện.');
    expect(text).not.toContain('Họ tên, chức vụ người đại diện đơn vị được đánh giá: …');
  });

  it('writes the same grouped findings, who audited what and the acknowledgement in the Word file', async () => {
    const d = await getDocx(lead, `/audits/${auditId}/report.docx`);
    expect(d.status).toBe(200);
    const table = tableRows(d.xml).filter((r) => /^(PH-\d+|.+ \(\d+\))$/.test(r[0] ?? ''));
    expect(table.map((r) => r[0])).toEqual(GROUPED);
    expect(table.find((r) => r[0] === 'PH-03')).toEqual([
      'PH-03',
      'Điểm không phù hợp nhẹ',
      'QT-A-01 / 7.5.3',
      'Thiếu thành phần hồ sơ',
      'Hồ sơ năm 2026',
      'NC-2026-003',
    ]);
    for (const line of ASSESSORS) expect(d.text).toContain(line);
    expect(d.lines).toContain('Đơn vị được đánh giá đã nhận báo cáo: Người dùng leader, Trưởng phòng, ngày 26/11/2026.');
    expect(d.lines).toContain('Thống nhất với các phát hiện.');
    expect(d.lines).toContain('Đã ký điện tử lúc 26/11/2026 09:00');
    expect(d.lines).toContain('TRƯỞNG PHÒNG');
    expect(d.lines).toContain('Phạm Văn Minh');
  });
});
