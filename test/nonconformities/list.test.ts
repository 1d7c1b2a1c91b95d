import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, one, rows, type SignedIn, type TestApp } from '../support/app';
import { csvCell } from '../../src/features/nonconformities/nonconformities.csv';
import { addEffectiveDocument, addProcedure, ncIn, newAction, newNc } from './helpers';

/** The register: filters, sorting, pages, the CSV export of the filtered list, and the printable request. */
let t: TestApp;
let qo: SignedIn;
let p1: number;
let p2: number;
const codes = (html: string) => [...html.matchAll(/<a href="\/nonconformities\/\d+"><code>(NC-\d{4}-\d{3})<\/code><\/a><\/td>/g)].map((m) => m[1]);

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  p1 = await addProcedure(t, 'QT-BTXH-01');
  p2 = await addProcedure(t, 'QT-NCC-02');
  await newNc(t, { title: 'Một', procedureId: p1, severity: 'major', source: 'internal_audit', detectedOn: '2026-01-10', responsibleUnitId: t.units.main }); // 001
  await newNc(t, { title: 'Hai', procedureId: p2, severity: 'minor', source: 'complaint', detectedOn: '2026-02-10', responsibleUnitId: t.units.other }); // 002
  const overdue = await ncIn(t, 'open', { title: 'Ba', procedureId: p1, severity: 'minor', source: 'complaint', detectedOn: '2026-03-10' }); // 003
  await newAction(t, overdue.id, { type: 'correction', dueDate: '2026-11-01' });
  await ncIn(t, 'closed', { title: '=HYPERLINK("http://evil")', procedureId: p2, severity: 'major', detectedOn: '2026-04-10' }); // 004
  await ncIn(t, 'cancelled', { title: 'Năm, có "ngoặc kép"', severity: 'minor', detectedOn: '2026-05-10' }); // 005
});
afterAll(async () => t.close());

describe('the register', () => {
  it('filters by status, severity, source, procedure, unit and overdue', async () => {
    expect(codes((await qo.get('/nonconformities')).text)).toEqual(['NC-2026-005', 'NC-2026-004', 'NC-2026-003', 'NC-2026-002', 'NC-2026-001']);
    expect(codes((await qo.get('/nonconformities?status=closed')).text)).toEqual(['NC-2026-004']);
    expect(codes((await qo.get('/nonconformities?status=active')).text)).toEqual(['NC-2026-003', 'NC-2026-002', 'NC-2026-001']);
    expect(codes((await qo.get('/nonconformities?severity=major')).text)).toEqual(['NC-2026-004', 'NC-2026-001']);
    expect(codes((await qo.get('/nonconformities?source=complaint')).text)).toEqual(['NC-2026-003', 'NC-2026-002']);
    expect(codes((await qo.get(`/nonconformities?procedure=${p1}`)).text)).toEqual(['NC-2026-003', 'NC-2026-001']);
    expect(codes((await qo.get(`/nonconformities?unit=${t.units.other}`)).text)).toEqual(['NC-2026-002']);
    const overdue = await qo.get('/nonconformities?overdue=1');
    expect(codes(overdue.text)).toEqual(['NC-2026-003']);
    expect(overdue.text).toContain('(1 quá hạn)');
    expect(codes((await qo.get('/nonconformities?q=Hai')).text)).toEqual(['NC-2026-002']);
    // Unknown values are ignored, never a 500.
    expect((await qo.get('/nonconformities?status=nope&severity=%27&procedure=abc&sort=evil&dir=sideways&page=-3')).status).toBe(200);
  });

  it('sorts by detection date, severity and procedure in both directions', async () => {
    expect(codes((await qo.get('/nonconformities?sort=detected_on&dir=asc')).text)).toEqual([
      'NC-2026-001',
      'NC-2026-002',
      'NC-2026-003',
      'NC-2026-004',
      'NC-2026-005',
    ]);
    expect(codes((await qo.get('/nonconformities?sort=severity&dir=asc')).text).slice(0, 2)).toEqual(['NC-2026-004', 'NC-2026-001']);
    expect(codes((await qo.get('/nonconformities?sort=procedure&dir=asc')).text)).toEqual([
      'NC-2026-003',
      'NC-2026-001',
      'NC-2026-004',
      'NC-2026-002',
      'NC-2026-005',
    ]);
  });

  it('pages 50 at a time, keeping the filters in the page links', async () => {
    const local = await createTestApp();
    try {
      for (let i = 0; i < 53; i++) await newNc(local, { title: `NC ${i}`, severity: 'minor' });
      const who = await local.signIn('leader');
      const first = await who.get('/nonconformities?severity=minor');
      expect(codes(first.text)).toHaveLength(50);
      expect(first.text).toContain('53 sự không phù hợp');
      const next = /href="([^"]+)" rel="next"/
        .exec(first.text)![1]
        .replace(/&#x3D;/g, '=')
        .replace(/&amp;/g, '&');
      expect(next).toBe('?severity=minor&page=2');
      const second = await who.get('/nonconformities?severity=minor&page=2');
      expect(codes(second.text)).toEqual(['NC-2026-003', 'NC-2026-002', 'NC-2026-001']);
    } finally {
      await local.close();
    }
  });
});

describe('CSV export', () => {
  it('exports the filtered list as UTF-8 with a BOM, quoted fields and formula injection neutralised', async () => {
    const res = await qo
      .get('/nonconformities/export.csv?severity=major')
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="nonconformities-2026-11-26\.csv"$/);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'Mã,Nội dung,Trạng thái,Mức độ,Nguồn phát hiện,Quy trình,Điều khoản ISO 9001:2015,Ngày phát hiện,Người báo cáo,Đơn vị chịu trách nhiệm,Người chịu trách nhiệm,Nhóm nguyên nhân,Lặp lại của,Hành động chưa xong,Hành động quá hạn,Hạn gần nhất,Ngày kiểm tra hiệu lực dự kiến,Ngày đóng',
    );
    expect(lines).toHaveLength(4); // header, two rows, final empty line
    expect(lines[1].startsWith('NC-2026-004,"\'=HYPERLINK(""http://evil"")",Đã đóng,Nặng,"Theo dõi, đo lường quá trình",QT-NCC-02,8.5.1,10/04/2026,')).toBe(
      true,
    );
    expect(lines[2].startsWith('NC-2026-001,Một,Đã tiếp nhận,Nặng,Đánh giá nội bộ,QT-BTXH-01,8.5.1,10/01/2026,')).toBe(true);
  });

  it('quotes and neutralises cells one by one', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+84 912')).toBe("'+84 912");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(3)).toBe('3');
    expect(csvCell('Bình thường')).toBe('Bình thường');
  });
});

describe('the printable corrective action request', () => {
  it('has the administrative header from the organisation settings and the request’s content', async () => {
    const p = await addProcedure(t, 'QT-HT-05');
    await addEffectiveDocument(t, p, 'QT-HT-05');
    const nc = await ncIn(t, 'in_progress', { title: 'Trả kết quả chậm', procedureId: p, detectedOn: '2026-03-05' });
    const res = await qo.get(`/nonconformities/${nc.id}/print`);
    expect(res.status).toBe(200);
    const html = res.text;
    expect(html).toContain('<div class="agency-parent">UBND huyện Nghĩa Hưng</div>');
    expect(html).toContain('<div class="agency-name">Phòng Lao động - Thương binh và Xã hội</div>');
    expect(html).toContain(`Số: ${nc.code.slice(-3)}/PYC-LĐTBXH`);
    expect(html).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(html).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(html).toContain('Nghĩa Hưng, ngày 26 tháng 11 năm 2026');
    expect(html).toContain('PHIẾU YÊU CẦU HÀNH ĐỘNG KHẮC PHỤC');
    expect(html).toContain(`Sự không phù hợp ${nc.code}: Trả kết quả chậm`);
    expect(html).toContain('Lần ban hành 1');
    expect(html).toContain('<p class="signer-title">TRƯỞNG PHÒNG</p>');
    expect(html).toContain('<div class="signer-name">Phạm Văn Minh</div>');
    expect(html).toContain('Tập huấn lại thao tác phần mềm một cửa');
    expect(html).toContain('Nơi nhận:');
    expect(html).toContain('<div class="signer-name">Người dùng quality_officer</div>'); // Người lập

    // A staff report: drawn up by the quality officer who accepted it, not by the reporter.
    const staff = await t.signIn('staff');
    const report = await staff.post('/nonconformities/report', { title: 'Báo cáo', description: 'Chi tiết', detected_on: '2026-11-26' });
    const reportId = Number(report.headers.location.split('/').pop());
    await qo.post(`/nonconformities/${reportId}/accept`, { version: '1', severity: 'minor' });
    const printed = await staff.get(`/nonconformities/${reportId}/print`);
    expect(printed.status).toBe(200);
    expect(printed.text).toContain('<div class="signer-name">Người dùng quality_officer</div>');
    expect(printed.text).toContain('<th scope="row">Người báo cáo</th><td>Người dùng staff</td>');
  });

  it('writes day and month with a leading zero', async () => {
    t.clock.set('2026-03-04T23:30:00Z'); // 05/03/2026 06:30 in Hà Nội
    const nc = await newNc(t, { detectedOn: '2026-03-05' });
    const who = await t.signIn('quality_officer');
    const res = await who.get(`/nonconformities/${nc.id}/print`);
    expect(res.text).toContain('Nghĩa Hưng, ngày 05 tháng 03 năm 2026');
    t.clock.set('2026-11-26T02:00:00Z');
  });
});

describe('raising an NC directly (quality officer)', () => {
  it('creates it open, pins the revision in force, and writes the audit entry', async () => {
    const p = await addProcedure(t, 'QT-NCC-09');
    const doc = await addEffectiveDocument(t, p, 'QT-NCC-09');
    const form = await qo.get('/nonconformities/new');
    expect(form.status).toBe(200);
    const res = await qo.post('/nonconformities', {
      title: 'Thiếu phiếu kiểm soát',
      description: 'Hồ sơ không có phiếu kiểm soát quá trình.',
      source: 'internal_audit',
      severity: 'major',
      procedure_id: String(p),
      clause: '8.5.1',
      detected_on: '2026-11-24',
      responsible_unit_id: String(t.units.main),
      responsible_user_id: String(t.users.leader),
    });
    expect(res.status).toBe(303);
    const id = Number(res.headers.location.split('/').pop());
    const row = await one(t, 'select status, opened_on, document_id, revision_id, revision_no, reported_by, created_by from nonconformities where id = ?', id);
    expect(row).toEqual({
      status: 'open',
      opened_on: '2026-11-26',
      document_id: doc.documentId,
      revision_id: doc.revisionId,
      revision_no: 1,
      reported_by: t.users.quality_officer,
      created_by: t.users.quality_officer,
    });
    const audit = await rows(t, "select action, user_id from audit_log where entity = 'nonconformity' and entity_id = ?", String(id));
    expect(audit).toEqual([{ action: 'create', user_id: t.users.quality_officer }]);
  });

  it('refuses an unknown clause, unit or person, and a version on creation (422, nothing written)', async () => {
    const before = await one(t, 'select count(*) as n from nonconformities');
    const base = { title: 'a', description: 'b', source: 'other', severity: 'minor', detected_on: '2026-11-24' };
    const extras: Record<string, string>[] = [
      { clause: '11.2' },
      { responsible_unit_id: '999' },
      { responsible_user_id: '999' },
      { version: '1' },
      { severity: 'critical' },
    ];
    for (const extra of extras) {
      const res = await qo.post('/nonconformities', { ...base, ...extra });
      expect(res.status, JSON.stringify(extra)).toBe(422);
    }
    expect(await one(t, 'select count(*) as n from nonconformities')).toEqual(before);
  });
});
