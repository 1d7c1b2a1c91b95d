/**
 * Run in a child process by test/core/import.test.ts (`node --expose-gc --import tsx read-table-memory.ts FILE`):
 * reads a dossier CSV with readTable and prints, as JSON, the row count, the last row number, the first row's values
 * and the RSS growth over the read. A fresh process measures the reading alone: inside the test worker, the heap
 * left by the tests before it moved the figure by more than 100 MB either way.
 */
import { readTable } from '../../src/core/import';
import { DOSSIER_TEST_COLUMNS as COLUMNS } from './import-columns';

const path = process.argv[2];
(globalThis as { gc?: () => void }).gc?.();
const before = process.memoryUsage().rss;
let peak = before;
let count = 0;
let last = 0;
let first: Record<string, string> | undefined;
for await (const { row, values } of readTable({ path }, COLUMNS)) {
  count++;
  last = row;
  first ??= values;
  if (count % 5_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
}
process.stdout.write(JSON.stringify({ count, last, first, growthMb: (peak - before) / 2 ** 20 }));
