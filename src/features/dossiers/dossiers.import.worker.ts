/**
 * The web dossier import, in a worker thread (started by dossiers.import.thread.ts through src/features/import-worker.ts,
 * which loads the features' event handlers first): the reading and checking of the
 * file and the one transaction that writes it run on the worker's own connection, so the server's event loop and its
 * connection stay free for other users — reads go on beside the import (WAL), writes get 503 while it holds the lock.
 * Posts one message: the summary, or the error (a file's problems as codes and parameters, worded by the main thread
 * in the reader's language; anything else with its name and code).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../../config';
import type { AppContext } from '../../core/context';
import { ImportHeaderError, ImportRowsError, SHOWN_IMPORT_ERRORS } from '../../core/import';
import { waitForWriteLock } from '../../core/db/dialect/bulk';
import { openConfiguredDatabase } from '../../core/db/open';
import { scopedDb } from '../../core/db/scope';
import { importDossiers, settleAfterImport, type DossierImportOptions, type DossierImportSummary } from './dossiers.import.service';

export interface DossierImportJob {
  config: Config;
  /** The moment of the request (ISO): the import's time stamps are the request's. */
  now: string;
  path: string;
  options: DossierImportOptions;
  /** The organisation the import is for (the requesting user's). */
  organisationId: number;
}

export type DossierImportOutcome =
  | { ok: true; summary: DossierImportSummary }
  | { ok: false; kind: 'rows'; errors: ImportRowsError['errors']; total: number; labels: ImportRowsError['labels'] }
  | { ok: false; kind: 'header'; problems: ImportHeaderError['problems'] }
  | { ok: false; kind: 'error'; name: string; message: string; code: string | undefined; stack: string | undefined };

/**
 * The worker waits this long for the write lock (ms): a CLI import may hold it for a minute, and the wait blocks only
 * this thread. The server's own connection waits 100 ms (app.ts).
 */
const WORKER_BUSY_TIMEOUT_MS = 60_000;

function outcomeOf(err: unknown): DossierImportOutcome {
  if (err instanceof ImportRowsError)
    return { ok: false, kind: 'rows', errors: err.errors.slice(0, SHOWN_IMPORT_ERRORS), total: err.total, labels: err.labels };
  if (err instanceof ImportHeaderError) return { ok: false, kind: 'header', problems: err.problems };
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  return { ok: false, kind: 'error', name: e.name, message: e.message, code: typeof code === 'string' ? code : undefined, stack: e.stack };
}

async function run(job: DossierImportJob): Promise<DossierImportOutcome> {
  // As the server and the CLI open it: with the audit key (the import's audit entry is written by this connection).
  const opened = await openConfiguredDatabase(job.config);
  try {
    await waitForWriteLock(opened.db, WORKER_BUSY_TIMEOUT_MS);
    const now = new Date(job.now);
    const ctx: AppContext = { config: job.config, db: scopedDb(opened.db, job.organisationId), sqlite: opened.sqlite, clock: { now: () => new Date(now) } };
    const summary = await importDossiers(ctx, { path: job.path }, job.options);
    await settleAfterImport(ctx);
    return { ok: true, summary };
  } catch (err) {
    return outcomeOf(err);
  } finally {
    await opened.close();
  }
}

if (parentPort) {
  const port = parentPort;
  void run(workerData as DossierImportJob).then(
    (outcome) => port.postMessage(outcome),
    (err: unknown) => port.postMessage(outcomeOf(err)),
  );
}
