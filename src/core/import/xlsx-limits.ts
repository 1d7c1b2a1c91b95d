/**
 * Limits on what an XLSX file unpacks to, checked before exceljs reads it. An XLSX is a zip of XML files and exceljs
 * keeps some of them whole in memory (the shared strings, the styles, the workbook); a 400 kB file whose shared strings
 * unpack to gigabytes (a "zip bomb") took the server from 134 MB to 2.4 GB. Two checks, both before exceljs sees a byte:
 * 1. the zip's central directory: how many entries, and what each declares it unpacks to;
 * 2. the entries themselves, inflated in file order by the same zip reader exceljs uses (unzipper) and thrown away as
 *    they come, counting the bytes they really give (a header can lie), the cells of the worksheets, the shared strings,
 *    and the longest stretch of text without markup (one cell or attribute of a gigabyte).
 * A file over a limit is refused with ImportHeaderError code `too_large`; one whose entries disagree with its directory
 * is damaged (`unreadable_file`). Memory stays at a few chunks throughout.
 */
import type { CentralDirectory, Entry } from 'unzipper';
import { fileProblem, ImportHeaderError } from './errors';
import { openBytes, type TableInput } from './source';

const MiB = 1024 * 1024;

export interface XlsxLimits {
  /** Entries in the zip (a workbook has a dozen or two). */
  entries: number;
  /** All entries together, unpacked. */
  totalBytes: number;
  /** One worksheet, unpacked (read as a stream: costs time, not memory). */
  sheetBytes: number;
  /** xl/sharedStrings.xml, unpacked: exceljs keeps every shared string in memory. */
  sharedStringsBytes: number;
  /** Shared strings (<si> items). */
  sharedStrings: number;
  /** Any other XML exceljs reads whole (workbook, styles, relationships). */
  otherXmlBytes: number;
  /** Cells (<c> elements) in all worksheets. */
  cells: number;
  /** Cells in one row: Excel's own limit is 16,384 columns. */
  cellsPerRow: number;
  /** The longest run of bytes without a '<': one text (a cell holds at most 32,767 characters) or one tag. */
  runBytes: number;
}

/**
 * Enough for a workbook of a million cells, and small enough that importing any file that passes keeps the server
 * under 300 MB. The shared strings are what exceljs holds whole, at six to eight times their XML: a dossier workbook
 * of 122,000 rows with 8 MB of them (244,000 strings) took the server (npm start) from 140 MB to 285–290 MB while its
 * import worker read and wrote it (238 MB for the same rows as CSV); one of 94,000 rows just under these limits, to
 * 258–268 MB. Larger exports are imported as CSV (the one-stop system's own format), streamed whatever its size.
 */
export const XLSX_LIMITS: Readonly<XlsxLimits> = Object.freeze({
  entries: 1000,
  totalBytes: 1024 * MiB,
  sheetBytes: 1024 * MiB,
  sharedStringsBytes: 6 * MiB,
  sharedStrings: 200_000,
  otherXmlBytes: 4 * MiB,
  cells: 25_000_000,
  cellsPerRow: 16_384,
  runBytes: 1 * MiB,
});

type EntryKind = 'sheet' | 'sharedStrings' | 'xml' | 'other';

/** The entries exceljs's WorkbookReader parses, told apart as it tells them (same names, same patterns). */
function kindOf(path: string): EntryKind {
  if (path === 'xl/sharedStrings.xml') return 'sharedStrings';
  if (path === 'xl/workbook.xml' || path === 'xl/styles.xml' || path === 'xl/_rels/workbook.xml.rels') return 'xml';
  if (/xl\/worksheets\/sheet\d+[.]xml/.test(path)) return 'sheet';
  if (/xl\/worksheets\/_rels\/sheet\d+[.]xml.rels/.test(path)) return 'xml';
  return 'other'; // drained unread by exceljs: counts towards the total only
}

const mb = (bytes: number) => `${Math.round(bytes / MiB)} MB`;
const count = (n: number) => n.toLocaleString('en');

function entryLimit(kind: EntryKind, limits: XlsxLimits): number {
  if (kind === 'sheet') return limits.sheetBytes;
  if (kind === 'sharedStrings') return limits.sharedStringsBytes;
  if (kind === 'xml') return limits.otherXmlBytes;
  return limits.totalBytes;
}

const tooLarge = (reason: string) => fileProblem('too_large', reason);
const damaged = (reason: string) => fileProblem('unreadable_file', `the XLSX file is damaged: ${reason}`);

/** Step 1: the central directory. Returns each entry's declared unpacked size by name. */
function checkDirectory(directory: CentralDirectory, limits: XlsxLimits): Map<string, number> {
  if (directory.files.length > limits.entries) throw tooLarge(`it holds ${count(directory.files.length)} files, at most ${count(limits.entries)} are read`);
  const declared = new Map<string, number>();
  let total = 0;
  for (const file of directory.files) {
    if (declared.has(file.path)) throw damaged(`${file.path} is in it twice`);
    declared.set(file.path, file.uncompressedSize);
    const limit = entryLimit(kindOf(file.path), limits);
    if (file.uncompressedSize > limit) throw tooLarge(`${file.path} unpacks to ${mb(file.uncompressedSize)}, at most ${mb(limit)} is read`);
    total += file.uncompressedSize;
    if (total > limits.totalBytes) throw tooLarge(`it unpacks to more than ${mb(limits.totalBytes)}`);
  }
  return declared;
}

const LT = 0x3c;
/** Bytes that may follow a tag's name. */
const isNameEnd = (b: number | undefined) => b === 0x20 || b === 0x3e || b === 0x2f || b === 0x09 || b === 0x0a || b === 0x0d;

/** Step 2, for one entry: counts its inflated bytes and, for the XML exceljs reads, its cells or shared strings. */
class EntryScan {
  bytes = 0;
  private run = 0;
  private items = 0;
  private rowCells = 0;
  /** The start of a tag cut off at the end of the last chunk, looked at again with the next one. */
  private tail: Buffer = Buffer.alloc(0);

  constructor(
    private readonly path: string,
    private readonly kind: EntryKind,
    private readonly declared: number,
    private readonly limits: XlsxLimits,
    private readonly totals: { bytes: number; cells: number },
  ) {}

  add(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.totals.bytes += chunk.length;
    // A header that lies about the size is how a bomb gets past step 1: refused as one.
    if (this.bytes > this.declared) throw tooLarge(`${this.path} unpacks to more than the ${count(this.declared)} bytes it declares`);
    if (this.totals.bytes > this.limits.totalBytes) throw tooLarge(`it unpacks to more than ${mb(this.limits.totalBytes)}`);
    if (this.kind === 'other') return;
    this.checkRuns(chunk);
    if (this.kind !== 'xml') this.countItems(chunk);
  }

  /** The longest stretch without '<' (a text or a tag exceljs would hold whole). */
  private checkRuns(chunk: Buffer): void {
    let from = 0;
    for (let at = chunk.indexOf(LT); at !== -1; at = chunk.indexOf(LT, from)) {
      if (this.run + (at - from) > this.limits.runBytes) break;
      this.run = 0;
      from = at + 1;
    }
    this.run += chunk.length - from;
    if (this.run > this.limits.runBytes) throw tooLarge(`${this.path} holds a text or tag longer than ${mb(this.limits.runBytes)}`);
  }

  /** Cells and rows of a worksheet, items of the shared strings: the names right after each '<'. */
  private countItems(chunk: Buffer): void {
    const buf = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    this.tail = Buffer.alloc(0);
    for (let at = buf.indexOf(LT); at !== -1; at = buf.indexOf(LT, at + 1)) {
      if (at + 5 > buf.length) {
        this.tail = Buffer.from(buf.subarray(at)); // "<row " needs five bytes
        break;
      }
      if (this.kind === 'sheet') {
        if (buf[at + 1] === 0x63 /* c */ && isNameEnd(buf[at + 2])) {
          this.totals.cells++;
          if (++this.rowCells > this.limits.cellsPerRow) throw tooLarge(`${this.path} has a row of more than ${count(this.limits.cellsPerRow)} cells`);
          if (this.totals.cells > this.limits.cells) throw tooLarge(`its worksheets hold more than ${count(this.limits.cells)} cells`);
        } else if (buf[at + 1] === 0x72 /* r */ && buf[at + 2] === 0x6f && buf[at + 3] === 0x77 && isNameEnd(buf[at + 4])) {
          this.rowCells = 0;
        }
      } else if (buf[at + 1] === 0x73 /* s */ && buf[at + 2] === 0x69 /* i */ && isNameEnd(buf[at + 3])) {
        if (++this.items > this.limits.sharedStrings) throw tooLarge(`it holds more than ${count(this.limits.sharedStrings)} shared strings`);
      }
    }
  }
}

/** The zip reader, loaded with the first workbook (as exceljs is): importing it costs every process start 0.4 s. */
const loadUnzipper = async () => (await import('unzipper')).default;

/** Step 2: inflates every entry in file order (as exceljs will), counting, and throws at the first limit crossed. */
async function scanEntries(input: TableInput, declared: Map<string, number>, limits: XlsxLimits): Promise<void> {
  const unzipper = await loadUnzipper();
  const bytes = openBytes(input);
  const zip = unzipper.Parse({ forceStream: true });
  bytes.on('error', (err) => zip.destroy(err));
  bytes.pipe(zip);
  const totals = { bytes: 0, cells: 0 };
  const seen = new Set<string>();
  try {
    for await (const entry of zip as AsyncIterable<Entry>) {
      const size = declared.get(entry.path);
      if (size === undefined) throw damaged(`${entry.path} is not in its directory`);
      if (seen.has(entry.path)) throw damaged(`${entry.path} is in it twice`);
      seen.add(entry.path);
      const scan = new EntryScan(entry.path, kindOf(entry.path), size, limits, totals);
      for await (const chunk of entry as AsyncIterable<Buffer>) scan.add(chunk);
      if (scan.bytes !== size) throw damaged(`${entry.path} unpacks to ${count(scan.bytes)} bytes, not the ${count(size)} it declares`);
    }
  } finally {
    bytes.unpipe(zip);
    bytes.destroy();
    zip.destroy();
  }
}

/**
 * Refuses an XLSX file that unpacks to more than `limits` allow (ImportHeaderError `too_large`) or whose entries do not
 * match its directory (`unreadable_file`), before any of it is parsed.
 */
export async function checkXlsxSize(input: TableInput, limits: XlsxLimits = XLSX_LIMITS): Promise<void> {
  const unzipper = await loadUnzipper();
  let directory: CentralDirectory;
  try {
    directory = await ('buffer' in input ? unzipper.Open.buffer(input.buffer) : unzipper.Open.file(input.path));
  } catch (err) {
    throw fileProblem('unreadable_file', 'the XLSX file is damaged or is not an Excel workbook', err);
  }
  const declared = checkDirectory(directory, limits);
  try {
    await scanEntries(input, declared, limits);
  } catch (err) {
    if (err instanceof ImportHeaderError) throw err;
    throw fileProblem('unreadable_file', 'the XLSX file is damaged or is not an Excel workbook', err);
  }
}
