import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { crc32, createDeflateRaw } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTable, type ColumnSpec } from '../../src/core/import';
import { checkXlsxSize, XLSX_LIMITS } from '../../src/core/import/xlsx-limits';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';

/**
 * XLSX bombs (issue 19, point 6): a 400 kB workbook whose shared strings unpack to hundreds of megabytes took the server
 * from 134 MB to 2.4 GB. What a workbook unpacks to is now checked before exceljs reads it — the sizes its directory
 * declares, then the bytes its entries really give (a header can lie), the cells and the shared strings — and such a
 * file is refused with a message at the file field. Peak memory is measured in a child process that runs the reader.
 */
const MB = 1024 * 1024;
let dir: string;
let t: TestApp;
let qo: SignedIn;

interface Part {
  name: string;
  /** The entry's content, as pieces (so that hundreds of MB are never held at once). */
  pieces: () => Iterable<Buffer>;
  /** Declare this size (and CRC 0) instead of the true one, in the local header and the directory. */
  lie?: number;
}

/** Deflates `pieces` as a stream (a bomb's hundreds of MB are never held at once). */
async function deflate(pieces: Iterable<Buffer>): Promise<{ data: Buffer; size: number; crc: number }> {
  const deflater = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflater.on('data', (chunk: Buffer) => out.push(chunk));
  const done = once(deflater, 'end');
  let size = 0;
  let crc = 0;
  for (const piece of pieces) {
    size += piece.length;
    crc = crc32(piece, crc);
    if (!deflater.write(piece)) await once(deflater, 'drain');
  }
  deflater.end();
  await done;
  return { data: Buffer.concat(out), size, crc };
}

/** Writes a zip (deflate, no zip64) of `parts` in order; returns its size. */
async function writeZip(path: string, parts: Part[]): Promise<number> {
  const out: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const { data, size, crc } = await deflate(part.pieces());
    const name = Buffer.from(part.name);
    const declared = part.lie ?? size;
    const declaredCrc = part.lie === undefined ? crc : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(declaredCrc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    out.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(declaredCrc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    directory.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  const zip = Buffer.concat([...out, cd, end]);
  writeFileSync(path, zip);
  return zip.length;
}

const text = (s: string) => () => [Buffer.from(s)];
function* repeated(head: string, unit: string, times: number, tail: string): Generator<Buffer> {
  yield Buffer.from(head);
  const block = Buffer.from(unit.repeat(4096));
  for (let i = 0; i < times; i += 4096) yield i + 4096 <= times ? block : Buffer.from(unit.repeat(times - i));
  yield Buffer.from(tail);
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
/** The parts of a one-sheet workbook around `sharedStrings` and `sheet`. */
function workbook(sharedStrings: Part, sheet: Part): Part[] {
  return [
    {
      name: '[Content_Types].xml',
      pieces: text(
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
      ),
    },
    {
      name: '_rels/.rels',
      pieces: text(
        `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
    },
    sharedStrings,
    {
      name: 'xl/workbook.xml',
      pieces: text(`<?xml version="1.0"?><workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      pieces: text(
        `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
      ),
    },
    sheet,
  ];
}

const HEADER_SHEET: Part = {
  name: 'xl/worksheets/sheet1.xml',
  pieces: text(
    `<?xml version="1.0"?><worksheet xmlns="${NS}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row></sheetData></worksheet>`,
  ),
};
/**
 * Shared strings of ~260 MB, about 260 kB zipped: 10 million rich-text strings, each of which exceljs would keep as an
 * object of its own (the kind of file that took the server to 2.4 GB).
 */
const STRINGS_BOMB = 10_000_000;
const bombStrings = (lie?: number): Part => ({
  name: 'xl/sharedStrings.xml',
  pieces: () =>
    repeated(`<?xml version="1.0"?><sst xmlns="${NS}"><si><t>code</t></si><si><t>title</t></si>`, '<si><r><t>ab</t></r></si>', STRINGS_BOMB, '</sst>'),
  lie,
});

const COLUMNS: ColumnSpec[] = [
  { key: 'code', names: ['code'], required: true },
  { key: 'title', names: ['title'], required: true },
];

/** Reads `path` with readTable in a fresh node process; its outcome and peak RSS (MB). */
function readInChild(path: string): Promise<{ rows: number; error: { name: string; code: string; reason: string } | null; maxRssMb: number }> {
  const script = `
    import { readTable } from ${JSON.stringify(join(process.cwd(), 'src/core/import/index.ts'))};
    let rows = 0, error = null;
    try {
      for await (const _ of readTable({ path: ${JSON.stringify(path)} }, ${JSON.stringify(COLUMNS)})) rows++;
    } catch (err) {
      error = { name: err.name, code: err.problems?.[0]?.code, reason: err.problems?.[0]?.reason };
    }
    process.stdout.write(JSON.stringify({ rows, error, maxRssMb: process.resourceUsage().maxRSS / 1024 }));`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { encoding: 'utf8', maxBuffer: 4 * MB, cwd: process.cwd() },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout))),
    );
  });
}

let honestBomb: string;
let lyingBomb: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qms-xlsx-bomb-'));
  honestBomb = join(dir, 'bomb.xlsx');
  lyingBomb = join(dir, 'bomb-lying.xlsx');
  const size = await writeZip(honestBomb, workbook(bombStrings(), HEADER_SHEET));
  expect(size).toBeLessThan(1 * MB);
  await writeZip(lyingBomb, workbook(bombStrings(2000), HEADER_SHEET));
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
}, 120_000);
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a shared-strings bomb', () => {
  it('is refused before reading, the reader staying under 300 MB (sizes declared in the directory)', async () => {
    const result = await readInChild(honestBomb);
    console.info(`XLSX bomb (declared sizes): peak RSS ${Math.round(result.maxRssMb)} MB`);
    expect(result.error).toMatchObject({ name: 'ImportHeaderError', code: 'too_large' });
    expect(result.error!.reason).toContain('xl/sharedStrings.xml');
    expect(result.rows).toBe(0);
    expect(result.maxRssMb).toBeLessThan(300);
  });

  it('is refused when its headers lie about the size: the inflated bytes are counted', async () => {
    const result = await readInChild(lyingBomb);
    console.info(`XLSX bomb (lying sizes): peak RSS ${Math.round(result.maxRssMb)} MB`);
    expect(result.error).toMatchObject({ name: 'ImportHeaderError' });
    expect(result.error).toMatchObject({ code: 'too_large', reason: 'xl/sharedStrings.xml unpacks to more than the 2,000 bytes it declares' });
    expect(result.rows).toBe(0);
    expect(result.maxRssMb).toBeLessThan(300);
  });

  it('uploaded to the procedure import: 422 with the reason at the file field, nothing written', async () => {
    for (const [file, lang] of [
      [honestBomb, 'vi'],
      [lyingBomb, 'en'],
    ] as const) {
      const res = await qo.agent.post(`/procedures/import?lang=${lang}`).field('_csrf', qo.csrf).attach('file', file, 'danh-muc.xlsx');
      expect(res.status).toBe(422);
      const fieldError = /<p class="field-error" id="e-file">([^<]*)<\/p>/.exec(res.text)?.[1] ?? '';
      expect(fieldError).toContain(lang === 'vi' ? 'Không đọc tệp này' : 'This file was not read');
      expect(res.text).toContain('aria-invalid="true"');
    }
    expect(await rows(t, 'select count(*) as n from procedures')).toEqual([{ n: 0 }]);
  });

  it('uploaded to the dossier import (read in its worker): 422 at the file field, no import recorded', async () => {
    const res = await qo.agent.post('/dossiers/import?lang=vi').field('_csrf', qo.csrf).attach('file', honestBomb, 'ho-so.xlsx');
    expect(res.status).toBe(422);
    expect(/<p class="field-error" id="e-file">([^<]*)<\/p>/.exec(res.text)?.[1]).toContain('Không đọc tệp này');
    expect(await rows(t, 'select count(*) as n from dossier_imports')).toEqual([{ n: 0 }]);
  });
});

describe('the other limits', () => {
  const limits = { ...XLSX_LIMITS };

  it('counts the cells of every worksheet, and the cells of one row', async () => {
    const cells = (n: number, perRow: number): Part => ({
      name: 'xl/worksheets/sheet1.xml',
      pieces: function* () {
        yield Buffer.from(`<?xml version="1.0"?><worksheet xmlns="${NS}"><sheetData>`);
        for (let r = 0; r < n / perRow; r++) yield Buffer.from(`<row r="${r + 1}">${'<c t="n"><v>1</v></c>'.repeat(perRow)}</row>`);
        yield Buffer.from('</sheetData></worksheet>');
      },
    });
    const strings: Part = { name: 'xl/sharedStrings.xml', pieces: text(`<sst xmlns="${NS}"><si><t>code</t></si></sst>`) };
    const many = join(dir, 'cells.xlsx');
    await writeZip(many, workbook(strings, cells(20_000, 100)));
    await expect(checkXlsxSize({ path: many }, { ...limits, cells: 10_000 })).rejects.toMatchObject({
      problems: [{ code: 'too_large', reason: expect.stringContaining('more than 10,000 cells') }],
    });
    await expect(checkXlsxSize({ path: many }, limits)).resolves.toBeUndefined();
    const wide = join(dir, 'wide.xlsx');
    await writeZip(wide, workbook(strings, cells(20_000, 20_000)));
    await expect(checkXlsxSize({ path: wide }, limits)).rejects.toMatchObject({
      problems: [{ code: 'too_large', reason: expect.stringContaining('a row of more than 16,384 cells') }],
    });
  });

  it('refuses one text of a gigabyte, too many entries, and entries the directory does not list', async () => {
    const strings = (n: number): Part => ({
      name: 'xl/sharedStrings.xml',
      pieces: () => repeated(`<sst xmlns="${NS}"><si><t>`, 'x', n, '</t></si></sst>'),
    });
    const long = join(dir, 'long.xlsx');
    await writeZip(long, workbook(strings(2 * MB), HEADER_SHEET));
    await expect(checkXlsxSize({ path: long })).rejects.toMatchObject({ problems: [{ code: 'too_large', reason: expect.stringContaining('text or tag') }] });
    const crowded = join(dir, 'crowded.xlsx');
    await writeZip(crowded, [
      ...workbook(strings(10), HEADER_SHEET),
      ...Array.from({ length: 20 }, (_, i) => ({ name: `docProps/x${i}.xml`, pieces: text('<x/>') })),
    ]);
    await expect(checkXlsxSize({ path: crowded }, { ...limits, entries: 10 })).rejects.toMatchObject({ problems: [{ code: 'too_large' }] });
    // A local entry hidden from the directory: written, then the directory cut down to the first entries.
    const hidden = join(dir, 'hidden.xlsx');
    const parts = workbook(strings(10), HEADER_SHEET);
    await writeZip(hidden, parts);
    const bytes = readFileSync(hidden);
    const end = bytes.length - 22;
    bytes.writeUInt16LE(parts.length - 1, end + 8);
    bytes.writeUInt16LE(parts.length - 1, end + 10);
    writeFileSync(hidden, bytes);
    await expect(checkXlsxSize({ path: hidden })).rejects.toMatchObject({ problems: [{ code: 'unreadable_file' }] });
  });

  it('lets an ordinary workbook through, from a path or a buffer', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Danh mục');
    ws.addRow(['code', 'title']);
    for (let i = 0; i < 2000; i++) ws.addRow([`QT-${i}`, `Quy trình số ${i}`]);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    await expect(checkXlsxSize({ buffer })).resolves.toBeUndefined();
    let n = 0;
    for await (const _ of readTable({ buffer }, COLUMNS)) n++;
    expect(n).toBe(2000);
  });
});
