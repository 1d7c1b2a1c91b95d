import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import { RowErrors, readTable, type ColumnSpec } from '../../core/import';
import { foldDiacritics } from '../../core/text/fold';
import { CODE_PATTERN } from '../units/units.schemas';
import { listUnits } from '../units/units.queries';
import { todayLocal } from '../../core/calendar';
import { Conflict } from '../../core/http/errors';
import { findOrganisation } from '../organisation/organisation.queries';
import { findProcedureByCode, insertProcedure, type ProcedureValues } from './procedures.queries';
import { applyProcedureValues, valuesOf } from './procedures.service';

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
  { key: 'kind', names: ['kind', 'Loại'] },
];

/**
 * Online levels, compared without diacritics and case. Files written before Decree 42/2022 give the old levels:
 * "Mức độ 4" is today's full (toàn trình) online service, "Mức độ 3" the partial one (một phần).
 */
const ONLINE: Record<string, ProcedureValues['online_level']> = {
  full: 'full',
  'toan trinh': 'full',
  'dvc truc tuyen toan trinh': 'full',
  'muc do 4': 'full',
  'muc 4': 'full',
  partial: 'partial',
  'mot phan': 'partial',
  'dvc truc tuyen mot phan': 'partial',
  'muc do 3': 'partial',
  'muc 3': 'partial',
  none: 'none',
  '': 'none',
  khong: 'none',
  'chua cung cap truc tuyen': 'none',
  'muc do 1': 'none',
  'muc do 2': 'none',
};

/** Kinds of procedure, compared without diacritics and case (default administrative). */
const KINDS: Record<string, NonNullable<ProcedureValues['kind']>> = {
  administrative: 'administrative',
  'thu tuc hanh chinh': 'administrative',
  tthc: 'administrative',
  internal: 'internal',
  'quy trinh noi bo': 'internal',
  'noi bo': 'internal',
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
  const errors = new RowErrors(PROCEDURE_COLUMNS);
  const seen = new Map<string, number>();
  const out: ProcedureValues[] = [];
  for await (const { row, values: v, extraCells } of readTable(input, PROCEDURE_COLUMNS, { onHeader: errors.seeHeader })) {
    const bad = (column: string, code: string, params?: Record<string, string | number>) => errors.add(row, column, code, params);
    const shown = (text: string) => text.slice(0, 60);
    // A row longer or shorter than the header has its values under the wrong columns (a stray delimiter, a cell
    // split in two): nothing of it can be trusted.
    if (extraCells) {
      bad('', extraCells > 0 ? 'ragged_more' : 'ragged_fewer', { n: Math.abs(extraCells) });
      continue;
    }
    const code = v.code ?? '';
    if (!code) bad('code', 'required');
    else if (code.length > 40 || !CODE_PATTERN.test(code)) bad('code', 'invalid_code', { value: shown(code) });
    else if (seen.has(code)) bad('code', 'repeats_row', { other: seen.get(code)! });
    else seen.set(code, row);
    const title = v.title ?? '';
    if (!title) bad('title', 'required');
    else if (title.length > 500) bad('title', 'too_long', { max: 500 });
    if ((v.field ?? '').length > 200) bad('field', 'too_long', { max: 200 });
    if ((v.national_code ?? '').length > 40) bad('national_code', 'too_long', { max: 40 });
    let days: number | null = null;
    if (v.processing_days) {
      if (!/^\d{1,3}$/.test(v.processing_days)) bad('processing_days', 'processing_days_invalid', { value: shown(v.processing_days) });
      else days = Number(v.processing_days);
    }
    const level = ONLINE[foldDiacritics(v.online_level ?? '')];
    if (level === undefined) bad('online_level', 'online_level_invalid', { value: shown(v.online_level) });
    let kind: ProcedureValues['kind'];
    if (v.kind) {
      kind = KINDS[foldDiacritics(v.kind)];
      if (kind === undefined) bad('kind', 'kind_invalid', { value: shown(v.kind) });
    }
    let unitId: number | null = null;
    if (v.unit) {
      unitId = units.get(v.unit.toLowerCase()) ?? null;
      if (unitId === null) bad('unit', 'unknown_unit', { value: shown(v.unit) });
    }
    let target = 1;
    if (v.on_time_target) {
      const pct = Number(v.on_time_target.replace(',', '.').replace('%', '').trim());
      if (!Number.isFinite(pct) || pct < 0 || pct > 100) bad('on_time_target', 'target_invalid', { value: shown(v.on_time_target) });
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
      ...(kind ? { kind } : {}),
    });
  }
  if (errors.any) throw errors.toError();
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
  // New processing days or online level take effect on the day of the import (the procedure's terms over time).
  const today = todayLocal(at, (await findOrganisation(ctx.db))?.time_zone ?? ctx.config.timeZone);
  return ctx.db.transaction().execute(async (trx) => {
    const summary: ImportSummary = { rows: rows.length, added: 0, updated: 0, unchanged: 0 };
    for (const given of rows) {
      const existing = await findProcedureByCode(trx, given.code);
      // A file without the kind column (or with the cell empty) keeps the procedure's kind.
      const values: ProcedureValues = existing && given.kind === undefined ? { ...given, kind: existing.kind } : given;
      if (!existing) {
        const id = await insertProcedure(trx, values, at.toISOString());
        await record(trx, { userId: actorId, action: 'import', entity: 'procedure', entityId: id, new: values, reason: fileName }, at);
        summary.added++;
      } else if (same(valuesOf(existing), values)) {
        summary.unchanged++;
      } else {
        const done = await applyProcedureValues(trx, existing, values, { today, actorId, at });
        if (!done) throw new Conflict('error.edit_conflict');
        const extra = done.termsFrom ? { termsFrom: done.termsFrom, dossiersMoved: done.dossiersMoved } : {};
        await record(
          trx,
          {
            userId: actorId,
            action: 'import',
            entity: 'procedure',
            entityId: existing.id,
            old: valuesOf(existing),
            new: { ...done.stored, ...extra },
            reason: fileName,
          },
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
