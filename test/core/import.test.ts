import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ImportHeaderError,
  ImportRowsError,
  formatHeaderProblem,
  formatRowError,
  readTable,
  type ColumnSpec,
  type HeaderProblem,
  type TableInput,
  type TableRow,
} from '../../src/core/import';
import { parse as parseCsv } from 'csv-parse/sync';
import { Readable } from 'node:stream';
import { csvRecordBatches, detectDelimiter } from '../../src/core/import/csv';
import { DOSSIER_TEST_COLUMNS } from '../support/import-columns';

/** Runs node in a child process without blocking this one (the test's timeout stays a safety net that can fire). */
function runNode(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? reject(Object.assign(new Error(err.message), err, { stderr })) : resolve({ stdout, stderr }),
    );
  });
}

/** The dossier columns of IMPORT-FORMATS.md. */
const DOSSIER: ColumnSpec[] = DOSSIER_TEST_COLUMNS;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qms-import-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let fileNo = 0;
async function file(content: string | Buffer, name = `f${++fileNo}.csv`): Promise<{ path: string }> {
  const path = join(dir, name);
  await writeFile(path, content);
  return { path };
}

async function readAll(input: TableInput, columns: ColumnSpec[] = DOSSIER): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  for await (const r of readTable(input, columns)) rows.push(r);
  return rows;
}

/** The header problems thrown, checking that no row was yielded before the error. */
async function problemsOf(input: TableInput, columns: ColumnSpec[] = DOSSIER): Promise<HeaderProblem[]> {
  let yielded = 0;
  try {
    for await (const _ of readTable(input, columns)) yielded++;
  } catch (err) {
    expect(err).toBeInstanceOf(ImportHeaderError);
    expect(yielded).toBe(0);
    return (err as ImportHeaderError).problems;
  }
  throw new Error('expected an ImportHeaderError');
}

const BOM = '\uFEFF';

describe('readTable: CSV', () => {
  it('reads a comma CSV with English headers (LF, no BOM)', async () => {
    const csv = 'code,procedure_code,received_at,due_date,channel\nHS-1,QT-01,2026-03-10,,online\nHS-2,QT-02,10/03/2026 08:15,17/03/2026,\n';
    const rows = await readAll(await file(csv));
    expect(rows).toEqual([
      { row: 2, values: { code: 'HS-1', procedure_code: 'QT-01', received_at: '2026-03-10', due_date: '', channel: 'online' } },
      { row: 3, values: { code: 'HS-2', procedure_code: 'QT-02', received_at: '10/03/2026 08:15', due_date: '17/03/2026', channel: '' } },
    ]);
  });

  it('reads a semicolon CSV with BOM, CRLF and Vietnamese headers in capitals, in any order', async () => {
    const csv = `${BOM}NGÀY NHẬN;MÃ HỒ SƠ;  Mã Quy Trình ;HÌNH THỨC NỘP\r\n10/03/2026;HS-1;QT-01;trực tuyến\r\n11/03/2026;HS-2;QT-01;bưu chính\r\n`;
    const rows = await readAll(await file(csv));
    expect(rows).toEqual([
      { row: 2, values: { code: 'HS-1', procedure_code: 'QT-01', received_at: '10/03/2026', due_date: '', channel: 'trực tuyến' } },
      { row: 3, values: { code: 'HS-2', procedure_code: 'QT-01', received_at: '11/03/2026', due_date: '', channel: 'bưu chính' } },
    ]);
  });

  it('takes the delimiter from the first line with content', async () => {
    const rows = await readAll(await file(`${BOM}\r\n \r\ncode;procedure_code;received_at\r\nHS-1;QT-01;2026-03-10\r\n`));
    expect(rows).toMatchObject([{ row: 4, values: { code: 'HS-1', procedure_code: 'QT-01' } }]);
  });

  it('reads a tab-separated CSV with BOM', async () => {
    const csv = `${BOM}Mã hồ sơ\tMã quy trình\tNgày nhận\nHS-1\tQT-01\t2026-03-10\n`;
    expect(await readAll(await file(csv))).toEqual([
      { row: 2, values: { code: 'HS-1', procedure_code: 'QT-01', received_at: '2026-03-10', due_date: '', channel: '' } },
    ]);
  });

  it('matches headers and returns values in Unicode NFC whatever the file used', async () => {
    const nfd = (s: string) => s.normalize('NFD');
    const csv = `${nfd('MÃ HỒ SƠ')},${nfd('Mã quy trình')},${nfd('Ngày nhận')},${nfd('Hình thức nộp')}\nHS-1,QT-01,2026-03-10,${nfd('trực tiếp')}\n`;
    const [row] = await readAll({ buffer: Buffer.from(csv) });
    expect(row.values.channel).toBe('trực tiếp'.normalize('NFC'));
    expect(row.values.channel).not.toBe(nfd('trực tiếp'));
  });

  it('handles quoted fields with delimiters, doubled quotes and line breaks; row numbers follow records', async () => {
    const csv = [
      'code;procedure_code;received_at;channel',
      '"HS;1";"QT ""01""";2026-03-10;"trực',
      'tiếp"',
      '  "HS-2" ; QT-02 ;2026-03-11;online',
      'HS-3;Nguyễn "Tư";2026-03-12;',
    ].join('\r\n');
    const rows = await readAll(await file(csv));
    expect(rows.map((r) => [r.row, r.values.code, r.values.procedure_code, r.values.channel])).toEqual([
      [2, 'HS;1', 'QT "01"', 'trực\r\ntiếp'],
      [3, 'HS-2', 'QT-02', 'online'],
      [4, 'HS-3', 'Nguyễn "Tư"', ''],
    ]);
  });

  it('reads on with csv-parse from a quoted field after blanks deep in a large file, losing and repeating no record', async () => {
    // Papa Parse (the fast reader) reads the first chunks; csv-parse's trim accepts '  "HS;3000" ', Papa's rules not.
    const lines = ['code;procedure_code;received_at;channel'];
    for (let i = 1; i <= 6000; i++) {
      if (i === 3000) lines.push('  "HS;3000" ;QT-01;2026-03-10;"trực', 'tiếp"');
      else if (i === 4500) lines.push('HS-4500;"QT ""45""";2026-03-10; "bưu chính"');
      else lines.push(`HS-${i};QT-01;2026-03-10;online`);
    }
    const input = await file(lines.join('\n'));
    const rows = await readAll(input);
    expect(rows).toHaveLength(6000);
    expect(rows.map((r) => r.values.code)).toEqual(Array.from({ length: 6000 }, (_, k) => (k + 1 === 3000 ? 'HS;3000' : `HS-${k + 1}`)));
    expect(rows.map((r) => r.row)).toEqual(Array.from({ length: 6000 }, (_, k) => k + 2)); // records, not lines
    expect(rows[2999].values.channel).toBe('trực\ntiếp');
    expect(rows[4499].values).toMatchObject({ procedure_code: 'QT "45"', channel: 'bưu chính' });
    expect(rows[5999].values).toMatchObject({ code: 'HS-6000', channel: 'online' });
  });

  it('reports an unclosed quote deep in a large file as an unreadable file', async () => {
    const good = 'code,procedure_code,received_at\n' + 'HS-1,QT-01,2026-03-10\n'.repeat(5000);
    const input = await file(`${good}HS-2,"QT-01,2026-03-10\nHS-3,QT-01,2026-03-10\n`);
    await expect(readAll(input)).rejects.toMatchObject({ name: 'ImportHeaderError', problems: [{ code: 'unreadable_file' }] });
  });

  it('reads any text as csv-parse (trim, relaxed quotes) does: 3,000 random files of quotes, blanks and line breaks', async () => {
    // Papa Parse reads first and hands over to csv-parse where their rules differ; the records must be csv-parse's.
    // (A trailing blank record may differ; readTable skips blank records.)
    const alphabet = ['a', 'b', ',', ',', '"', '"', ' ', '\n', '\r\n', 'ư', 'x'];
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const trimmed = (records: string[][]) => {
      const out = records.map((r) => r.map((c) => c.trim()));
      while (out.length > 0 && out[out.length - 1].every((c) => c === '')) out.pop();
      return out;
    };
    for (let i = 0; i < 3000; i++) {
      let text = 'h1,h2,h3\n';
      for (let k = 1 + Math.floor(random() * 30); k > 0; k--) text += alphabet[Math.floor(random() * alphabet.length)];
      let expected: string[][] | 'unreadable';
      try {
        expected = trimmed(parseCsv(text, { delimiter: ',', relax_quotes: true, relax_column_count: true, trim: true, skip_empty_lines: false }));
      } catch {
        expected = 'unreadable';
      }
      let actual: string[][] | 'unreadable';
      try {
        const records: string[][] = [];
        for await (const batch of csvRecordBatches(() => Readable.from([Buffer.from(text)]))) records.push(...batch);
        actual = trimmed(records);
      } catch (err) {
        expect(err).toMatchObject({ name: 'ImportHeaderError', problems: [{ code: 'unreadable_file' }] });
        actual = 'unreadable';
      }
      expect({ text, records: actual }).toEqual({ text, records: expected });
    }
  });

  it('skips blank lines but keeps the real row numbers', async () => {
    const csv = '\ncode,procedure_code,received_at\n\nHS-1,QT-01,2026-03-10\n , , \n,,\nHS-2,QT-01,2026-03-11\n\n';
    const rows = await readAll(await file(csv));
    expect(rows.map((r) => [r.row, r.values.code])).toEqual([
      [4, 'HS-1'],
      [7, 'HS-2'],
    ]);
  });

  it('drops unknown columns and never returns their values', async () => {
    const csv = 'Họ tên người nộp,code,Địa chỉ,procedure_code,received_at,Số điện thoại\nNguyễn Văn A,HS-1,12 Lê Lợi,QT-01,2026-03-10,0901234567\n';
    const rows = await readAll(await file(csv));
    expect(Object.keys(rows[0].values).sort()).toEqual(['channel', 'code', 'due_date', 'procedure_code', 'received_at']);
    expect(JSON.stringify(rows)).not.toMatch(/Nguyễn|Lê Lợi|0901234567/);
  });

  it('gives short rows empty values and ignores extra fields', async () => {
    const rows = await readAll(await file('code,procedure_code,received_at,channel\nHS-1,QT-01\nHS-2,QT-01,2026-03-10,online,extra,more\n'));
    expect(rows.map((r) => r.values)).toEqual([
      { code: 'HS-1', procedure_code: 'QT-01', received_at: '', due_date: '', channel: '' },
      { code: 'HS-2', procedure_code: 'QT-01', received_at: '2026-03-10', due_date: '', channel: 'online' },
    ]);
  });

  it('decodes multi-byte characters split across read chunks', async () => {
    const title = 'Thủ tục trợ cấp xã hội hàng tháng — đối tượng bảo trợ ';
    const lines = ['code,procedure_code,received_at'];
    for (let i = 0; i < 3000; i++) lines.push(`HS-${i},${title}${i},2026-03-10`);
    const buffer = Buffer.from(lines.join('\n'));
    expect(buffer.length).toBeGreaterThan(3 * 64 * 1024);
    for (const input of [{ buffer }, await file(buffer)]) {
      const rows = await readAll(input);
      expect(rows).toHaveLength(3000);
      expect(rows.every((r, i) => r.values.procedure_code === `${title}${i}`)).toBe(true);
    }
  });

  it('takes the delimiter from the header line only', () => {
    expect(detectDelimiter('code,title')).toBe(',');
    expect(detectDelimiter('code;title;field')).toBe(';');
    expect(detectDelimiter('code\ttitle')).toBe('\t');
    expect(detectDelimiter('"Mã, hồ sơ";"Tên, quy trình";x')).toBe(';');
    expect(detectDelimiter('code')).toBe(',');
  });

  it('reads a comma header even when data rows are full of semicolons', async () => {
    const rows = await readAll(await file('code,procedure_code,received_at\nHS;1,QT;01,2026-03-10\n'));
    expect(rows[0].values).toMatchObject({ code: 'HS;1', procedure_code: 'QT;01' });
  });
});

describe('readTable: header problems', () => {
  it('reports every missing required column before yielding anything', async () => {
    const problems = await problemsOf(await file('code,channel\nHS-1,online\n'));
    expect(problems.map((p) => [p.column, p.code])).toEqual([
      ['procedure_code', 'missing_column'],
      ['received_at', 'missing_column'],
    ]);
    expect(problems[1].reason).toContain('Ngày nhận');
    expect(formatHeaderProblem(problems[1])).toBe('Cột Ngày nhận: thiếu cột bắt buộc (tên được chấp nhận: received_at, Ngày nhận)');
    expect(formatHeaderProblem(problems[1], 'en')).toBe('Column received_at: required column is missing (accepted names: received_at, Ngày nhận)');
  });

  it('reports a column given twice, under either name, and optional columns too', async () => {
    const problems = await problemsOf(await file('code,Mã hồ sơ,procedure_code,received_at,channel,HÌNH THỨC NỘP\n1,1,QT,2026-03-10,,\n'));
    expect(problems).toEqual([
      {
        column: 'code',
        code: 'duplicate_column',
        reason: 'column given more than once (columns 1, 2)',
        params: { where: '1, 2', label: 'code', vi: 'Mã hồ sơ' },
      },
      {
        column: 'channel',
        code: 'duplicate_column',
        reason: 'column given more than once (columns 5, 6)',
        params: { where: '5, 6', label: 'channel', vi: 'Hình thức nộp' },
      },
    ]);
    // Named as the file first wrote the column.
    expect(formatHeaderProblem(problems[1])).toBe('Cột channel: cột có nhiều hơn một lần (các cột 5, 6)');
    expect(formatHeaderProblem(problems[1], 'en')).toBe('Column channel: column given more than once (columns 5, 6)');
  });

  it('reports missing and duplicated columns together', async () => {
    const problems = await problemsOf({ buffer: Buffer.from('code;code;received_at\n') });
    expect(problems.map((p) => p.code).sort()).toEqual(['duplicate_column', 'missing_column']);
  });

  it('refuses empty files and files with only blank lines', async () => {
    expect(await problemsOf(await file(''))).toMatchObject([{ column: null, code: 'empty_file' }]);
    expect(await problemsOf({ buffer: Buffer.alloc(0) })).toMatchObject([{ code: 'empty_file' }]);
    expect(await problemsOf(await file(`${BOM}\r\n  \r\n;;\r\n`))).toMatchObject([{ code: 'empty_file' }]);
    expect(await problemsOf(await file('\n\t\t\n'))).toMatchObject([{ code: 'empty_file' }]);
  });

  it('refuses binary junk, invalid UTF-8, UTF-16, old .xls and broken zips with a clear error', async () => {
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    expect(await problemsOf(await file(junk, 'junk.csv'))).toMatchObject([
      { column: null, code: expect.stringMatching(/unsupported_format|invalid_encoding/) },
    ]);
    const withNul = Buffer.from('code,procedure_code\u0000\u0001\u0002,received_at\n');
    expect(await problemsOf({ buffer: withNul })).toMatchObject([{ code: 'unsupported_format' }]);
    const windows1258 = Buffer.from([0x4d, 0xe3, 0x20, 0x68, 0xf4, 0x20, 0x73, 0xf5, 0x0a]); // "Mã hô so" in a legacy 8-bit code page
    expect(await problemsOf({ buffer: windows1258 })).toMatchObject([{ code: 'invalid_encoding' }]);
    expect(await problemsOf({ buffer: Buffer.from('\uFEFFcode,title\n', 'utf16le') })).toMatchObject([{ code: 'invalid_encoding' }]);
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), junk]);
    expect(await problemsOf(await file(xls, 'old.xls'))).toMatchObject([{ code: 'unsupported_format' }]);
    const fakeZip = Buffer.concat([Buffer.from('PK\x03\x04'), junk]);
    expect(await problemsOf(await file(fakeZip, 'fake.xlsx'))).toMatchObject([{ code: 'unreadable_file' }]);
  });

  it('reports invalid UTF-8 found late in a file', async () => {
    const good = 'code,procedure_code,received_at\n' + 'HS-1,QT-01,2026-03-10\n'.repeat(5000);
    const input = await file(Buffer.concat([Buffer.from(good), Buffer.from([0xff, 0xfe, 0x0a])]));
    await expect(readAll(input)).rejects.toMatchObject({ name: 'ImportHeaderError', problems: [{ code: 'invalid_encoding' }] });
  });

  it('reports an unclosed quote as an unreadable file', async () => {
    const input = await file('code,procedure_code,received_at\nHS-1,"QT-01,2026-03-10\n');
    await expect(readAll(input)).rejects.toMatchObject({ name: 'ImportHeaderError', problems: [{ code: 'unreadable_file' }] });
  });

  it('refuses ambiguous column specs (a programming error)', async () => {
    const specs: ColumnSpec[] = [
      { key: 'a', names: ['Ngày'] },
      { key: 'b', names: ['NGÀY'] },
    ];
    await expect(readAll({ buffer: Buffer.from('x\n') }, specs)).rejects.toThrow(TypeError);
  });
});

describe('readTable: XLSX', () => {
  async function workbook(): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Hồ sơ');
    ws.addRow(['MÃ HỒ SƠ', 'Mã quy trình', 'NGÀY NHẬN', 'Ngày hẹn trả', 'Họ tên', 'Hình thức nộp']);
    ws.addRow([1001, 'QT-BTXH-01', new Date(Date.UTC(2026, 2, 10, 8, 15, 0)), new Date(Date.UTC(2026, 2, 17)), 'Nguyễn Văn A', 'trực tuyến']);
    ws.getCell('C2').numFmt = 'dd/mm/yyyy hh:mm';
    ws.getCell('D2').numFmt = 'dd/mm/yyyy';
    // row 3 left empty on purpose
    ws.getRow(4).values = [
      { richText: [{ text: 'HS-' }, { text: '0002', font: { bold: true } }] },
      { text: 'QT-02', hyperlink: 'https://dichvucong.gov.vn' },
      '2026-03-11T09:00',
      { formula: 'C2+7', result: 46098.34375 },
      'Trần Thị B',
      { formula: 'LOWER("ONLINE")', result: 'online' },
    ];
    ws.getCell('D4').numFmt = 'dd/mm/yyyy';
    ws.getRow(5).values = [12.5, 0.1 + 0.2, 1e21, -0.000001, null, true];
    wb.addWorksheet('Ghi chú').addRow(['code', 'procedure_code', 'received_at']);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  const expected: TableRow[] = [
    { row: 2, values: { code: '1001', procedure_code: 'QT-BTXH-01', received_at: '2026-03-10T08:15:00', due_date: '2026-03-17', channel: 'trực tuyến' } },
    { row: 4, values: { code: 'HS-0002', procedure_code: 'QT-02', received_at: '2026-03-11T09:00', due_date: '2026-03-17T08:15:00', channel: 'online' } },
    { row: 5, values: { code: '12.5', procedure_code: '0.3', received_at: '1000000000000000000000', due_date: '-0.000001', channel: 'TRUE' } },
  ];

  it('reads the first worksheet from a path, cells as text', async () => {
    const rows = await readAll(await file(await workbook(), 'dossiers.xlsx'));
    expect(rows).toEqual(expected);
    expect(JSON.stringify(rows)).not.toMatch(/Nguyễn|Trần/);
  });

  it('reads the same from a buffer, and detects the format from content, not the name', async () => {
    const buffer = await workbook();
    expect(await readAll({ buffer })).toEqual(expected);
    expect(await readAll(await file(buffer, 'looks-like.csv'))).toEqual(expected);
    const csvNamedXlsx = await file('code,procedure_code,received_at\nHS-1,QT-01,2026-03-10\n', 'looks-like.xlsx');
    expect(await readAll(csvNamedXlsx)).toHaveLength(1);
  });

  it('checks the header of a worksheet', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1').addRow(['Mã hồ sơ', 'Ngày nhận', 'Ngày nhận']);
    const problems = await problemsOf({ buffer: Buffer.from(await wb.xlsx.writeBuffer()) });
    expect(problems.map((p) => [p.column, p.code])).toEqual([
      ['procedure_code', 'missing_column'],
      ['received_at', 'duplicate_column'],
    ]);
  });

  it('refuses an empty workbook and a truncated one', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1');
    expect(await problemsOf({ buffer: Buffer.from(await wb.xlsx.writeBuffer()) })).toMatchObject([{ code: 'empty_file' }]);
    const whole = await workbook();
    const truncated = whole.subarray(0, Math.floor(whole.length / 2));
    await expect(readAll({ buffer: truncated })).rejects.toBeInstanceOf(ImportHeaderError);
  });
});

describe('readTable: early stop', () => {
  const openFiles = async () => (await readdir('/proc/self/fd')).length;

  it.skipIf(!existsSync('/proc/self/fd'))('closes the file when the caller stops early or the header is wrong', async () => {
    const lines = 'code,procedure_code,received_at\n' + 'HS-1,QT-01,2026-03-10\n'.repeat(20_000);
    const csv = await file(lines);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow(['code', 'procedure_code', 'received_at']);
    for (let i = 0; i < 20_000; i++) ws.addRow([`HS-${i}`, 'QT-01', '2026-03-10']);
    const xlsx = await file(Buffer.from(await wb.xlsx.writeBuffer()), 'many.xlsx');
    const badWb = new ExcelJS.Workbook();
    badWb.addWorksheet('Sheet1').addRow(['x', 'y']);
    const badHeaders = [await file('x,y\n1,2\n'), await file(Buffer.from(await badWb.xlsx.writeBuffer()), 'bad.xlsx')];
    // exceljs copies worksheets to temporary files named tmp-<pid>-…
    const tempFiles = async () => (await readdir(tmpdir())).filter((f) => f.startsWith(`tmp-${process.pid}-`)).length;

    const [filesBefore, tempBefore] = [await openFiles(), await tempFiles()];
    for (const input of [csv, xlsx, csv, xlsx]) {
      for await (const r of readTable(input, DOSSIER)) {
        expect(r.row).toBe(2);
        break;
      }
    }
    for (const input of badHeaders) await expect(readAll(input)).rejects.toBeInstanceOf(ImportHeaderError);
    expect(await readAll(xlsx)).toHaveLength(20_000);
    expect(await readAll(csv)).toHaveLength(20_000);
    // Closing a file descriptor is asynchronous: wait for the closes under way (up to 10 s), not a fixed moment.
    let filesAfter = await openFiles();
    for (let tries = 0; filesAfter > filesBefore && tries < 1000; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      filesAfter = await openFiles();
    }
    expect(filesAfter).toBeLessThanOrEqual(filesBefore);
    expect(await tempFiles()).toBe(tempBefore);
  });
});

describe('row errors', () => {
  it('formats row errors and carries them all', () => {
    const errors = Array.from({ length: 7 }, (_, i) => ({ row: i + 2, column: 'received_at', code: 'date_invalid_format', params: { value: 'x' } }));
    const notADate = '“x” không phải là ngày; dùng dd/MM/yyyy, dd/MM/yyyy HH:mm hoặc YYYY-MM-DD';
    expect(formatRowError(errors[0])).toBe(`Dòng 2, cột received_at: ${notADate}`);
    expect(formatRowError(errors[0], 'en')).toBe('Row 2, column received_at: “x” is not a date; use dd/MM/yyyy, dd/MM/yyyy HH:mm or YYYY-MM-DD');
    // Without the file's header, the column is named in Vietnamese (vi) or by its key (en).
    const labels = { received_at: { file: null, vi: 'Ngày nhận' } };
    expect(formatRowError(errors[0], 'vi', labels)).toBe(`Dòng 2, cột Ngày nhận: ${notADate}`);
    expect(formatRowError(errors[0], 'en', labels)).toMatch(/^Row 2, column received_at: /);
    const err = new ImportRowsError(errors);
    expect(err).toBeInstanceOf(Error);
    expect(err.errors).toHaveLength(7);
    expect(err.message).toContain(`Dòng 6, cột received_at: ${notADate}; … và 2 lỗi khác`);
    expect(err.describe('en', 5)).toMatch(/^Row 2, column received_at: .*; … and 2 more$/);
  });

  it('formats header problems', () => {
    const missing = {
      column: 'code',
      code: 'missing_column',
      reason: 'required column is missing',
      params: { names: 'code, Mã hồ sơ', label: 'Mã hồ sơ', vi: 'Mã hồ sơ' },
    } as const;
    expect(formatHeaderProblem(missing)).toBe('Cột Mã hồ sơ: thiếu cột bắt buộc (tên được chấp nhận: code, Mã hồ sơ)');
    expect(formatHeaderProblem(missing, 'en')).toBe('Column code: required column is missing (accepted names: code, Mã hồ sơ)');
    expect(formatHeaderProblem({ column: null, code: 'empty_file', reason: 'the file is empty' })).toBe('tệp trống hoặc không có dòng tiêu đề');
    expect(formatHeaderProblem({ column: null, code: 'empty_file', reason: 'the file is empty' }, 'en')).toBe('the file is empty or has no header row');
  });
});

describe('readTable: memory', () => {
  it('streams a 300,000-row CSV from a path with modest memory growth', async () => {
    const path = join(dir, 'big.csv');
    const out = createWriteStream(path);
    out.write(`${BOM}Mã hồ sơ;Mã quy trình;Ngày nhận;Họ tên và địa chỉ người nộp;Hình thức nộp\r\n`);
    const filler = 'Nguyễn Thị Thu Hằng, số 12 đường Lê Thánh Tôn, phường Bến Nghé, quận Một, Thành phố Hồ Chí Minh — '.repeat(2);
    for (let batch = 0; batch < 30; batch++) {
      const lines: string[] = [];
      for (let i = batch * 10_000; i < (batch + 1) * 10_000; i++) lines.push(`HS-${i};QT-BTXH-01;10/03/2026 08:15;"${filler}${i}";trực tuyến\r\n`);
      if (!out.write(lines.join(''))) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');

    // In a fresh process (see test/support/read-table-memory.ts): the reading alone, not the heap of earlier tests.
    const script = join(import.meta.dirname, '..', 'support', 'read-table-memory.ts');
    const child = await runNode(['--expose-gc', '--import', 'tsx', script, path]);
    expect(child.stderr).toBe('');
    const result = JSON.parse(child.stdout) as { count: number; last: number; first: Record<string, string>; growthMb: number };
    expect(result.count).toBe(300_000);
    expect(result.last).toBe(300_001);
    expect(result.first).toEqual({ code: 'HS-0', procedure_code: 'QT-BTXH-01', received_at: '10/03/2026 08:15', due_date: '', channel: 'trực tuyến' });
    console.log(`300,000-row CSV (75 MB): rss growth ${result.growthMb.toFixed(1)} MB`);
    // Holding the file, or its rows as objects, would take several hundred MB.
    expect(result.growthMb).toBeLessThan(100);
  }, 600_000);
});
