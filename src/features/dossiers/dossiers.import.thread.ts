/**
 * Runs a web dossier import in a worker thread (dossiers.import.worker.ts) and gives back what importDossiers would
 * have: the summary, or the same ImportRowsError / ImportHeaderError, or an error carrying SQLite's code (SQLITE_BUSY
 * becomes a 503 in the error handler). A 600,000-row import on the event loop blocked every other user for 7.6 s;
 * in the worker, the server keeps answering. Imports from the web run one at a time.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AppContext } from '../../core/context';
import { ImportHeaderError, ImportRowsError, type TableInput } from '../../core/import';
import { ROOT } from '../../core/paths';
import { importDossiers, type DossierImportOptions, type DossierImportSummary } from './dossiers.import.service';
import { organisationOf } from '../../core/db/scope';
import type { DossierImportJob, DossierImportOutcome } from './dossiers.import.worker';

/**
 * The worker's code: src/features/import-worker.ts, which loads the features' event handlers (hooks.ts) and then
 * dossiers.import.worker.ts. `npm start` builds it beside the server (features/import-worker.js next to server.js); under tsx and in the tests, the worker runs the TypeScript source through tsx, registered in the worker
 * itself (a Worker does not take --import from its execArgv). The built worker starts lighter: tsx and its module
 * hooks' thread cost the server about 30 MB more while an import runs.
 */
function startWorker(job: DossierImportJob): Worker {
  const built = join(dirname(fileURLToPath(import.meta.url)), 'features', 'import-worker.js');
  if (import.meta.url.endsWith('.js') && existsSync(built)) return new Worker(built, { workerData: job });
  const source = pathToFileURL(join(ROOT, 'src', 'features', 'import-worker.ts')).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(boot, { eval: true, workerData: job });
}

let queue: Promise<unknown> = Promise.resolve();

function inWorker(job: DossierImportJob): Promise<DossierImportOutcome> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(job);
    let settled = false;
    worker.once('message', (outcome: DossierImportOutcome) => {
      settled = true;
      resolve(outcome);
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the dossier import worker stopped (exit code ${code}) without an answer`));
    });
  });
}

function fromOutcome(outcome: DossierImportOutcome): DossierImportSummary {
  if (outcome.ok) return outcome.summary;
  if (outcome.kind === 'rows') throw new ImportRowsError(outcome.errors, outcome.total, outcome.labels);
  if (outcome.kind === 'header') throw new ImportHeaderError(outcome.problems);
  const err = new Error(outcome.message) as Error & { code?: string };
  err.name = outcome.name;
  if (outcome.code !== undefined) err.code = outcome.code;
  if (outcome.stack) err.stack = outcome.stack;
  throw err;
}

/** importDossiers, off the event loop; in-process for an in-memory database (no other connection can reach it). */
export async function importDossiersInWorker(ctx: AppContext, input: { path: string }, options: DossierImportOptions): Promise<DossierImportSummary> {
  if (!ctx.config.databaseUrl && ctx.config.databasePath === ':memory:') return importDossiers(ctx, input satisfies TableInput, options);
  // The worker's own connection works for the request's organisation (a worker thread does not share its context).
  const job: DossierImportJob = {
    config: { ...ctx.config },
    now: ctx.clock.now().toISOString(),
    path: input.path,
    options,
    organisationId: organisationOf(ctx.db),
  };
  const turn = queue.then(() => inWorker(job));
  queue = turn.catch(() => undefined);
  return fromOutcome(await turn);
}
