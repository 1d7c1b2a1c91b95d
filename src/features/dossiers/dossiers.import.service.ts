import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { AppContext } from '../../core/context';
import type { RawSqlite } from '../../core/db/database';
import { record } from '../../core/audit-log/audit-log';
import type { TableInput } from '../../core/import';
import { todayLocal } from '../../core/calendar';
import { foldDiacritics } from '../../core/text/fold';
import { findOrganisation } from '../organisation/organisation.queries';
import { listUnits } from '../units/units.queries';
import { loadWorkCalendar } from '../holidays/holidays.calendar';
import { readDossierRows } from './dossiers.import';
import { refreshDossierStats } from './dossiers.stats.queries';
import {
  countAllDossiers,
  dropDossierSecondaryIndexes,
  markDossierStatsDirty,
  suspendDossierStatsTriggers,
  insertDossierImport,
  prepareDossierWriter,
  rebuildIndexes,
  recreateIndexes,
  updateDossierImportCounts,
  type StoredDossierTuple,
} from './dossiers.import.queries';
import type { DossierValues } from './dossiers.packed';
import type { DossierImportVia } from './dossiers.tables';

export interface DossierImportOptions {
  /** The file's own name, as the user knows it (shown in the history). */
  fileName: string;
  actorId: number | null;
  via: DossierImportVia;
}

export interface DossierImportSummary {
  importId: number;
  sha256: string;
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
}

/** Updated dossiers are audited with their old and new values, this many at a time. */
const AUDIT_BATCH = 500;
/** From this many new rows (and at least half the table), secondary indexes are rebuilt rather than maintained. */
const BULK_ROWS = 50_000;
const ADD = 0;
const UPDATE = 1;
const UNCHANGED = 2;

export async function sha256Of(input: TableInput): Promise<string> {
  const hash = createHash('sha256');
  if ('buffer' in input) return hash.update(input.buffer).digest('hex');
  for await (const chunk of createReadStream(input.path, { highWaterMark: 1 << 16 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * After an import, copies the pages it added to the write-ahead log into the database file, from the importing
 * connection (a CLI process, the web import's worker), trying again while a reader still uses an older snapshot.
 * SQLite checkpoints on the connection that commits next: left to the server, its next write would copy hundreds of
 * megabytes synchronously, on its event loop. PASSIVE never waits for a lock; at most `attempts` tenths of a second.
 */
export async function checkpointAfterImport(sqlite: RawSqlite, attempts = 50): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    const [result] = sqlite.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    if (!result || result.log <= 0 || result.checkpointed >= result.log) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The organisation's units by folded code and by folded name; a code wins over another unit's equal name. */
async function unitsByName(ctx: AppContext): Promise<Map<string, number>> {
  const units = await listUnits(ctx.db);
  const byName = new Map<string, number>();
  for (const u of units) byName.set(foldDiacritics(u.name), u.id);
  for (const u of units) byName.set(foldDiacritics(u.code), u.id);
  return byName;
}

export async function organisationTimeZone(ctx: AppContext): Promise<string> {
  return (await findOrganisation(ctx.db))?.time_zone ?? ctx.config.timeZone;
}

const valuesOfTuple = (t: StoredDossierTuple): DossierValues => ({
  procedure_id: t[1],
  received_on: t[2],
  received_at: t[3],
  due_on: t[4],
  due_computed: t[5],
  returned_on: t[6],
  returned_at: t[7],
  outcome: t[8] as DossierValues['outcome'],
  channel: t[9] as DossierValues['channel'],
  handling_unit: t[10],
  unit_id: t[11],
});

const same = (t: StoredDossierTuple, v: DossierValues) =>
  t[1] === v.procedure_id &&
  t[2] === v.received_on &&
  t[3] === v.received_at &&
  t[4] === v.due_on &&
  t[5] === v.due_computed &&
  t[6] === v.returned_on &&
  t[7] === v.returned_at &&
  t[8] === v.outcome &&
  t[9] === v.channel &&
  t[10] === v.handling_unit &&
  t[11] === v.unit_id;

/** A file without the handling unit column (the older format) leaves a dossier's stored unit as it was. */
const withUnitOf = (t: StoredDossierTuple, v: DossierValues): DossierValues => ({ ...v, handling_unit: t[10], unit_id: t[11] });

/**
 * Imports a dossier file (IMPORT-FORMATS.md), all or nothing:
 * 1. streams and checks every row, keeping compact values only (ImportRowsError lists every wrong row; nothing written);
 * 2. in ONE transaction, writes the import's history row, then every dossier by code with prepared statements —
 *    added, updated (audited with old and new values) or unchanged — and the audit entry of the import. The row
 *    triggers that mark dossier_stats_dirty are dropped for the writes and recreated before the commit, and the
 *    changed procedures are marked once (a trigger firing per row cost more than the insert itself, and made every
 *    multi-row insert keep a statement journal), then their summary rows recomputed in the same transaction.
 * Re-importing the same file changes no dossier (all rows unchanged); the history still records the attempt.
 */
export async function importDossiers(ctx: AppContext, input: TableInput, options: DossierImportOptions): Promise<DossierImportSummary> {
  const sha256 = await sha256Of(input);
  const timeZone = await organisationTimeZone(ctx);
  const calendar = await loadWorkCalendar(ctx.db);
  const at = ctx.clock.now();
  const today = todayLocal(at, timeZone);
  const packed = await readDossierRows(input, { db: ctx.db, timeZone, calendar, today, units: await unitsByName(ctx) });
  const atIso = at.toISOString();
  const fileName = options.fileName.slice(0, 255);

  return ctx.db.transaction().execute(async (trx) => {
    const importId = await insertDossierImport(trx, { file_name: fileName, sha256, via: options.via, imported_by: options.actorId, imported_at: atIso });
    const writer = prepareDossierWriter(ctx.sqlite);
    const summary: DossierImportSummary = { importId, sha256, rows: packed.length, added: 0, updated: 0, unchanged: 0 };

    // 1. Classify every row by its code: new, changed or the same (synchronous, on the transaction's connection).
    const kinds = new Uint8Array(packed.length); // all ADD (0) to start with
    const empty = (await countAllDossiers(trx)) === 0;
    const keepUnits = !packed.hasHandlingUnit;
    for (let slot = 0; slot < packed.length && !empty; slot++) {
      const stored = writer.find(packed.codeAt(slot));
      if (!stored) continue;
      const values = packed.valuesAt(slot);
      kinds[slot] = same(stored, keepUnits ? withUnitOf(stored, values) : values) ? UNCHANGED : UPDATE;
    }
    for (const kind of kinds) {
      if (kind === ADD) summary.added++;
      else if (kind === UPDATE) summary.updated++;
      else summary.unchanged++;
    }

    // 2. Write. Many new rows: rebuild the secondary indexes once rather than update them row by row.
    const bulk = summary.added >= BULK_ROWS && (empty || summary.added >= (await countAllDossiers(trx)) / 2);
    const indexes = bulk ? await dropDossierSecondaryIndexes(trx) : [];
    const triggers = summary.added + summary.updated > 0 ? await suspendDossierStatsTriggers(trx) : [];
    const dirty = new Set<number>();
    let changes: { id: number; code: string; old: DossierValues; new: DossierValues }[] = [];
    const flush = async () => {
      for (const c of changes) {
        await record(
          trx,
          {
            userId: options.actorId,
            action: 'import_update',
            entity: 'dossier',
            entityId: c.id,
            old: { code: c.code, ...c.old },
            new: c.new,
            reason: fileName,
          },
          at,
        );
      }
      changes = [];
    };
    for (let slot = 0; slot < packed.length; slot++) {
      if (kinds[slot] === UNCHANGED) continue;
      const code = packed.codeAt(slot);
      const values = packed.valuesAt(slot);
      if (kinds[slot] === ADD) {
        dirty.add(values.procedure_id);
        writer.insert(code, values, importId, atIso);
        continue;
      }
      const stored = writer.find(code)!;
      const next = keepUnits ? withUnitOf(stored, values) : values;
      dirty.add(stored[1]).add(next.procedure_id);
      writer.update(stored[0], next, importId, atIso);
      changes.push({ id: stored[0], code, old: valuesOfTuple(stored), new: next });
      if (changes.length >= AUDIT_BATCH) await flush();
    }
    writer.flush();
    await flush();
    await rebuildIndexes(trx, ctx.sqlite, indexes);
    await markDossierStatsDirty(trx, dirty);
    await recreateIndexes(trx, triggers);
    // The summary rows of the changed procedures are recomputed here, by the importing process (the CLI, the web
    // import's worker), not by the server's next reader: over 500,000 dossiers that took 4 s on the server's event loop.
    await refreshDossierStats(trx);

    const counts = { rows_total: summary.rows, rows_added: summary.added, rows_updated: summary.updated, rows_unchanged: summary.unchanged };
    await updateDossierImportCounts(trx, importId, counts);
    await record(
      trx,
      {
        userId: options.actorId,
        action: 'import',
        entity: 'dossier_import',
        entityId: importId,
        new: { file_name: fileName, sha256, via: options.via, ...counts },
        reason: fileName,
      },
      at,
    );
    return summary;
  });
}
