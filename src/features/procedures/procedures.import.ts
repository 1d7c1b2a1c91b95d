import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import { ImportRowsError, readTable, type ColumnSpec, type RowError } from '../../core/import';
import { CODE_PATTERN } from '../units/units.schemas';
import { listUnits } from '../units/units.queries';
import { findProcedureByCode, insertProcedure, updateProcedure, type ProcedureValues } from './procedures.queries';
import { valuesOf } from './procedures.service';

/** Columns of shared/domain/IMPORT-FORMATS.md, English and Vietnamese names. */
export const PROCEDURE_COLUMNS: ColumnSpec[] = [
  { key: 'code', names: ['code', 'Mã quy trình'], required: true },
  { key: 'title', names: ['title', 'Tên quy trình'], required: true },
  { key: 'field', names: ['field', 'Lĩnh vực'] },
  { key: 'national_code', names: ['national_code', 'Mã TTHC'] },
  { key: 'processing_days', names: ['processing_days', 'Thời hạn giải quyết'] },
  { key: 'online_level', names: ['online_level', 'Mức độ DVC trực tuyến'] },
  { key: 'unit', names: ['unit', 'Đơn vị chủ trì'] },
  { key: 'on_time_target', names: ['on_time_target', 'Mục tiêu đúng hạn'] },
];

const ONLINE: Record<string, ProcedureValues['online_level']> = {
  full: 'full',
  'toàn trình': 'full',
  partial: 'partial',
  'một phần': 'partial',
  none: 'none',
  '': 'none',
  không: 'none',
};

export interface ImportSummary {
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
}

/** Reads and checks every row; returns the values or throws ImportRowsError listing every bad row. */
export async function readProcedureRows(ctx: AppContext, input: { path: string } | { buffer: Buffer }): Promise<ProcedureValues[]> {
  const units = new Map((await listUnits(ctx.db)).map((u) => [u.code.toLowerCase(), u.id]));
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  const out: ProcedureValues[] = [];
  for await (const { row, values: v, extraCells } of readTable(input, PROCEDURE_COLUMNS)) {
    const bad = (column: string, reason: string) => errors.push({ row, column, reason });
    // A row longer or shorter than the header has its values under the wrong columns (a stray delimiter, a cell
    // split in two): nothing of it can be trusted.
    if (extraCells) {
      bad('', `the row has ${Math.abs(extraCells)} ${extraCells > 0 ? 'more' : 'fewer'} ${Math.abs(extraCells) === 1 ? 'cell' : 'cells'} than the header`);
      continue;
    }
    const code = v.code ?? '';
    if (!code) bad('code', 'required');
    else if (code.length > 40 || !CODE_PATTERN.test(code)) bad('code', 'not a valid code');
    else if (seen.has(code)) bad('code', `repeats row ${seen.get(code)}`);
    else seen.set(code, row);
    const title = v.title ?? '';
    if (!title) bad('title', 'required');
    else if (title.length > 500) bad('title', 'longer than 500 characters');
    if ((v.field ?? '').length > 200) bad('field', 'longer than 200 characters');
    if ((v.national_code ?? '').length > 40) bad('national_code', 'longer than 40 characters');
    let days: number | null = null;
    if (v.processing_days) {
      if (!/^\d{1,3}$/.test(v.processing_days)) bad('processing_days', 'must be a whole number of working days, 0 or more');
      else days = Number(v.processing_days);
    }
    const level = ONLINE[(v.online_level ?? '').trim().toLowerCase()];
    if (level === undefined) bad('online_level', 'must be full, partial or none');
    let unitId: number | null = null;
    if (v.unit) {
      unitId = units.get(v.unit.toLowerCase()) ?? null;
      if (unitId === null) bad('unit', `no unit with code ${v.unit}`);
    }
    let target = 1;
    if (v.on_time_target) {
      const pct = Number(v.on_time_target.replace(',', '.').replace('%', '').trim());
      if (!Number.isFinite(pct) || pct < 0 || pct > 100) bad('on_time_target', 'must be a percentage from 0 to 100');
      else target = Math.round(pct * 100) / 10000;
    }
    out.push({
      code,
      title,
      field: v.field ?? '',
      national_code: v.national_code || null,
      processing_days: days,
      online_level: level ?? 'none',
      unit_id: unitId,
      on_time_target: target,
    });
  }
  if (errors.length > 0) throw new ImportRowsError(errors);
  return out;
}

const same = (a: ProcedureValues, b: ProcedureValues) => JSON.stringify(a) === JSON.stringify(b);

/** All or nothing: every row is checked first, then everything is written in one transaction with its audit entries. */
export async function importProcedures(
  ctx: AppContext,
  input: { path: string } | { buffer: Buffer },
  fileName: string,
  actorId: number | null,
): Promise<ImportSummary> {
  const rows = await readProcedureRows(ctx, input);
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const summary: ImportSummary = { rows: rows.length, added: 0, updated: 0, unchanged: 0 };
    for (const values of rows) {
      const existing = await findProcedureByCode(trx, values.code);
      if (!existing) {
        const id = await insertProcedure(trx, values, at.toISOString());
        await record(trx, { userId: actorId, action: 'import', entity: 'procedure', entityId: id, new: values, reason: fileName }, at);
        summary.added++;
      } else if (same(valuesOf(existing), values)) {
        summary.unchanged++;
      } else {
        await updateProcedure(trx, existing.id, values, existing.version, at.toISOString());
        await record(
          trx,
          { userId: actorId, action: 'import', entity: 'procedure', entityId: existing.id, old: valuesOf(existing), new: values, reason: fileName },
          at,
        );
        summary.updated++;
      }
    }
    return summary;
  });
}

/** For the CLI: a one-line summary. */
export async function importProceduresFile(ctx: AppContext, path: string, fileName: string, actorId: number | null): Promise<string> {
  const s = await importProcedures(ctx, { path }, fileName, actorId);
  return `${fileName}: ${s.rows} rows — ${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged`;
}
