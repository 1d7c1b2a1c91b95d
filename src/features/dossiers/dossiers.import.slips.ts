import type { Db } from '../../core/db/database';
import { RowErrors, type ImportParams } from '../../core/import';
import { DOSSIER_COLUMNS } from './dossiers.import';
import { findDossiersByCode } from './dossiers.import.queries';
import type { ImportedSlipValues, PackedDossiers } from './dossiers.packed';

/** An apology slip of the file, with the id of its dossier as written by the import. */
export interface ImportedSlip extends ImportedSlipValues {
  dossierId: number;
}

export interface ImportedSlipsResult {
  recorded: number;
  unchanged: number;
  /** Slips refused against what is stored (a number another slip has, not after the slip in force): row errors. */
  problems: { row: number; column: string; code: string; params?: ImportParams }[];
}

/**
 * What records the apology slips a dossier file gives (issue 24): the apologies feature, wired in src/features/hooks.ts
 * (loaded by the app, the CLI's import:dossiers and the web import's worker), so that dossiers imports nothing of it.
 * Called in the import's transaction, after the dossiers are written.
 */
export type ImportedSlipsHook = (trx: Db, slips: ImportedSlip[], by: { actorId: number | null; at: Date; fileName: string }) => Promise<ImportedSlipsResult>;
export const importedSlipsHooks: ImportedSlipsHook[] = [];

/**
 * Records the file's apology slips in the import's transaction: how many were recorded and how many were there
 * already (the same file imported again records none). A slip refused throws ImportRowsError, which rolls the whole
 * import back, as a wrong row does.
 */
export async function recordImportedSlips(
  trx: Db,
  packed: PackedDossiers,
  by: { actorId: number | null; at: Date; fileName: string },
): Promise<{ recorded: number; unchanged: number }> {
  if (packed.slips.length === 0) return { recorded: 0, unchanged: 0 };
  if (importedSlipsHooks.length === 0) throw new Error('apology slips in a dossier file, but nothing records them (src/features/hooks.ts not loaded)');
  const slips: ImportedSlip[] = [];
  for (let from = 0; from < packed.slips.length; from += 500) {
    const chunk = packed.slips.slice(from, from + 500);
    const stored = await findDossiersByCode(
      trx,
      chunk.map((s) => s.code),
    );
    chunk.forEach((s, i) => slips.push({ ...s, dossierId: stored[i]![0] }));
  }
  const errors = new RowErrors(DOSSIER_COLUMNS);
  const total = { recorded: 0, unchanged: 0 };
  for (const hook of importedSlipsHooks) {
    const r = await hook(trx, slips, by);
    total.recorded += r.recorded;
    total.unchanged += r.unchanged;
    for (const p of r.problems) errors.add(p.row, p.column, p.code, p.params);
  }
  if (errors.any) throw errors.toError();
  return total;
}
