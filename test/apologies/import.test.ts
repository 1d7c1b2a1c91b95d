import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportRowsError } from '../../src/core/import';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';
import { importDossiersFile } from '../../src/features/dossiers/dossiers.cli';
import { createTestApp, one, rows, type SignedIn, type TestApp } from '../support/app';
import { procedure } from '../reports/fixtures';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Apology slips from the dossier import (issue 24): the optional columns apology_no, apology_date, apology_reason and
 * new_due_date record a slip for a late dossier in the import's transaction; the same file again records nothing; a
 * wrong slip is a row error and nothing of the file is written. The test clock says 2026-11-26.
 */
let t: TestApp;
let qo: SignedIn;

const HEADER = 'Mã hồ sơ,Mã thủ tục,Ngày tiếp nhận,Ngày hẹn trả,Ngày trả kết quả,Số phiếu xin lỗi,Ngày phiếu xin lỗi,Lý do quá hạn,Ngày hẹn trả lại';
const file = (...lines: string[]) => Buffer.from([HEADER, ...lines].join('\n'));
const importFile = (buffer: Buffer, fileName = 'slips.csv') => importDossiers(t.ctx, { buffer }, { fileName, actorId: t.users.quality_officer, via: 'upload' });
const slipsOf = (code: string) =>
  rows<{ slip_no: string; issued_on: string; reason: string; new_due_on: string; signer_name: string; signer_title: string; created_by: number }>(
    t,
    `select s.slip_no, s.issued_on, s.reason, s.new_due_on, s.signer_name, s.signer_title, s.created_by from apology_slips s
     join dossiers d on d.id = s.dossier_id where d.code = ? order by s.id`,
    code,
  );
const rowErrors = async (buffer: Buffer) => {
  const err = await importFile(buffer).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImportRowsError);
  return (err as ImportRowsError).errors.map((e) => `${e.row}:${e.column}:${e.code}`);
};

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  await procedure(t, 'P-A');
});
afterAll(async () => t?.close());

describe('apology slips in a dossier file', () => {
  it('records the slip of each late or overdue dossier with the signer of the settings, audit-logged, and nothing twice', async () => {
    const f = file(
      'D1,P-A,01/10/2026,10/10/2026,15/10/2026,01/PXL,10/10/2026,Chờ kết quả xác minh,16/10/2026', // returned late
      'D2,P-A,01/10/2026,10/10/2026,,02/PXL,12/10/2026,Thiếu giấy tờ,01/12/2026', // pending past its due date
      'D3,P-A,01/10/2026,10/10/2026,09/10/2026,,,,', // on time: no slip
    );
    const s = await importFile(f);
    expect(s).toMatchObject({ rows: 3, added: 3, slips: 2 });
    expect(await slipsOf('D1')).toEqual([
      {
        slip_no: '01/PXL',
        issued_on: '2026-10-10',
        reason: 'Chờ kết quả xác minh',
        new_due_on: '2026-10-16',
        signer_name: 'Phạm Văn Minh',
        signer_title: 'TRƯỞNG PHÒNG',
        created_by: t.users.quality_officer,
      },
    ]);
    expect((await slipsOf('D2')).map((r) => [r.slip_no, r.new_due_on])).toEqual([['02/PXL', '2026-12-01']]);
    expect(await slipsOf('D3')).toEqual([]);
    const audit = await rows<{ action: string; reason: string }>(t, `select action, reason from audit_log where entity = 'apology_slip' order by id`);
    expect(audit).toEqual([
      { action: 'import_create', reason: 'slips.csv' },
      { action: 'import_create', reason: 'slips.csv' },
    ]);

    const again = await importFile(f, 'again.csv');
    expect(again).toMatchObject({ rows: 3, added: 0, unchanged: 3, slips: 0 });
    expect((await one<{ n: number }>(t, 'select count(*) as n from apology_slips'))!.n).toBe(2);
  });

  it('refuses wrong slips row by row, naming the column, and writes nothing of the file', async () => {
    const errors = await rowErrors(
      file(
        'E1,P-A,01/10/2026,10/10/2026,09/10/2026,10/PXL,09/10/2026,Không rõ,20/10/2026', // returned on time
        'E2,P-A,01/10/2026,10/10/2026,15/10/2026,11/PXL,10/10/2026,Chờ xác minh,', // no new date
        'E3,P-A,01/10/2026,10/10/2026,15/10/2026,12/PXL,10/10/2026,Chờ xác minh,10/10/2026', // new date not after the due date
        'E4,P-A,01/10/2026,10/10/2026,,13/PXL,27/11/2026,Chờ xác minh,30/11/2026', // slip dated after today
        'E5,P-A,01/10/2026,10/10/2026,15/10/2026,14/PXL,31/02/2026,Chờ xác minh,20/10/2026', // no such date
        'E6,P-A,05/10/2026,10/10/2026,15/10/2026,15/PXL,04/10/2026,Chờ xác minh,20/10/2026', // before received
        'E7,P-A,01/10/2026,10/10/2026,15/10/2026,16/PXL,12/10/2026,Chờ xác minh,11/10/2026', // new date before the slip
      ),
    );
    expect(errors).toEqual([
      '2:apology_no:slip_not_late',
      '3:new_due_date:slip_incomplete',
      '4:new_due_date:slip_not_after_due',
      '5:apology_date:slip_after_today',
      '6:apology_date:date_invalid_date',
      '7:apology_date:before_received',
      '8:new_due_date:slip_before_issued',
    ]);
    expect((await one<{ n: number }>(t, `select count(*) as n from dossiers where code like 'E%'`))!.n).toBe(0);
  });

  it('refuses a number another slip has and a slip not after the one in force, rolling the whole file back', async () => {
    const taken = await rowErrors(file('D4,P-A,01/10/2026,10/10/2026,20/10/2026,01/PXL,12/10/2026,Chờ xác minh,21/10/2026'));
    expect(taken).toEqual(['2:apology_no:slip_no_taken']);
    expect(await one(t, `select id from dossiers where code = 'D4'`)).toBeUndefined();
    // D2's slip in force: issued 12/10, new date 01/12 — a second one with an earlier new date is refused
    const notAfter = await rowErrors(file('D2,P-A,01/10/2026,10/10/2026,,03/PXL,20/11/2026,Chờ bổ sung,30/11/2026'));
    expect(notAfter).toEqual(['2:new_due_date:slip_not_after_in_force']);
    expect(await rowsMessage(file('D2,P-A,01/10/2026,10/10/2026,,03/PXL,20/11/2026,Chờ bổ sung,30/11/2026'))).toContain(
      'Dòng 2, cột Ngày hẹn trả lại: phiếu xin lỗi mới phải sau phiếu đang có hiệu lực (ngày 01/12/2026)',
    );
    // a later one is recorded and is then the slip in force
    const s = await importFile(file('D2,P-A,01/10/2026,10/10/2026,,03/PXL,20/11/2026,Chờ bổ sung,15/12/2026'));
    expect(s.slips).toBe(1);
    expect((await slipsOf('D2')).map((r) => r.slip_no)).toEqual(['02/PXL', '03/PXL']);
  });
});

async function rowsMessage(buffer: Buffer): Promise<string> {
  const err = await importFile(buffer).then(
    () => undefined,
    (e: unknown) => e,
  );
  return (err as ImportRowsError).describe('vi', 10);
}

describe('the import page and the command line', () => {
  it('say how many slips were recorded', async () => {
    const csv = file('W1,P-A,01/10/2026,10/10/2026,14/10/2026,20/PXL,10/10/2026,Chờ ý kiến cơ quan phối hợp,14/10/2026');
    const res = await qo.agent.post('/dossiers/import').field('_csrf', qo.csrf).attach('file', csv, 'web.csv');
    expect(res.status).toBe(303);
    const page = await qo.get('/dossiers/imports');
    expect(page.text).toContain('ghi nhận 1 phiếu xin lỗi và hẹn lại ngày trả kết quả');
    expect((await slipsOf('W1')).map((r) => r.slip_no)).toEqual(['20/PXL']);

    const dir = mkdtempSync(join(tmpdir(), 'qms-slips-'));
    const path = join(dir, 'cli.csv');
    writeFileSync(path, file('C1,P-A,01/10/2026,10/10/2026,14/10/2026,21/PXL,10/10/2026,Chờ ý kiến,15/10/2026'));
    expect(await importDossiersFile(t.ctx, path, 'cli.csv')).toMatch(
      /^cli\.csv: 1 rows — 1 added, 0 updated, 0 unchanged, 1 apology slip recorded \(import #\d+/,
    );
  });
});
