/** Streaming CSV reading: UTF-8 (BOM optional), delimiter taken from the header line, quoted fields, CRLF or LF. */
import { CsvError, parse } from 'csv-parse';
import { Readable, pipeline } from 'node:stream';
import Papa from 'papaparse';
import { fileProblem, ImportHeaderError } from './errors';

const DELIMITERS = [',', ';', '\t'] as const;
const MAX_HEADER_PEEK = 64 * 1024;
/**
 * Parsed chunks waiting for the consumer before the text is paused (a chunk is ~64 kB of text). Two, not more: rows
 * still queued when the young generation is collected are promoted with the chunk text their cells point into, and
 * the old generation then grew by 160 MB on the 300,000-row test while other processes held the CPU (35–80 MB now).
 */
const MAX_QUEUED_BATCHES = 2;

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

/** The text of a CSV byte stream and its delimiter, read from the text up to the header line. */
async function openText(bytes: Readable): Promise<{ delimiter: string; text: Readable }> {
  const text = utf8Text(bytes);
  let head = '';
  let headerLine: string | null = null;
  for (let done = false; headerLine === null && !done && head.length < MAX_HEADER_PEEK;) {
    const next = await text.next();
    done = next.done === true;
    if (!done) head += next.value;
    headerLine = firstContentLine(head, done);
  }
  async function* all(): AsyncGenerator<string> {
    yield head;
    yield* text;
  }
  return { delimiter: detectDelimiter(headerLine ?? head), text: Readable.from(all(), { highWaterMark: 1 }) };
}

/** Thrown by papaBatches where Papa Parse's reading may differ from csv-parse's: csvRecordBatches reads on with csv-parse. */
class NeedsFullParser extends Error {}

/** A quote after blanks at the start of a field: csv-parse (trim) opens a quoted field there, Papa Parse does not. */
const QUOTE_AFTER_BLANKS = /^[ \t]+"/;

/**
 * The fast reading, with Papa Parse: a chunk of text at a time, the text paused while the consumer is behind. Stops with
 * NeedsFullParser before the first record where csv-parse could read otherwise (a quote after blanks, a quote error).
 */
async function* papaBatches(bytes: Readable): AsyncGenerator<string[][]> {
  const { delimiter, text } = await openText(bytes);
  const batches: string[][][] = [];
  let failure: unknown = null;
  let finished = false;
  let parser: Papa.Parser | null = null;
  let paused = false;
  let wake: (() => void) | null = null;
  const signal = () => {
    wake?.();
    wake = null;
  };
  text.on('error', (err) => {
    failure ??= err;
    signal();
  });
  Papa.parse<string[]>(text as unknown as NodeJS.ReadableStream, {
    delimiter,
    header: false,
    skipEmptyLines: false, // keep them so record numbers stay the file's row numbers
    chunk: (results, p) => {
      parser = p;
      const records = results.data;
      const quoteError = results.errors.find((e) => e.type === 'Quotes');
      let stop = records.findIndex((cells) => cells.some((cell) => QUOTE_AFTER_BLANKS.test(cell)));
      if (quoteError && (stop === -1 || (quoteError.row ?? 0) < stop)) stop = quoteError.row ?? 0;
      if (stop !== -1) {
        if (stop > 0) batches.push(records.slice(0, stop));
        failure ??= new NeedsFullParser();
        p.abort();
      } else if (records.length > 0) batches.push(records);
      if (batches.length >= MAX_QUEUED_BATCHES && !paused) {
        paused = true;
        text.pause(); // Papa Parse's own pause would let the stream run on into its queue
      }
      signal();
    },
    complete: () => {
      finished = true;
      signal();
    },
    error: (err: Error) => {
      failure ??= err;
      signal();
    },
  });
  try {
    for (;;) {
      if (batches.length > 0) {
        yield batches.shift()!;
        if (paused && batches.length < MAX_QUEUED_BATCHES / 2) {
          paused = false;
          text.resume();
        }
        continue;
      }
      if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
      if (finished) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    if (!finished) (parser as Papa.Parser | null)?.abort();
    text.destroy();
  }
}

const FULL_BATCH = 1024;

/** The full reading, with csv-parse (trimmed fields, relaxed quotes), in batches of FULL_BATCH records. */
async function* csvParseBatches(bytes: Readable): AsyncGenerator<string[][]> {
  const { delimiter, text } = await openText(bytes);
  const parser = parse({
    delimiter,
    relax_quotes: true, // a stray quote inside a field is kept as a character
    relax_column_count: true, // short or long rows are judged by the caller, not refused here
    trim: true,
    skip_empty_lines: false, // keep them so record numbers stay the file's row numbers
  });
  const records = pipeline(text, parser, () => {
    /* errors reach the consumer through iteration */
  });
  try {
    let batch: string[][] = [];
    for await (const record of records as AsyncIterable<string[]>) {
      batch.push(record);
      if (batch.length === FULL_BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
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

/**
 * Yields the records of a CSV in batches, one string array per record, blank lines included (as ['']).
 * Papa Parse reads a 1,000,000-row file in a quarter of csv-parse's time, so it reads first; where csv-parse's rules
 * could give other records (a quoted field after blanks, which csv-parse's trim accepts; a quote error) the file is
 * opened again and csv-parse reads it from there on, past the records already yielded. Cells are not trimmed here
 * (readTable trims every cell). `open` gives the file's bytes from the start, each time it is called.
 */
export async function* csvRecordBatches(open: () => Readable): AsyncGenerator<string[][]> {
  let yielded = 0;
  try {
    for await (const records of papaBatches(open())) {
      yielded += records.length;
      yield records;
    }
    return;
  } catch (err) {
    if (!(err instanceof NeedsFullParser)) throw err;
  }
  let skip = yielded;
  for await (const records of csvParseBatches(open())) {
    if (skip >= records.length) {
      skip -= records.length;
      continue;
    }
    yield skip > 0 ? records.slice(skip) : records;
    skip = 0;
  }
}
