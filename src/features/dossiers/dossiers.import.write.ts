import type { AppContext } from '../../core/context';
import { bulkChunkRows, bulkTransactionSettings, restore } from '../../core/db/dialect/bulk';
import { record } from '../../core/audit-log/audit-log';
import { recordImportedSlips } from './dossiers.import.slips';
import { addNewDossierStats, dirtyIds, refreshDossierStats } from './dossiers.stats.queries';
import {
  maxDossierId,
  dropDossierSecondaryIndexes,
  findDossiersByCode,
  insertDossierImport,
  insertDossiers,
  insertDossiersIds,
  markDossierStatsDirty,
  unmarkDossierStats,
  suspendDossierStatsTriggers,
  updateDossiers,
  type StoredDossierTuple,
} from './dossiers.import.queries';
import type { DossierValues, PackedDossiers } from './dossiers.packed';
import type { DossierImportVia } from './dossiers.tables';

/** What a write of checked dossiers did. `importId` is null when nothing was written (writeWhenUnchanged false). */
export interface WrittenDossiers {
  importId: number | null;
  sha256: string;
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  /** Apology slips the file gave that were recorded (those already recorded by an earlier import are not counted). */
  slips: number;
}

export interface DossierImportSummary extends WrittenDossiers {
  importId: number;
}

/** The audit entries of a write: the file import's, or the API's (api.dossiers.service.ts). */
export interface WriteAudit {
  /** The reason of every entry: the file's name, or `API: <token name>`. */
  reason: string;
  /** Each updated dossier, with its old and new values. */
  updateAction: 'import_update' | 'api_update';
  /** Each new dossier with its values (a single PUT); none when undefined. */
  createAction?: 'api_create';
  /** The write's own entry (entity dossier_import, its counts); none when null. */
  summaryAction: 'import' | 'api_batch' | null;
}

export interface WriteCheckedOptions {
  fileName: string;
  sha256: string;
  actorId: number | null;
  via: DossierImportVia;
  at: Date;
  audit: WriteAudit;
  /** False (the API): when no dossier is added or updated and no slip recorded, nothing at all is written. */
  writeWhenUnchanged?: boolean;
  /**
   * Below this many added and updated rows the summary rows' row triggers stay on and keep them (a few rows cost
   * little, while suspending them is a schema change on SQLite). Undefined: always suspended (the file import).
   */
  triggersBelow?: number;
}

/** From this many new rows (and at least half the table), secondary indexes are rebuilt rather than maintained. */
const BULK_ROWS = 50_000;
const ADD = 0;
const UPDATE = 1;
const UNCHANGED = 2;

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
 * Writes checked dossiers (readDossierRows, or the API's items), all or nothing, in ONE transaction: the write's
 * history row, then every dossier by code with the bulk writes of core/db/dialect/bulk.ts, CHUNK rows at a time —
 * added, updated (audited with old and new values) or unchanged — and the audit entry of the write. For a bulk write
 * the row triggers that keep the summary rows are suspended and restored before the commit, and the changed
 * procedures are marked once (a trigger firing per row cost more than the insert itself, and made every multi-row
 * insert keep a statement journal), then their summary rows brought up to date in the same transaction: the new
 * dossiers' counts added, procedures with updated dossiers recomputed.
 * Writing the same rows again changes no dossier (all unchanged); a file import's history still records the attempt.
 */
export async function writeCheckedDossiers(ctx: Pick<AppContext, 'db'>, packed: PackedDossiers, options: WriteCheckedOptions): Promise<WrittenDossiers> {
  const at = options.at;
  const atIso = at.toISOString();
  const { fileName, sha256, audit } = options;
  const by = { actorId: options.actorId, at, fileName };

  // A few rows (an API push): no bulk settings, no bound of the table's ids (the row triggers keep the summary rows).
  const small = options.triggersBelow !== undefined && packed.length < options.triggersBelow;
  return ctx.db.transaction().execute(async (trx) => {
    if (!small) await bulkTransactionSettings(trx);
    const summary: WrittenDossiers = { importId: null, sha256, rows: packed.length, added: 0, updated: 0, unchanged: 0, slips: 0 };
    // Rows looked up, written and audited at a time: one round trip's worth (see bulkChunkRows).
    const CHUNK = bulkChunkRows(trx);
    const codesOf = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => packed.codeAt(from + i));

    // 1. Classify every row by its code: new, changed or the same (the stored rows looked up CHUNK codes at a time).
    const kinds = new Uint8Array(packed.length); // all ADD (0) to start with
    // The largest id before the writes: every new dossier comes after it (addNewDossierStats).
    const afterId = small ? undefined : await maxDossierId(trx);
    const empty = afterId === 0;
    const keepUnits = !packed.hasHandlingUnit;
    for (let from = 0; from < packed.length && !empty; from += CHUNK) {
      const to = Math.min(packed.length, from + CHUNK);
      const stored = await findDossiersByCode(trx, codesOf(from, to));
      for (let slot = from; slot < to; slot++) {
        const found = stored[slot - from];
        if (!found) continue;
        const values = packed.valuesAt(slot);
        kinds[slot] = same(found, keepUnits ? withUnitOf(found, values) : values) ? UNCHANGED : UPDATE;
      }
    }
    for (const kind of kinds) {
      if (kind === ADD) summary.added++;
      else if (kind === UPDATE) summary.updated++;
      else summary.unchanged++;
    }
    const writes = summary.added + summary.updated;
    // Nothing changes: the slips alone may still be new; with none recorded, nothing is written at all.
    let slipsDone = false;
    if (writes === 0 && options.writeWhenUnchanged === false) {
      summary.slips = (await recordImportedSlips(trx, packed, by)).recorded;
      if (summary.slips === 0) return summary;
      slipsDone = true;
    }
    // Its counts are known once the rows are classified: written with it.
    const counts = { rows_total: summary.rows, rows_added: summary.added, rows_updated: summary.updated, rows_unchanged: summary.unchanged };
    const importId = await insertDossierImport(trx, {
      file_name: fileName,
      sha256,
      via: options.via,
      imported_by: options.actorId,
      imported_at: atIso,
      ...counts,
    });
    summary.importId = importId;

    // 2. Write, in file order, CHUNK rows at a time. Many new rows: rebuild the secondary indexes once rather than
    //    update them row by row.
    //    (The largest id stands for the table's size: counting 2,000,000 rows took 0.3–0.5 s on PostgreSQL.)
    const bulk = afterId !== undefined && summary.added >= BULK_ROWS && summary.added >= afterId / 2;
    const indexes = bulk ? await dropDossierSecondaryIndexes(trx) : undefined;
    const byTriggers = options.triggersBelow !== undefined && writes < options.triggersBelow;
    const triggers = writes > 0 && !byTriggers ? await suspendDossierStatsTriggers(trx) : undefined;
    // Procedures that gained new dossiers only: their summary rows get the new rows' counts added (addNewDossierStats).
    const addedTo = new Set<number>();
    // Procedures to recompute from all their dossiers: those of updated dossiers (before and after).
    const recount = new Set<number>();
    for (let from = 0; from < packed.length && writes > 0; from += CHUNK) {
      const to = Math.min(packed.length, from + CHUNK);
      const added: { code: string; values: DossierValues }[] = [];
      const changed: { slot: number; code: string }[] = [];
      for (let slot = from; slot < to; slot++) {
        if (kinds[slot] === ADD) {
          const values = packed.valuesAt(slot);
          addedTo.add(values.procedure_id);
          added.push({ code: packed.codeAt(slot), values });
        } else if (kinds[slot] === UPDATE) changed.push({ slot, code: packed.codeAt(slot) });
      }
      if (audit.createAction && added.length > 0) {
        const ids = await insertDossiersIds(trx, added, importId, atIso);
        for (const [i, a] of added.entries()) {
          await record(
            trx,
            {
              userId: options.actorId,
              action: audit.createAction,
              entity: 'dossier',
              entityId: ids[i],
              new: { code: a.code, ...a.values },
              reason: audit.reason,
            },
            at,
          );
        }
      } else await insertDossiers(trx, added, importId, atIso);
      if (changed.length === 0) continue;
      const stored = await findDossiersByCode(
        trx,
        changed.map((c) => c.code),
      );
      const changes = changed.map(({ slot, code }, i) => {
        const found = stored[i]!;
        const values = packed.valuesAt(slot);
        const next = keepUnits ? withUnitOf(found, values) : values;
        recount.add(found[1]).add(next.procedure_id);
        return { id: found[0], code, old: valuesOfTuple(found), new: next };
      });
      await updateDossiers(
        trx,
        changes.map((c) => ({ id: c.id, values: c.new })),
        importId,
        atIso,
      );
      // Updated dossiers are audited with their old and new values, in file order.
      for (const c of changes) {
        await record(
          trx,
          {
            userId: options.actorId,
            action: audit.updateAction,
            entity: 'dossier',
            entityId: c.id,
            old: { code: c.code, ...c.old },
            new: c.new,
            reason: audit.reason,
          },
          at,
        );
      }
    }
    if (indexes) await restore(trx, indexes);
    // (small implies byTriggers: a few rows are never suspended; afterId is read whenever they may be)
    if (!byTriggers && afterId !== undefined) {
      // Marking moves the procedures in figure_changes (its trigger), so the reports see the change.
      const stale = new Set(await dirtyIds(trx));
      await markDossierStatsDirty(trx, [...addedTo, ...recount]);
      if (triggers) await restore(trx, triggers);
      // The summary rows are brought up to date here, by the importing process (the CLI, the web import's worker), not
      // by the server's next reader. New dossiers' counts are added to their procedures' rows (an aggregate over the
      // new rows only); procedures with updated dossiers, or stale before, are recomputed from all their dossiers.
      // Recomputing every touched procedure took 28 s of the 1,000,000-row import on PostgreSQL (2,000,000 stored).
      if (await addNewDossierStats(trx, importId, afterId, summary.added, [...addedTo])) {
        const added = [...addedTo].filter((id) => !recount.has(id) && !stale.has(id));
        await unmarkDossierStats(trx, added);
      }
    }
    // With the row triggers on, they kept the summary rows and marked the procedures in figure_changes themselves (any
    // procedure left stale by an earlier write is brought up to date by its next reader).
    if (!byTriggers) await refreshDossierStats(trx);
    // The apology slips the file gives for its late dossiers (optional columns), once the dossiers are written.
    if (!slipsDone) summary.slips = (await recordImportedSlips(trx, packed, by)).recorded;

    if (audit.summaryAction) {
      await record(
        trx,
        {
          userId: options.actorId,
          action: audit.summaryAction,
          entity: 'dossier_import',
          entityId: importId,
          new: { file_name: fileName, sha256, via: options.via, ...counts, ...(summary.slips ? { apology_slips_recorded: summary.slips } : {}) },
          reason: audit.reason,
        },
        at,
      );
    }
    return summary;
  });
}
