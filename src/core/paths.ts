import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project folder (the one with package.json), found from wherever this code runs: src/core under tsx, or the
 * single built file that `npm start` runs (node_modules/.cache/qms-tracker/). Views and sample data live under it.
 */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'views'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no project folder (package.json and views/) above ${from}`);
  }
}

export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
