/** Streaming CSV reading: UTF-8 (BOM optional), delimiter taken from the header line, quoted fields, CRLF or LF. */
import { CsvError, parse } from 'csv-parse';
import { Readable, pipeline } from 'node:stream';
import { fileProblem, ImportHeaderError } from './errors';

const DELIMITERS = [',', ';', '\t'] as const;
const MAX_HEADER_PEEK = 64 * 1024;

/** The delimiter used most often outside quotes in the header line; comma when there is none (or a tie with it). */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  return DELIMITERS.reduce((best, d) => (counts.get(d)! > counts.get(best)! ? d : best));
}

/** Decodes strict UTF-8 (dropping a BOM), refusing invalid bytes and NUL characters, i.e. binary files. */
async function* utf8Text(bytes: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const check = (text: string) => {
    if (text.includes('\u0000')) throw fileProblem('unsupported_format', 'the file is neither CSV nor XLSX (it contains binary data)');
    return text;
  };
  try {
    for await (const chunk of bytes) yield check(decoder.decode(chunk, { stream: true }));
    yield check(decoder.decode());
  } catch (err) {
    if (err instanceof TypeError) throw fileProblem('invalid_encoding', 'the file is not UTF-8 text; save it as CSV UTF-8 or .xlsx', err);
    throw err;
  }
}

/** The first line with any content, or null when `text` has none yet (`complete`: no more text will follow). */
function firstContentLine(text: string, complete: boolean): string | null {
  const lines = text.split('\n');
  if (!complete) lines.pop(); // may be cut short
  return lines.find((line) => line.trim() !== '') ?? null;
}

/** Yields the records of a CSV byte stream, one string array per record, blank lines included (as ['']). */
export async function* csvRecords(bytes: Readable): AsyncGenerator<string[]> {
  const text = utf8Text(bytes);
  // Read up to the header line to choose the delimiter, then hand that text and the rest on to the parser.
  let head = '';
  let headerLine: string | null = null;
  for (let done = false; headerLine === null && !done && head.length < MAX_HEADER_PEEK; ) {
    const next = await text.next();
    done = next.done === true;
    if (!done) head += next.value;
    headerLine = firstContentLine(head, done);
  }
  const delimiter = detectDelimiter(headerLine ?? head);
  async function* all(): AsyncGenerator<string> {
    yield head;
    yield* text;
  }
  const parser = parse({
    delimiter,
    relax_quotes: true, // a stray quote inside a field is kept as a character
    relax_column_count: true, // short or long rows are judged by the caller, not refused here
    trim: true,
    skip_empty_lines: false, // keep them so record numbers stay the file's row numbers
  });
  const records = pipeline(Readable.from(all()), parser, () => {
    /* errors reach the consumer through iteration */
  });
  try {
    for await (const record of records as AsyncIterable<string[]>) yield record;
  } catch (err) {
    if (err instanceof ImportHeaderError) throw err;
    if (err instanceof CsvError) {
      throw fileProblem('unreadable_file', `the CSV file cannot be read: ${err.message}`, err);
    }
    throw err;
  } finally {
    records.destroy();
  }
}
