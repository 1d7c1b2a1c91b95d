import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { AppContext } from '../../core/context';
import { afterBulkWrite } from '../../core/db/dialect/bulk';
import type { TableInput } from '../../core/import';
import { todayLocal } from '../../core/calendar';
import { foldDiacritics } from '../../core/text/fold';
import { findOrganisation } from '../organisation/organisation.queries';
import { listUnits } from '../units/units.queries';
import { loadWorkCalendar } from '../holidays/holidays.calendar';
import { readDossierRows, type DossierReadContext } from './dossiers.import';
import { writeCheckedDossiers, type DossierImportSummary, type WriteAudit } from './dossiers.import.write';
import type { DossierImportVia } from './dossiers.tables';

export type { DossierImportSummary } from './dossiers.import.write';

export interface DossierImportOptions {
  /** The file's own name, as the user knows it (shown in the history). */
  fileName: string;
  actorId: number | null;
  via: DossierImportVia;
}

export async function sha256Of(input: TableInput): Promise<string> {
  const hash = createHash('sha256');
  if ('buffer' in input) return hash.update(input.buffer).digest('hex');
  for await (const chunk of createReadStream(input.path, { highWaterMark: 1 << 16 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * After an import has committed, from the importing connection (a CLI process, the web import's worker): SQLite
 * copies the pages it added to the write-ahead log into the database file (left to the server, its next write
 * would copy hundreds of megabytes synchronously, on its event loop); PostgreSQL refreshes the planner's statistics
 * of the dossiers. See afterBulkWrite.
 */
export async function settleAfterImport(ctx: Pick<AppContext, 'db'>): Promise<void> {
  await afterBulkWrite(ctx.db, ['dossiers']);
}

/** The organisation's units by folded code and by folded name; a code wins over another unit's equal name. */
export async function unitsByName(ctx: AppContext): Promise<Map<string, number>> {
  const units = await listUnits(ctx.db);
  const byName = new Map<string, number>();
  for (const u of units) byName.set(foldDiacritics(u.name), u.id);
  for (const u of units) byName.set(foldDiacritics(u.code), u.id);
  return byName;
}

export async function organisationTimeZone(ctx: AppContext): Promise<string> {
  return (await findOrganisation(ctx.db))?.time_zone ?? ctx.config.timeZone;
}

/**
 * Imports a dossier file (IMPORT-FORMATS.md), all or nothing:
 * 1. streams and checks every row, keeping compact values only (ImportRowsError lists every wrong row; nothing written);
 * 2. in ONE transaction, writes the import's history row, then every dossier by code with the bulk writes of
 *    core/db/dialect/bulk.ts, CHUNK rows at a time — added, updated (audited with old and new values) or unchanged —
 *    and the audit entry of the import. The row
 *    triggers that keep the summary rows are suspended for the writes and restored before the commit, and the
 *    changed procedures are marked once (a trigger firing per row cost more than the insert itself, and made every
 *    multi-row insert keep a statement journal), then their summary rows brought up to date in the same transaction:
 *    the new dossiers' counts added, procedures with updated dossiers recomputed.
 * Re-importing the same file changes no dossier (all rows unchanged); the history still records the attempt.
 */
export async function importDossiers(ctx: AppContext, input: TableInput, options: DossierImportOptions): Promise<DossierImportSummary> {
  const sha256 = await sha256Of(input);
  const read = await dossierReadContext(ctx);
  const packed = await readDossierRows(input, read);
  const fileName = options.fileName.slice(0, 255);
  const audit: WriteAudit = { reason: fileName, updateAction: 'import_update', summaryAction: 'import' };
  const summary = await writeCheckedDossiers(ctx, packed, { fileName, sha256, actorId: options.actorId, via: options.via, at: read.at, audit });
  return summary as DossierImportSummary;
}

/** What reading a dossier file or an API push needs: the organisation's time zone, calendar, today and units. */
export async function dossierReadContext(ctx: AppContext): Promise<DossierReadContext & { at: Date }> {
  const timeZone = await organisationTimeZone(ctx);
  const calendar = await loadWorkCalendar(ctx.db);
  const at = ctx.clock.now();
  const today = todayLocal(at, timeZone);
  return { db: ctx.db, timeZone, calendar, today, units: await unitsByName(ctx), at };
}
