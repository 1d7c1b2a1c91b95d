import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, type TestApp } from '../support/app';
import { onPostgres } from '../support/engine';
import { afterBulkWrite } from '../../src/core/db/dialect/bulk';
import { ImportRowsError, formatRowError } from '../../src/core/import';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';

/**
 * A file exported from a provincial one-stop system (issue 20, "Real exports"): its own Vietnamese headers, its
 * status words instead of an outcome, the handling unit, and a personal-data column that must never be stored.
 * The clock says Sat 05/12/2026 10:00 local (03:00 UTC). November 2026 starts on a Sunday; no holiday is declared.
 * Procedure QT-BTXH-01 (national code 1.001776) takes 5 working days. The test app's units: LĐTBXH "Phòng LĐTBXH"
 * (t.units.main) and VP "Văn phòng" (t.units.other).
 */
const HEADER = 'Mã hồ sơ;Mã thủ tục;Tên thủ tục;Ngày tiếp nhận;Ngày hẹn trả;Ngày trả kết quả;Hình thức nộp;Trạng thái;Đơn vị xử lý;Họ tên người nộp';
const ROWS = [
  // Mon 02/11 08:15 local = 01:15 UTC; returned Fri 13/11 15:00 local = 08:00 UTC; unit named by its name
  'H40-0001;1.001776;Trợ cấp xã hội hàng tháng;02/11/2026 08:15;16/11/2026;13/11/2026 15:00;Trực tiếp;Đã trả kết quả;Phòng LĐTBXH;Nguyễn Văn An',
  // unit named by its code, another case and no diacritics on the đ: lđtbxh = LĐTBXH folded
  'H40-0002;1.001776;Trợ cấp xã hội hàng tháng;03/11/2026;17/11/2026;05/11/2026;Trực tuyến;Đã trả;lđtbxh;Trần Thị Bình',
  // the procedure's own code; withdrawn; the full postal wording
  'H40-0003;QT-BTXH-01;;04/11/2026;18/11/2026;06/11/2026;Qua dịch vụ bưu chính công ích;Công dân rút hồ sơ;Văn phòng;Lê Văn Cường',
  // pending; a unit that is not ours: kept as written, no unit id, not an error
  'H40-0004;1.001776;;20/11/2026;04/12/2026;;Bưu chính;Đang xử lý;UBND xã Nghĩa Lâm;Phạm Thị Dung',
  // pending, waiting for papers
  'H40-0005;1.001776;;25/11/2026;09/12/2026;;Trực tuyến;Chờ bổ sung;Văn phòng;Hoàng Văn Em',
  // pending, no due date and no unit: due = 5 working days after Tue 01/12 (Wed 2, Thu 3, Fri 4, Mon 7, Tue 8) = 08/12
  'H40-0006;1.001776;;01/12/2026;;;Trực tiếp;Đang giải quyết;;Vũ Thị Phương',
];
const FILE = `\uFEFF${[HEADER, ...ROWS].join('\r\n')}\r\n`;
const PERSONAL = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường', 'Phạm Thị Dung', 'Hoàng Văn Em', 'Vũ Thị Phương', 'Họ tên người nộp'];

let t: TestApp;
let procedureId: number;
const importText = (text: string, fileName = 'mot-cua.csv') =>
  importDossiers(t.ctx, { buffer: Buffer.from(text) }, { fileName, actorId: t.users.quality_officer, via: 'upload' });
const stored = () =>
  rows(
    t,
    'select code, procedure_id, received_on, received_at, due_on, due_computed, returned_on, outcome, channel, handling_unit, unit_id from dossiers order by code',
  );

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-12-05T03:00:00Z');
  procedureId = await createProcedure(
    t.ctx,
    {
      code: 'QT-BTXH-01',
      title: 'Trợ cấp xã hội hàng tháng',
      field: 'Bảo trợ xã hội',
      national_code: '1.001776',
      processing_days: 5,
      online_level: 'partial',
      unit_id: t.units.main,
      on_time_target: 1,
    },
    null,
  );
});
afterAll(async () => t.close());

describe('an export of the one-stop system', () => {
  it('stores exactly the dossiers it describes, with the outcome read from the status and the handling unit', async () => {
    const s = await importText(FILE);
    expect(s).toMatchObject({ rows: 6, added: 6, updated: 0, unchanged: 0 });
    const p = procedureId;
    const { main, other } = t.units;
    expect(await stored()).toEqual([
      {
        code: 'H40-0001',
        procedure_id: p,
        received_on: '2026-11-02',
        received_at: '2026-11-02T01:15:00.000Z',
        due_on: '2026-11-16',
        due_computed: 0,
        returned_on: '2026-11-13',
        outcome: 'returned',
        channel: 'direct',
        handling_unit: 'Phòng LĐTBXH',
        unit_id: main,
      },
      {
        code: 'H40-0002',
        procedure_id: p,
        received_on: '2026-11-03',
        received_at: null,
        due_on: '2026-11-17',
        due_computed: 0,
        returned_on: '2026-11-05',
        outcome: 'returned',
        channel: 'online',
        handling_unit: 'lđtbxh',
        unit_id: main,
      },
      {
        code: 'H40-0003',
        procedure_id: p,
        received_on: '2026-11-04',
        received_at: null,
        due_on: '2026-11-18',
        due_computed: 0,
        returned_on: '2026-11-06',
        outcome: 'withdrawn',
        channel: 'postal',
        handling_unit: 'Văn phòng',
        unit_id: other,
      },
      {
        code: 'H40-0004',
        procedure_id: p,
        received_on: '2026-11-20',
        received_at: null,
        due_on: '2026-12-04',
        due_computed: 0,
        returned_on: null,
        outcome: null,
        channel: 'postal',
        handling_unit: 'UBND xã Nghĩa Lâm',
        unit_id: null,
      },
      {
        code: 'H40-0005',
        procedure_id: p,
        received_on: '2026-11-25',
        received_at: null,
        due_on: '2026-12-09',
        due_computed: 0,
        returned_on: null,
        outcome: null,
        channel: 'online',
        handling_unit: 'Văn phòng',
        unit_id: other,
      },
      {
        code: 'H40-0006',
        procedure_id: p,
        received_on: '2026-12-01',
        received_at: null,
        due_on: '2026-12-08',
        due_computed: 1,
        returned_on: null,
        outcome: null,
        channel: 'direct',
        handling_unit: null,
        unit_id: null,
      },
    ]);
  });

  it('stores the applicant’s name nowhere: no such column, not in the audit log, not in the database file', async () => {
    const columns = (
      await rows<{ name: string }>(
        t,
        onPostgres ? 'select column_name as name from information_schema.columns where table_name = ?' : 'select name from pragma_table_info(?)',
        'dossiers',
      )
    ).map((c) => c.name);
    expect(columns).toContain('handling_unit');
    expect(columns.filter((c) => /name|ho_ten|applicant/i.test(c))).toEqual([]);
    const audit = JSON.stringify(await rows(t, 'select * from audit_log'));
    for (const personal of PERSONAL) expect(audit, personal).not.toContain(personal);
    // The database file itself on SQLite (PostgreSQL's files belong to its server): the write-ahead log copied in first.
    if (onPostgres) return;
    await afterBulkWrite(t.ctx.db, ['dossiers']);
    const file = readFileSync(t.config.databasePath);
    for (const personal of PERSONAL) expect(file.includes(Buffer.from(personal)), personal).toBe(false);
  });

  it('reads the same headers in capitals without diacritics, spaced anyhow: the same file again changes nothing', async () => {
    const before = await stored();
    const shouting = 'MA HO SO;MA  THU TUC;Ten thu tuc;NGAY TIEP NHAN;Ngày  Hẹn Trả;NGAY TRA KET QUA;HINH THUC NOP;TRANG THAI;DON VI XU LY;HO TEN NGUOI NOP';
    const s = await importText(`${[shouting, ...ROWS].join('\n')}\n`, 'MOT-CUA.csv');
    expect(s).toMatchObject({ rows: 6, added: 0, updated: 0, unchanged: 6 });
    expect(await stored()).toEqual(before);
  });

  it('a later file moves a dossier to another handling unit (audited); a file without the column keeps the units', async () => {
    const later = [HEADER, ROWS[3].replace('UBND xã Nghĩa Lâm', 'VP')].join('\n');
    const s = await importText(later, 'mot-cua-sau.csv');
    expect(s).toMatchObject({ rows: 1, added: 0, updated: 1, unchanged: 0 });
    expect(await rows(t, "select handling_unit, unit_id from dossiers where code = 'H40-0004'")).toEqual([{ handling_unit: 'VP', unit_id: t.units.other }]);
    const [change] = await rows<{ old_values: string; new_values: string }>(t, "select old_values, new_values from audit_log where action = 'import_update'");
    expect(JSON.parse(change.old_values)).toMatchObject({ code: 'H40-0004', handling_unit: 'UBND xã Nghĩa Lâm', unit_id: null });
    expect(JSON.parse(change.new_values)).toMatchObject({ handling_unit: 'VP', unit_id: t.units.other });

    // The older format, without Đơn vị xử lý: every other value is the same, so nothing changes.
    const before = await stored();
    const older = [
      'code,procedure_code,received_at,due_date,returned_at,outcome,channel',
      'H40-0001,QT-BTXH-01,02/11/2026 08:15,16/11/2026,13/11/2026 15:00,,direct',
    ];
    expect(await importText(older.join('\n'), 'cu.csv')).toMatchObject({ rows: 1, unchanged: 1 });
    expect(await stored()).toEqual(before);
  });

  it('refuses a status it does not know, listing the accepted ones, and a pending status with a return date', async () => {
    const before = await stored();
    const bad = [HEADER, 'H40-0101;1.001776;;02/11/2026;;;Trực tiếp;Đã duyệt;;', 'H40-0102;1.001776;;02/11/2026;;03/11/2026;Trực tiếp;Đang xử lý;;'];
    const err = (await importText(bad.join('\n')).catch((e: unknown) => e)) as ImportRowsError;
    expect(err).toBeInstanceOf(ImportRowsError);
    expect(err.errors.map((e) => formatRowError(e, 'vi', err.labels))).toEqual([
      'Dòng 2, cột Trạng thái: “Đã duyệt” không phải là trạng thái được chấp nhận; dùng một trong: Đã trả kết quả, Đã trả, Rút hồ sơ, Đã rút, Công dân rút hồ sơ, Đang xử lý, Đang giải quyết, Chờ bổ sung, Tạm dừng',
      'Dòng 3, cột Trạng thái: trạng thái “Đang xử lý” là đang giải quyết nhưng dòng có ngày trả kết quả',
    ]);
    expect(await stored()).toEqual(before);
  });

  it('names an unknown procedure with the title the file gives, in the column as the file named it', async () => {
    const err = (await importText([HEADER, 'H40-0201;1.0012;Cấp thẻ bảo hiểm y tế;02/11/2026;;;;;;'].join('\n')).catch((e: unknown) => e)) as ImportRowsError;
    expect(formatRowError(err.errors[0], 'vi', err.labels)).toBe('Dòng 2, cột Mã thủ tục: không có thủ tục/quy trình mã 1.0012 (Cấp thẻ bảo hiểm y tế)');
    expect(formatRowError(err.errors[0], 'en', err.labels)).toBe(
      'Row 2, column Mã thủ tục: no procedure with code or national code 1.0012 (Cấp thẻ bảo hiểm y tế)',
    );
  });
});

describe('the dossier page and the CSV export', () => {
  it('show the handling unit and the unit it names', async () => {
    const leader = await t.signIn('leader');
    const [d] = await rows<{ id: number }>(t, "select id from dossiers where code = 'H40-0001'");
    const page = await leader.get(`/dossiers/${d.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<dt>Đơn vị xử lý</dt><dd>Phòng LĐTBXH (đơn vị <code>LĐTBXH</code>)</dd>');
    const [none] = await rows<{ id: number }>(t, "select id from dossiers where code = 'H40-0006'");
    expect((await leader.get(`/dossiers/${none.id}?lang=en`)).text).toContain('<dt>Handling unit</dt><dd>Not given by the imported file</dd>');
    const csv = await leader.get('/dossiers/procedures/QT-BTXH-01/export.csv?from=2026-11-01&to=2026-11-30&status=early&lang=vi');
    // H40-0001: returned 13/11, due 16/11 → early; H40-0002: returned 05/11, due 17/11 → early
    expect(csv.text.split('\r\n').slice(1, 3)).toEqual([
      'H40-0001,QT-BTXH-01,02/11/2026 08:15:00,16/11/2026,13/11/2026 15:00:00,Đã trả,Trực tiếp,Phòng LĐTBXH,Trước hạn',
      'H40-0002,QT-BTXH-01,03/11/2026,17/11/2026,05/11/2026,Đã trả,Trực tuyến,lđtbxh,Trước hạn',
    ]);
  });
});
