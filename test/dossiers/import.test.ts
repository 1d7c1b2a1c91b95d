import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, run, type TestApp } from '../support/app';
import { onPostgres } from '../support/engine';
import { afterBulkWrite } from '../../src/core/db/dialect/bulk';
import { ImportHeaderError, ImportRowsError, formatRowError } from '../../src/core/import';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';
import { MAX_LISTED_ERRORS } from '../../src/features/dossiers/dossiers.import';
import { refreshDossierStats } from '../../src/features/dossiers/dossiers.stats.queries';
import { importDossiersFile } from '../../src/features/dossiers/dossiers.cli';

let t: TestApp;
let p1: number;

const HEADER = 'code,procedure_code,received_at,due_date,returned_at,outcome,channel,Họ tên người nộp,Địa chỉ';
const GOOD = [
  HEADER,
  'HS-001,QT-IM-01,2026-03-10T08:15,,2026-03-12T15:00,,online,Nguyễn Văn Bảy,"Xóm 3, xã Nghĩa Lâm"',
  'HS-002,QT-IM-01,10/03/2026 09:30,16/03/2026,,,trực tiếp,Trần Thị Tám,"Xóm 5, xã Nghĩa Hùng"',
  'HS-003,2.000123,2026-03-11,,2026-03-13,withdrawn,,Lê Văn Chín,',
].join('\n');

const importText = (text: string, fileName = 'ho-so.csv') =>
  importDossiers(t.ctx, { buffer: Buffer.from(text) }, { fileName, actorId: t.users.quality_officer, via: 'upload' });
const dump = () => rows(t, 'select * from dossiers order by id');

beforeAll(async () => {
  t = await createTestApp();
  const base = { field: '', online_level: 'none' as const, unit_id: null, on_time_target: 1 };
  p1 = await createProcedure(t.ctx, { ...base, code: 'QT-IM-01', title: 'Thủ tục nhập thử', national_code: '2.000123', processing_days: 2 }, null);
  await createProcedure(t.ctx, { ...base, code: 'QT-NODAYS', title: 'Thủ tục chưa có thời hạn', national_code: null, processing_days: null }, null);
});
afterAll(async () => t.close());

describe('a good file', () => {
  it('imports every row, computes missing due dates and records the import', async () => {
    const s = await importText(GOOD);
    expect(s).toMatchObject({ rows: 3, added: 3, updated: 0, unchanged: 0 });
    expect(s.sha256).toBe(createHash('sha256').update(GOOD).digest('hex'));
    expect(await dump()).toMatchObject([
      {
        code: 'HS-001',
        procedure_id: p1,
        received_on: '2026-03-10',
        received_at: '2026-03-10T01:15:00.000Z',
        due_on: '2026-03-12',
        due_computed: 1,
        returned_on: '2026-03-12',
        returned_at: '2026-03-12T08:00:00.000Z',
        outcome: 'returned',
        channel: 'online',
        created_import_id: s.importId,
        updated_import_id: s.importId,
      },
      {
        code: 'HS-002',
        received_on: '2026-03-10',
        received_at: '2026-03-10T02:30:00.000Z',
        due_on: '2026-03-16',
        due_computed: 0,
        returned_on: null,
        returned_at: null,
        outcome: null,
        channel: 'direct',
      },
      {
        code: 'HS-003',
        procedure_id: p1,
        received_on: '2026-03-11',
        received_at: null,
        due_on: '2026-03-13',
        returned_on: '2026-03-13',
        returned_at: null,
        outcome: 'withdrawn',
        channel: 'direct',
      },
    ]);
    expect(await rows(t, 'select file_name, sha256, via, imported_by, rows_total, rows_added, rows_updated, rows_unchanged from dossier_imports')).toEqual([
      {
        file_name: 'ho-so.csv',
        sha256: s.sha256,
        via: 'upload',
        imported_by: t.users.quality_officer,
        rows_total: 3,
        rows_added: 3,
        rows_updated: 0,
        rows_unchanged: 0,
      },
    ]);
    const audit = await rows<{ user_id: number; new_values: string }>(
      t,
      "select user_id, new_values from audit_log where action = 'import' and entity = 'dossier_import'",
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].user_id).toBe(t.users.quality_officer);
    expect(JSON.parse(audit[0].new_values)).toMatchObject({ file_name: 'ho-so.csv', sha256: s.sha256, rows_added: 3 });
  });

  it('never stores the columns it does not know (names, addresses): not in any table, not in the database file', async () => {
    const personal = ['Nguyễn Văn Bảy', 'Trần Thị Tám', 'Nghĩa Lâm', 'Họ tên người nộp'];
    const stored = JSON.stringify([await dump(), await rows(t, 'select * from dossier_imports'), await rows(t, 'select * from audit_log')]);
    for (const text of personal) expect(stored, text).not.toContain(text);
    // The database file itself on SQLite (PostgreSQL's files belong to its server): the write-ahead log copied in first.
    if (onPostgres) return;
    await afterBulkWrite(t.ctx.db, ['dossiers']);
    const file = readFileSync(t.config.databasePath);
    for (const text of personal) expect(file.includes(Buffer.from(text)), text).toBe(false);
  });

  it('changes nothing when the same file is imported again (the history still records the attempt)', async () => {
    const before = await dump();
    const auditBefore = (await rows(t, 'select count(*) as n from audit_log'))[0];
    const s = await importText(GOOD, 'ho-so (lần 2).csv');
    expect(s).toMatchObject({ rows: 3, added: 0, updated: 0, unchanged: 3 });
    expect(await dump()).toEqual(before);
    expect((await rows(t, "select count(*) as n from audit_log where action = 'import_update'"))[0]).toEqual({ n: 0 });
    expect((await rows(t, 'select count(*) as n from audit_log'))[0]).toEqual({ n: (auditBefore as { n: number }).n + 1 });
    expect((await rows(t, 'select rows_unchanged, sha256 from dossier_imports order by id desc limit 1'))[0]).toEqual({ rows_unchanged: 3, sha256: s.sha256 });
  });

  it('updates dossiers by code from a later file, with the old and new values in the audit log', async () => {
    t.clock.advance(86_400_000);
    const later = [
      'Mã hồ sơ;Ngày nhận;Mã quy trình;Ngày trả kết quả;Kết quả;Hình thức nộp',
      'HS-002;10/03/2026 09:30;QT-IM-01;16/03/2026 10:00;đã trả;Trực tiếp',
      'HS-004;17/03/2026;QT-IM-01;;;Bưu chính',
      'HS-003;2026-03-11;2.000123;2026-03-13;Rút hồ sơ;',
    ].join('\r\n');
    const s = await importText(later, 'cap-nhat.csv');
    expect(s).toMatchObject({ rows: 3, added: 1, updated: 1, unchanged: 1 });
    const hs2 = (
      await rows(t, "select due_on, due_computed, returned_on, outcome, updated_import_id, created_import_id from dossiers where code = 'HS-002'")
    )[0];
    // due_date is not in this file: computed from 10/3 (Tue) + 2 working days = 12/3 (the earlier file gave 16/3)
    expect(hs2).toEqual({
      due_on: '2026-03-12',
      due_computed: 1,
      returned_on: '2026-03-16',
      outcome: 'returned',
      updated_import_id: s.importId,
      created_import_id: 1,
    });
    const change = await rows<{ entity_id: string; old_values: string; new_values: string; reason: string }>(
      t,
      "select entity_id, old_values, new_values, reason from audit_log where action = 'import_update'",
    );
    expect(change).toHaveLength(1);
    expect(JSON.parse(change[0].old_values)).toMatchObject({ code: 'HS-002', due_on: '2026-03-16', returned_on: null, outcome: null });
    expect(JSON.parse(change[0].new_values)).toMatchObject({ due_on: '2026-03-12', returned_on: '2026-03-16', outcome: 'returned' });
    expect(change[0].reason).toBe('cap-nhat.csv');
    expect((await rows(t, "select channel from dossiers where code = 'HS-004'"))[0]).toEqual({ channel: 'postal' });
  });

  it('brings the changed procedures’ summary rows up to date itself and leaves the row triggers in place', async () => {
    // SQLite: the triggers' own CREATE statements (dropped and recreated); PostgreSQL: still enabled ('O'), held back only by the import's own transaction setting
    const triggers = () =>
      onPostgres
        ? rows(t, "select tgname as name, tgenabled as sql from pg_trigger where tgrelid = 'dossiers'::regclass and not tgisinternal order by tgname")
        : rows(t, "select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'dossiers' order by name");
    const before = await triggers();
    // PostgreSQL also checks the dossiers' import ids once per statement (migration 2026_12_09_1100), not held back
    const checks = onPostgres ? ['dossiers_import_ids_exist_insert', 'dossiers_import_ids_exist_update'] : [];
    expect(before.map((r) => (r as { name: string }).name)).toEqual([
      'dossier_stats_on_delete',
      'dossier_stats_on_insert',
      'dossier_stats_on_update',
      ...checks,
    ]);
    await run(t, 'delete from dossier_stats_dirty');
    const s = await importText([HEADER, 'HS-M1,QT-IM-01,2026-04-01,,,,'].join('\n'), 'mark.csv');
    expect(s).toMatchObject({ added: 1 });
    // recomputed by the import's transaction: the server's next reader has nothing left to do
    expect(await rows(t, 'select procedure_id from dossier_stats_dirty')).toEqual([]);
    expect(await refreshDossierStats(t.ctx.db)).toBe(0);
    expect(await rows(t, "select rd from dossier_stats_month where procedure_id = ? and month = '2026-04'", p1)).toEqual([{ rd: 1 }]);
    expect(await triggers()).toEqual(before);
    // the triggers still work for writes outside imports: they move the dossier's counts in the summary rows
    const april = async () => (await rows(t, "select rd, ro from dossier_stats_month where procedure_id = ? and month = '2026-04'", p1))[0];
    const { rd, ro } = (await april()) as { rd: number; ro: number };
    await run(t, "update dossiers set channel = 'online' where code = 'HS-M1'");
    expect(await april()).toEqual({ rd: rd - 1, ro: ro + 1 });
    expect(await rows(t, 'select procedure_id from dossier_stats_dirty')).toEqual([]);
  });

  it('never lets a dossier name a missing import: inserts and updates naming one are refused, a named import is never deleted', async () => {
    const s = await importText([HEADER, 'HS-REF,QT-IM-01,2026-04-02,,,,'].join('\n'), 'refs.csv');
    const missing = ((await rows(t, 'select max(id) as m from dossier_imports'))[0] as { m: number }).m + 1000;
    const insert = (created: number, updated: number) =>
      run(
        t,
        `insert into dossiers (code, procedure_id, received_on, due_on, due_computed, channel, created_import_id, updated_import_id, created_at, updated_at, organisation_id)
         values ('HS-REF-2', ?, '2026-04-02', '2026-04-03', 0, 'direct', ?, ?, '2026-04-02T00:00:00Z', '2026-04-02T00:00:00Z', 1)`,
        p1,
        created,
        updated,
      );
    // SQLite's foreign keys and PostgreSQL's statement check fail alike (SQLITE_CONSTRAINT_FOREIGNKEY, 23503)
    const refused = /FOREIGN KEY|created_import_id or updated_import_id/;
    await expect(insert(missing, s.importId)).rejects.toThrow(refused);
    await expect(insert(s.importId, missing)).rejects.toThrow(refused);
    await expect(run(t, "update dossiers set updated_import_id = ? where code = 'HS-REF'", missing)).rejects.toThrow(refused);
    await expect(run(t, 'delete from dossier_imports where id = ?', s.importId)).rejects.toThrow(/FOREIGN KEY|never deleted/);
    await expect(run(t, 'update dossier_imports set id = ? where id = ?', missing, s.importId)).rejects.toThrow(/FOREIGN KEY|never deleted/);
    expect(await rows(t, "select created_import_id, updated_import_id from dossiers where code like 'HS-REF%'")).toEqual([
      { created_import_id: s.importId, updated_import_id: s.importId },
    ]);
    // a statement whose rows all name existing imports passes
    await insert(s.importId, s.importId);
    await run(t, "update dossiers set updated_import_id = ? where code = 'HS-REF-2'", s.importId);
    expect(await rows(t, "select count(*) as n from dossiers where code like 'HS-REF%'")).toEqual([{ n: 2 }]);
  });

  it('reads tab-separated files with Vietnamese headers in any case and order', async () => {
    const tsv = ['MÃ HỒ SƠ\tmã quy trình\tngày nhận\tngày hẹn trả', 'HS-T1\tQT-IM-01\t2026-03-20\t2026-03-25'].join('\n');
    expect(await importText(tsv, 'a.tsv')).toMatchObject({ added: 1 });
    expect((await rows(t, "select due_on, channel from dossiers where code = 'HS-T1'"))[0]).toEqual({ due_on: '2026-03-25', channel: 'direct' });
  });

  it('reads XLSX, with real date cells and text cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Hồ sơ');
    ws.addRow(['Mã hồ sơ', 'Mã quy trình', 'Ngày nhận', 'Ngày trả kết quả', 'Hình thức nộp', 'Số điện thoại']);
    ws.addRow(['HS-X1', 'QT-IM-01', new Date(Date.UTC(2026, 2, 23, 8, 0)), new Date(Date.UTC(2026, 2, 24)), 'trực tuyến', '0912345678']);
    ws.addRow(['HS-X2', 'QT-IM-01', '24/03/2026 14:00', '', '', '0912345679']);
    ws.getCell('C2').numFmt = 'dd/mm/yyyy hh:mm';
    ws.getCell('D2').numFmt = 'dd/mm/yyyy';
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    expect(await importDossiers(t.ctx, { buffer }, { fileName: 'ho-so.xlsx', actorId: null, via: 'upload' })).toMatchObject({ added: 2 });
    expect(await rows(t, "select code, received_on, received_at, returned_on, channel from dossiers where code like 'HS-X%' order by code")).toEqual([
      { code: 'HS-X1', received_on: '2026-03-23', received_at: '2026-03-23T01:00:00.000Z', returned_on: '2026-03-24', channel: 'online' },
      { code: 'HS-X2', received_on: '2026-03-24', received_at: '2026-03-24T07:00:00.000Z', returned_on: null, channel: 'direct' },
    ]);
    expect(JSON.stringify(await dump())).not.toContain('0912345678');
  });
});

describe('a file with wrong rows', () => {
  const BAD = [
    'code,procedure_code,received_at,due_date,returned_at,outcome,channel',
    'B01,QT-IM-01,2026-03-10,,,,',
    ',QT-IM-01,2026-03-10,,,,',
    'B03,QT-NOPE,2026-03-10,,,,',
    'B04,QT-IM-01,31/02/2026,,,,',
    'B05,QT-IM-01,2026-03-10,,2026-03-09,,',
    'B06,QT-IM-01,2026-03-10,,,withdrawn,',
    'B07,QT-IM-01,2026-03-10,,,,fax',
    'B01,QT-IM-01,2026-03-11,,,,',
    'B09,QT-IM-01,2026-03-10,2026-03-01,,,',
    'B10,QT-IM-01,,,,,',
    'B11,QT-IM-01,2026-03-10T08:00,,2026-03-10T07:59,,',
    'B12,QT-NODAYS,2026-03-10,,,,',
    'B13,QT-IM-01,2026-03-10,,2026-03-12,maybe,',
    '',
    'B15,QT-IM-01,hôm qua,,,returned,mail',
    'B16,QT-IM-01,2026-03-10,,,,',
  ].join('\n');

  it('writes nothing and lists every wrong row as a code per row and column (the header is row 1), worded in both languages', async () => {
    const before = {
      dossiers: await dump(),
      imports: await rows(t, 'select * from dossier_imports'),
      audit: await rows(t, 'select count(*) as n from audit_log'),
    };
    const err = await importText(BAD, 'sai.csv').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportRowsError);
    expect((err as ImportRowsError).errors).toEqual([
      { row: 3, column: 'code', code: 'required' },
      { row: 4, column: 'procedure_code', code: 'unknown_procedure', params: { value: 'QT-NOPE' } },
      { row: 5, column: 'received_at', code: 'date_invalid_date', params: { value: '31/02/2026' } },
      { row: 6, column: 'returned_at', code: 'before_received' },
      { row: 7, column: 'outcome', code: 'withdrawn_needs_returned_at' },
      { row: 8, column: 'channel', code: 'channel_invalid', params: { value: 'fax' } },
      { row: 9, column: 'code', code: 'repeats_row', params: { other: 2 } },
      { row: 10, column: 'due_date', code: 'before_received' },
      { row: 11, column: 'received_at', code: 'required' },
      { row: 12, column: 'returned_at', code: 'before_received' },
      { row: 13, column: 'due_date', code: 'due_needs_processing_days' },
      { row: 14, column: 'outcome', code: 'outcome_invalid', params: { value: 'maybe' } },
      { row: 16, column: 'received_at', code: 'date_invalid_format', params: { value: 'hôm qua' } },
      { row: 16, column: 'outcome', code: 'returned_needs_returned_at' },
      { row: 16, column: 'channel', code: 'channel_invalid', params: { value: 'mail' } },
    ]);
    const e = err as ImportRowsError;
    // The header named the columns in English: the messages name them as the file did.
    expect(formatRowError(e.errors[1], 'vi', e.labels)).toBe('Dòng 4, cột procedure_code: không có thủ tục/quy trình mã QT-NOPE');
    expect(formatRowError(e.errors[1], 'en', e.labels)).toBe('Row 4, column procedure_code: no procedure with code or national code QT-NOPE');
    expect(formatRowError(e.errors[4], 'vi', e.labels)).toBe('Dòng 7, cột outcome: hồ sơ rút cần có ngày trả kết quả (ngày rút)');
    expect(formatRowError(e.errors[6], 'en', e.labels)).toBe('Row 9, column code: repeats row 2');
    expect(formatRowError(e.errors[12], 'vi', e.labels)).toBe(
      'Dòng 16, cột received_at: “hôm qua” không phải là ngày; dùng dd/MM/yyyy, dd/MM/yyyy HH:mm hoặc YYYY-MM-DD',
    );
    expect(await dump()).toEqual(before.dossiers);
    expect(await rows(t, 'select * from dossier_imports')).toEqual(before.imports);
    expect(await rows(t, 'select count(*) as n from audit_log')).toEqual(before.audit);
  });

  it('counts every wrong row, past the 50,000 it keeps listed, and the page shows 50 of them and "and N more"', async () => {
    const WRONG = 60_003;
    const text = `code,procedure_code,received_at\n${Array.from({ length: WRONG }, (_, i) => `BAD-${i},QT-NOPE-${i % 7},2026-03-10`).join('\n')}\n`;
    const err = await importText(text, 'qua-nhieu-loi.csv').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportRowsError);
    expect((err as ImportRowsError).total).toBe(WRONG);
    expect((err as ImportRowsError).errors).toHaveLength(MAX_LISTED_ERRORS);
    expect((err as ImportRowsError).errors.every((e) => e.column === 'procedure_code')).toBe(true);
    expect((err as ImportRowsError).message).toContain(`… và ${WRONG - 5} lỗi khác`);
    const qo = await t.signIn('quality_officer');
    for (const [lang, total, more] of [
      ['vi', '60.003 lỗi', '… và 59.953 lỗi khác (không liệt kê ở đây).'],
      ['en', '60,003 errors', '… and 59,953 more (not listed here).'],
    ]) {
      const page = await qo.agent.post(`/dossiers/import?lang=${lang}`).field('_csrf', qo.csrf).attach('file', Buffer.from(text), 'qua-nhieu-loi.csv');
      expect(page.status).toBe(422);
      expect(page.text.match(lang === 'vi' ? /<li>Dòng \d+, cột procedure_code/g : /<li>Row \d+, column procedure_code/g)).toHaveLength(50);
      expect(page.text).toContain(total);
      expect(page.text).toContain(more);
      expect(page.text).not.toContain('50.001');
      expect(page.text).not.toContain('50,001');
    }
  }, 120_000);

  it('refuses a file without a required column or with a column given twice', async () => {
    const missing = await importText('code,received_at\nA,2026-03-10').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ImportHeaderError);
    expect((missing as ImportHeaderError).message).toBe(
      'Cột Mã quy trình: thiếu cột bắt buộc (tên được chấp nhận: procedure_code, Mã quy trình, Mã thủ tục, Mã TTHC)',
    );
    const twice = await importText('code,procedure_code,received_at,Mã hồ sơ\nA,QT-IM-01,2026-03-10,B').catch((e: unknown) => e);
    expect(twice).toBeInstanceOf(ImportHeaderError);
    expect((twice as ImportHeaderError).message).toBe('Cột code: cột có nhiều hơn một lần (các cột 1, 4)');
  });
});

describe('the command line', () => {
  it('imports a file and answers one line; a bad file throws ImportRowsError naming every row', async () => {
    const path = join(t.dir, 'cli.csv');
    writeFileSync(path, `\uFEFF${HEADER}\nHS-C1,QT-IM-01,2026-04-01,,,,online,Tên,Địa chỉ\n`);
    const line = await importDossiersFile(t.ctx, path, 'cli.csv');
    expect(line).toMatch(/^cli\.csv: 1 rows — 1 added, 0 updated, 0 unchanged \(import #\d+, sha256 [0-9a-f]{64}\)$/);
    expect(await rows(t, "select via, imported_by from dossier_imports where file_name = 'cli.csv'")).toEqual([{ via: 'cli', imported_by: null }]);
    writeFileSync(path, 'code,procedure_code,received_at\nX,QT-NOPE,2026-04-01\nY,QT-IM-01,2026-13-01\n');
    const err = await importDossiersFile(t.ctx, path, 'cli.csv').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportRowsError);
    expect((err as ImportRowsError).errors.map((e) => `${e.row}:${e.column}`)).toEqual(['2:procedure_code', '3:received_at']);
  });
});
