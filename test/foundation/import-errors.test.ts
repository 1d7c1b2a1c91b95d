import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, type TestApp } from '../support/app';
import { ImportHeaderError, ImportRowsError, formatRowError } from '../../src/core/import';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';
import { importDossiersFile } from '../../src/features/dossiers/dossiers.cli';
import { importProcedures } from '../../src/features/procedures/procedures.import';

/**
 * Import errors as codes, worded in the reader's language (issue 20, point 8 and "Real exports"), and dossiers
 * received or returned after today refused. The clock says Sat 05/12/2026 10:00 local (03:00 UTC, Asia/Ho_Chi_Minh).
 */
let t: TestApp;
const DOSSIERS = 'Mã hồ sơ;Mã thủ tục;Ngày tiếp nhận;Ngày trả kết quả;Trạng thái';
const state = async () => ({
  dossiers: await rows(t, 'select * from dossiers'),
  imports: await rows(t, 'select * from dossier_imports'),
  audit: await rows(t, "select count(*) as n from audit_log where entity in ('dossier', 'dossier_import')"),
});
const importText = (text: string) =>
  importDossiers(t.ctx, { buffer: Buffer.from(text) }, { fileName: 'ho-so.csv', actorId: t.users.quality_officer, via: 'upload' });

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-12-05T03:00:00Z');
  const base = { field: '', online_level: 'none' as const, unit_id: null, on_time_target: 1 };
  await createProcedure(t.ctx, { ...base, code: 'QT-TL-01', title: 'Thủ tục thử lỗi', national_code: '1.001776', processing_days: 3 }, null);
});
afterAll(async () => t.close());

describe('a dossier received after today (point 8)', () => {
  it('is refused with nothing written; the error reads in Vietnamese and in English', async () => {
    const before = await state();
    // today is 05/12/2026: a receipt on 24/12/2026 is after it
    const file = [DOSSIERS, 'HS-01;1.001776;02/12/2026;;Đang xử lý', 'HS-02;1.001776;24/12/2026;;Đang xử lý'].join('\n');
    const err = (await importText(file).catch((e: unknown) => e)) as ImportRowsError;
    expect(err).toBeInstanceOf(ImportRowsError);
    expect(err.errors).toEqual([{ row: 3, column: 'received_at', code: 'received_after_today', params: { today: '05/12/2026' } }]);
    expect(formatRowError(err.errors[0], 'vi', err.labels)).toBe('Dòng 3, cột Ngày tiếp nhận: ngày tiếp nhận sau ngày hôm nay (05/12/2026)');
    expect(formatRowError(err.errors[0], 'en', err.labels)).toBe('Row 3, column Ngày tiếp nhận: received after today (05/12/2026)');
    expect(err.message).toBe('Dòng 3, cột Ngày tiếp nhận: ngày tiếp nhận sau ngày hôm nay (05/12/2026)');
    expect(await state()).toEqual(before);
  });

  it('counts today in the organisation’s zone: 23:30 tonight is today, 00:30 tomorrow is not', async () => {
    // 2026-12-05T16:30Z = 05/12 23:30 local (accepted); 2026-12-05T17:30Z = 06/12 00:30 local (refused)
    const err = (await importText(
      [DOSSIERS, 'HS-11;1.001776;2026-12-05T16:30:00Z;;Đang xử lý', 'HS-12;1.001776;2026-12-05T17:30:00Z;;Đang xử lý'].join('\n'),
    ).catch((e: unknown) => e)) as ImportRowsError;
    expect(err.errors).toEqual([{ row: 3, column: 'received_at', code: 'received_after_today', params: { today: '05/12/2026' } }]);
    expect(await importText([DOSSIERS, 'HS-11;1.001776;05/12/2026 23:30;;Đang xử lý'].join('\n'))).toMatchObject({ added: 1 });
  });

  it('reads the years the forms read (1900–2100): a due date in 2101 is a typing mistake, not a date', async () => {
    const file = [DOSSIERS, 'HS-31;1.001776;01/12/2026;;Đang xử lý'].join('\n').replace('Trạng thái', 'Trạng thái;Ngày hẹn trả') + ';01/01/2101';
    const err = (await importText(file).catch((e: unknown) => e)) as ImportRowsError;
    expect(err.errors.map((e) => formatRowError(e, 'vi', err.labels))).toEqual(['Dòng 2, cột Ngày hẹn trả: năm của ngày “01/01/2101” phải từ 1900 đến 2100']);
  });

  it('refuses a return after today too', async () => {
    const err = (await importText([DOSSIERS, 'HS-21;1.001776;01/12/2026;07/12/2026;Đã trả kết quả'].join('\n')).catch((e: unknown) => e)) as ImportRowsError;
    expect(err.errors.map((e) => formatRowError(e, 'vi', err.labels))).toEqual([
      'Dòng 2, cột Ngày trả kết quả: ngày trả kết quả sau ngày hôm nay (05/12/2026)',
    ]);
  });

  it('is refused by the command line’s import too, in Vietnamese', async () => {
    const path = join(t.dir, 'tuong-lai.csv');
    writeFileSync(path, [DOSSIERS, 'HS-31;1.001776;24/12/2026;;Đang xử lý'].join('\n'));
    const err = (await importDossiersFile(t.ctx, path, 'tuong-lai.csv').catch((e: unknown) => e)) as ImportRowsError;
    expect(err.message).toBe('Dòng 2, cột Ngày tiếp nhận: ngày tiếp nhận sau ngày hôm nay (05/12/2026)');
  });

  it('is refused by the upload form (the worker thread hands codes over; the page words them in the reader’s language)', async () => {
    const before = await state();
    const qo = await t.signIn('quality_officer');
    const file = Buffer.from([DOSSIERS, 'HS-41;1.001776;24/12/2026;;Đang xử lý', 'HS-42;9.999;01/12/2026;;Đang xử lý'].join('\n'));
    const vi = await qo.agent.post('/dossiers/import?lang=vi').field('_csrf', qo.csrf).attach('file', file, 'tuong-lai.csv');
    expect(vi.status).toBe(422);
    expect(vi.text).toContain('<li>Dòng 2, cột Ngày tiếp nhận: ngày tiếp nhận sau ngày hôm nay (05/12/2026)</li>');
    expect(vi.text).toContain('<li>Dòng 3, cột Mã thủ tục: không có thủ tục/quy trình mã 9.999</li>');
    const en = await qo.agent.post('/dossiers/import?lang=en').field('_csrf', qo.csrf).attach('file', file, 'tuong-lai.csv');
    expect(en.status).toBe(422);
    expect(en.text).toContain('<li>Row 2, column Ngày tiếp nhận: received after today (05/12/2026)</li>');
    expect(en.text).toContain('<li>Row 3, column Mã thủ tục: no procedure with code or national code 9.999</li>');
    expect(await state()).toEqual(before);
  });
});

describe('header problems in the reader’s language', () => {
  it('names a missing column by its Vietnamese name, and a repeated one as the file wrote it', async () => {
    const missing = (await importText('Mã hồ sơ;Ngày tiếp nhận\nA;01/12/2026').catch((e: unknown) => e)) as ImportHeaderError;
    expect(missing).toBeInstanceOf(ImportHeaderError);
    expect(missing.message).toBe('Cột Mã quy trình: thiếu cột bắt buộc (tên được chấp nhận: procedure_code, Mã quy trình, Mã thủ tục, Mã TTHC)');
    const qo = await t.signIn('quality_officer');
    const page = await qo.agent
      .post('/dossiers/import?lang=en')
      .field('_csrf', qo.csrf)
      .attach('file', Buffer.from('MA HO SO;Mã thủ tục;Ngày tiếp nhận;Mã  hồ sơ\nA;1.001776;01/12/2026;B\n'), 'hai-lan.csv');
    expect(page.status).toBe(422);
    expect(page.text).toContain('<li>Column MA HO SO: column given more than once (columns 1, 4)</li>');
  });
});

describe('the procedures import', () => {
  it('reads the old online levels “Mức độ 3/4” and today’s words without diacritics, and the kind of procedure', async () => {
    const file = [
      'Mã quy trình;Tên quy trình;Mức độ DVC trực tuyến;Loại',
      'QT-M-03;Thủ tục mức độ 3;Mức độ 3;TTHC', // → partial, administrative
      'QT-M-04;Thủ tục mức độ 4;MỨC ĐỘ 4;', // → full, kind left to its default (administrative)
      'QT-M-05;Thủ tục một phần;mot phan;Thủ tục hành chính', // → partial
      'QT-M-06;Thủ tục toàn trình;Toàn trình;', // → full
      'QT-M-07;Kiểm soát tài liệu;Không;Quy trình nội bộ', // → none, internal
      'QT-M-08;Thủ tục mức độ 2;Mức độ 2;', // → none (levels 1–2 offered information only, no online service)
      'QT-M-09;Thủ tục trực tiếp;Chưa cung cấp trực tuyến;', // → none, in the glossary's words
    ].join('\n');
    expect(await importProcedures(t.ctx, { buffer: Buffer.from(file) }, 'muc-do.csv', null)).toMatchObject({ added: 7 });
    expect(await rows(t, "select code, online_level, kind from procedures where code like 'QT-M-%' order by code")).toEqual([
      { code: 'QT-M-03', online_level: 'partial', kind: 'administrative' },
      { code: 'QT-M-04', online_level: 'full', kind: 'administrative' },
      { code: 'QT-M-05', online_level: 'partial', kind: 'administrative' },
      { code: 'QT-M-06', online_level: 'full', kind: 'administrative' },
      { code: 'QT-M-07', online_level: 'none', kind: 'internal' },
      { code: 'QT-M-08', online_level: 'none', kind: 'administrative' },
      { code: 'QT-M-09', online_level: 'none', kind: 'administrative' },
    ]);
    // The same file again changes nothing (an empty kind keeps the stored one).
    expect(await importProcedures(t.ctx, { buffer: Buffer.from(file) }, 'muc-do.csv', null)).toMatchObject({ added: 0, updated: 0, unchanged: 7 });
  });

  it('words a wrong level in the reader’s language', async () => {
    const err = (await importProcedures(t.ctx, { buffer: Buffer.from('code;title;online_level\nQT-M-09;X;Mức độ 5\n') }, 'x.csv', null).catch(
      (e: unknown) => e,
    )) as ImportRowsError;
    expect(formatRowError(err.errors[0], 'en', err.labels)).toBe(
      'Row 2, column online_level: “Mức độ 5” is not an online level; use full (Mức độ 4), partial (Mức độ 3) or none',
    );
  });
});

describe('the holidays import', () => {
  it('words its errors in the page’s language', async () => {
    const admin = await t.signIn('admin');
    const file = Buffer.from('Ngày,Loại\n2027-01-01,nghỉ phép\n');
    const vi = await admin.agent.post('/admin/holidays/import?lang=vi').field('_csrf', admin.csrf).attach('file', file, 'nghi.csv');
    expect(vi.status).toBe(422);
    expect(vi.text).toContain('<li>Dòng 2, cột Loại: “nghỉ phép” không phải là loại ngày; dùng nghỉ (holiday) hoặc làm bù (workday)</li>');
    const en = await admin.agent.post('/admin/holidays/import?lang=en').field('_csrf', admin.csrf).attach('file', file, 'nghi.csv');
    expect(en.text).toContain('<li>Row 2, column Loại: “nghỉ phép” is not a kind of day; use holiday (nghỉ) or workday (làm bù)</li>');
  });
});
