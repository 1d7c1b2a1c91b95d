/** Opening an import's input as a byte stream and telling XLSX from CSV by content. */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { fileProblem } from './errors';

export type TableInput = { path: string } | { buffer: Buffer };
export type TableFormat = 'xlsx' | 'csv';

const CHUNK = 64 * 1024;
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]); // PK\x03\x04: XLSX is a zip archive
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]); // old .xls / .doc
const UTF16 = [Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])];

async function firstBytes(input: TableInput, n: number): Promise<Buffer> {
  if ('buffer' in input) return input.buffer.subarray(0, n);
  const file = await open(input.path, 'r');
  try {
    const head = Buffer.alloc(n);
    const { bytesRead } = await file.read(head, 0, n, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** The file's format from its first bytes; throws ImportHeaderError for empty files and known non-table formats. */
export async function detectFormat(input: TableInput): Promise<TableFormat> {
  const head = await firstBytes(input, 8);
  if (head.length === 0) throw fileProblem('empty_file', 'the file is empty');
  if (head.subarray(0, 4).equals(ZIP)) return 'xlsx';
  if (head.equals(OLE)) throw fileProblem('unsupported_format', 'old Excel (.xls) files are not supported; save the file as .xlsx or CSV UTF-8');
  if (UTF16.some((bom) => head.subarray(0, 2).equals(bom))) {
    throw fileProblem('invalid_encoding', 'the file is UTF-16 text; save it as CSV UTF-8');
  }
  return 'csv';
}

/** A stream of the input's bytes; a file is read in chunks, never whole. */
export function openBytes(input: TableInput): Readable {
  if ('path' in input) return createReadStream(input.path, { highWaterMark: CHUNK });
  const { buffer } = input;
  return Readable.from(
    (function* () {
      for (let at = 0; at < buffer.length; at += CHUNK) yield buffer.subarray(at, at + CHUNK);
    })(),
    { objectMode: false },
  );
}
