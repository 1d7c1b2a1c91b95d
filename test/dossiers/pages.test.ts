import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';

/**
 * Pages, CSV export and the JSON endpoint. The clock says 2026-11-26 (local). Procedure QT-PG-01 takes 2 working days.
 * Period used: November 2026 (Sun 1 … Mon 30; no holiday declared).
 */
const CSV = [
  'code,procedure_code,received_at,due_date,returned_at,outcome,channel',
  'P-01,QT-PG-01,2026-10-30,,2026-11-02,,direct', // due Tue 3/11 (Mon 2, Tue 3) → carried over, early
  'P-02,QT-PG-01,2026-11-02,,2026-11-04,,online', // due Wed 4/11 → on time
  'P-03,QT-PG-01,2026-11-03,,2026-11-09,,postal', // due Thu 5/11 → late
  'P-04,QT-PG-01,2026-11-05,,2026-11-06,withdrawn,online', // withdrawn → on time
  'P-05,QT-PG-01,2026-11-20,,,,direct', // due Tue 24/11 → pending, overdue at 30/11
  // received today (a receipt after today is refused): due Mon 30/11 (Fri 27, Mon 30) → pending, on track at 30/11
  'P-06,QT-PG-01,2026-11-26,,,,direct',
  '"=HYPERLINK(""http://x"")",QT-PG-01,2026-11-10,,2026-11-11,,direct', // a formula as code → early (due 12/11)
  '"P-08, bis",QT-PG-01,2026-11-10T09:15:00+07:00,,2026-11-12T16:00,,direct', // due 12/11 → on time
].join('\n');

let t: TestApp;
let leader: SignedIn;
let quality: SignedIn;
let staff: SignedIn;
const PERIOD = 'from=2026-11-01&to=2026-11-30';

beforeAll(async () => {
  t = await createTestApp();
  const base = { field: '', online_level: 'none' as const, unit_id: t.units.main, on_time_target: 1 };
  await createProcedure(t.ctx, { ...base, code: 'QT-PG-01', title: 'Thủ tục trang thử', national_code: null, processing_days: 2 }, null);
  await createProcedure(t.ctx, { ...base, code: 'QT-PG-02', title: 'Không có hồ sơ', national_code: null, processing_days: 2 }, null);
  await importDossiers(t.ctx, { buffer: Buffer.from(CSV) }, { fileName: 'trang.csv', actorId: null, via: 'cli' });
  leader = await t.signIn('leader');
  quality = await t.signIn('quality_officer');
  staff = await t.signIn('staff');
});
afterAll(async () => t.close());

describe('GET /reports/procedures/:code.json (served by the reports feature with these figures)', () => {
  it('answers procedure, period and the dossier figures named as in REPORTING.md', async () => {
    const res = await leader.get(`/reports/procedures/QT-PG-01.json?${PERIOD}`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    expect(res.body).toMatchObject({
      procedure: { code: 'QT-PG-01', title: 'Thủ tục trang thử' },
      period: { from: '2026-11-01', to: '2026-11-30' },
      dossiers: {
        carriedOver: 1,
        newlyReceived: 7,
        newlyReceivedOnline: 2,
        newlyReceivedDirect: 4,
        newlyReceivedPostal: 1,
        received: 8,
        resolved: 6,
        early: 2,
        onTime: 3,
        late: 1,
        pending: 2,
        pendingOnTrack: 1,
        pendingOverdue: 1,
        onTimeRate: 5 / 6,
      },
      generatedAt: '2026-11-26T02:00:00.000Z',
    });
  });

  it('answers 400 with a clear message for a missing, malformed or inverted period, and 404 for an unknown procedure', async () => {
    for (const query of [
      '',
      'from=2026-11-01',
      'from=2026-11-01&to=30/11/2026',
      'from=2026-02-30&to=2026-03-01',
      'from=2026-12-01&to=2026-11-01',
      'from=2026-11-01&from=2026-11-02&to=2026-11-30',
    ]) {
      const res = await leader.get(`/reports/procedures/QT-PG-01.json?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.type, query).toBe('application/json');
    }
    expect((await leader.get(`/reports/procedures/QT-NOPE.json?${PERIOD}`)).status).toBe(404);
  });

  it('is for managers only', async () => {
    expect((await staff.get(`/reports/procedures/QT-PG-01.json?${PERIOD}`)).status).toBe(403);
    expect((await quality.get(`/reports/procedures/QT-PG-01.json?${PERIOD}`)).status).toBe(200);
  });
});

describe('dossier pages', () => {
  it('shows every procedure with dossiers and the totals; staff may not see them', async () => {
    const res = await leader.get(`/dossiers?${PERIOD}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('QT-PG-01');
    expect(res.text).not.toContain('QT-PG-02');
    expect(res.text).toContain('83,33\u00a0%'); // 5 / 6
    expect(res.text).toContain('2026-11'); // monthly series
    expect((await staff.get('/dossiers')).status).toBe(403);
    const defaults = await leader.get('/dossiers');
    expect(defaults.status).toBe(200);
    expect(defaults.text).toContain('value="2026-01-01"');
    expect(defaults.text).toContain('value="2026-11-26"');
    const bad = await leader.get('/dossiers?from=2026-12-01&to=2026-11-01');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Ngày bắt đầu của kỳ đang sau ngày kết thúc');
  });

  it('filters a procedure’s dossiers by their standing in the period', async () => {
    const codesFor = async (status: string) => {
      const res = await leader.get(`/dossiers/procedures/QT-PG-01?${PERIOD}${status ? `&status=${status}` : ''}`);
      expect(res.status).toBe(200);
      return [...res.text.matchAll(/<a href="\/dossiers\/\d+"><code>([^<]+)<\/code><\/a>/g)].map((m) => m[1]).sort();
    };
    expect(await codesFor('')).toHaveLength(8);
    expect(await codesFor('early')).toEqual(['&#x3D;HYPERLINK(&quot;http://x&quot;)', 'P-01']);
    expect(await codesFor('on_time')).toEqual(['P-02', 'P-04', 'P-08, bis']);
    expect(await codesFor('late')).toEqual(['P-03']);
    expect(await codesFor('pending_on_track')).toEqual(['P-06']);
    expect(await codesFor('pending_overdue')).toEqual(['P-05']);
    expect(await codesFor('resolved')).toHaveLength(6);
    expect(await codesFor('pending')).toEqual(['P-05', 'P-06']);
    expect((await leader.get('/dossiers/procedures/QT-NOPE')).status).toBe(404);
    const search = await leader.get(`/dossiers/procedures/QT-PG-01?${PERIOD}&q=P-0`);
    expect(search.text).toContain('P-05');
    expect(search.text).not.toContain('HYPERLINK');
  });

  it('exports the list as CSV: BOM, quoting, no formulas, importable columns', async () => {
    const res = await leader.get(`/dossiers/procedures/QT-PG-01/export.csv?${PERIOD}&status=early`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(
      res.text.startsWith('\uFEFFMã hồ sơ,Mã quy trình,Ngày nhận,Ngày hẹn trả,Ngày trả kết quả,Kết quả,Hình thức nộp,Đơn vị xử lý,Tình trạng trong kỳ\r\n'),
    ).toBe(true);
    const lines = res.text.slice(1).split('\r\n');
    expect(lines).toEqual([
      expect.any(String),
      'P-01,QT-PG-01,30/10/2026,03/11/2026,02/11/2026,Đã trả,Trực tiếp,,Trước hạn', // no handling unit in the file
      `"'=HYPERLINK(""http://x"")",QT-PG-01,10/11/2026,12/11/2026,11/11/2026,Đã trả,Trực tiếp,,Trước hạn`,
      '',
    ]);
    const onTime = await leader.agent.get(`/dossiers/procedures/QT-PG-01/export.csv?${PERIOD}&status=on_time&lang=en`);
    expect(onTime.text).toContain('"P-08, bis",QT-PG-01,2026-11-10T09:15:00,2026-11-12,2026-11-12T16:00:00,Returned,Direct,,On time');
  });

  it('shows one dossier, and 404 for an unknown one', async () => {
    const [d] = await rows<{ id: number }>(t, "select id from dossiers where code = 'P-03'");
    const res = await leader.get(`/dossiers/${d.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('P-03');
    expect(res.text).toContain('05/11/2026');
    expect((await leader.get('/dossiers/999999')).status).toBe(404);
  });
});

describe('import by upload', () => {
  it('is for quality officers and admins; leaders see the history', async () => {
    expect((await quality.get('/dossiers/import')).status).toBe(200);
    expect((await leader.get('/dossiers/import')).status).toBe(403);
    expect((await leader.agent.post(`/dossiers/import`).field('_csrf', leader.csrf).attach('file', Buffer.from(CSV), 'x.csv')).status).toBe(403);
    expect((await leader.get('/dossiers/imports')).status).toBe(200);
    expect((await staff.get('/dossiers/imports')).status).toBe(403);
  });

  it('imports an uploaded file, records who and the SHA-256, and shows it in the history', async () => {
    const text = `${CSV}\nP-09,QT-PG-01,2026-11-25,,,,online`;
    const res = await quality.agent.post(`/dossiers/import`).field('_csrf', quality.csrf).attach('file', Buffer.from(text), 'hồ-sơ tháng 11.csv');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dossiers/imports');
    const sha = createHash('sha256').update(text).digest('hex');
    expect((await rows(t, 'select file_name, sha256, via, imported_by, rows_added, rows_unchanged from dossier_imports order by id desc limit 1'))[0]).toEqual({
      file_name: 'hồ-sơ tháng 11.csv',
      sha256: sha,
      via: 'upload',
      imported_by: t.users.quality_officer,
      rows_added: 1,
      rows_unchanged: 8,
    });
    expect((await rows(t, "select user_id from audit_log where action = 'import' and entity = 'dossier_import' order by id desc limit 1"))[0]).toEqual({
      user_id: t.users.quality_officer,
    });
    const history = await quality.get('/dossiers/imports');
    expect(history.text).toContain('Đã nhập hồ-sơ tháng 11.csv: 9 dòng — thêm 1, cập nhật 0, không đổi 8.');
    expect(history.text).toContain(sha);
    expect(history.text).toContain('hồ-sơ tháng 11.csv');
  });

  it('lists every wrong row on the page with 422 and writes nothing', async () => {
    const before = (await rows(t, 'select count(*) as n from dossier_imports'))[0];
    const res = await quality.agent
      .post(`/dossiers/import`)
      .field('_csrf', quality.csrf)
      .attach('file', Buffer.from('code,procedure_code,received_at\nA,QT-NOPE,2026-11-01\nB,QT-PG-01,hôm nay\n'), 'sai.csv');
    expect(res.status).toBe(422);
    expect(res.text).toContain('Dòng 2, cột procedure_code: không có thủ tục/quy trình mã QT-NOPE');
    expect(res.text).toContain('Dòng 3, cột received_at: “hôm nay” không phải là ngày');
    expect((await rows(t, 'select count(*) as n from dossier_imports'))[0]).toEqual(before);
    const binary = await quality.agent
      .post(`/dossiers/import`)
      .field('_csrf', quality.csrf)
      .attach('file', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), 'anh.png');
    expect(binary.status).toBe(422);
    expect((await quality.agent.post(`/dossiers/import`).field('_csrf', quality.csrf).field('x', '1')).status).toBe(400);
  });
});
