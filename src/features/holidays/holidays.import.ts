import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import { parseDateOrDateTime } from '../../core/calendar';
import { RowErrors, dateErrorCode, readTable, type ColumnSpec, type TableInput } from '../../core/import';
import { foldDiacritics } from '../../core/text/fold';
import { findActiveHolidayOn, insertHoliday, updateHoliday, type CalendarOwner, type HolidayValues } from './holidays.queries';
import { isWeekend } from './holidays.schemas';
import { countMovedAcross, moveDueDates } from './holidays.service';
import type { HolidayKind } from './holidays.tables';

/** Columns of shared/domain/IMPORT-FORMATS.md, English and Vietnamese names. */
export const HOLIDAY_COLUMNS: ColumnSpec[] = [
  { key: 'date', names: ['date', 'Ngày'], required: true },
  { key: 'kind', names: ['kind', 'Loại'], required: true },
  { key: 'name', names: ['name', 'Tên'] },
];

/** Accepted values of `kind`, compared without diacritics and case. */
const KINDS: Record<string, HolidayKind> = {
  holiday: 'holiday',
  nghi: 'holiday',
  'ngay nghi': 'holiday',
  'nghi le': 'holiday',
  'ngay nghi le': 'holiday',
  workday: 'workday',
  'lam bu': 'workday',
  'ngay lam bu': 'workday',
};

export interface HolidayImportSummary {
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  /** Dossiers whose computed due date moved with the imported calendar. */
  dossiersMoved: number;
}

/** Reads and checks every row; returns the values or throws ImportRowsError listing every bad row. */
export async function readHolidayRows(input: TableInput, timeZone: string): Promise<HolidayValues[]> {
  const errors = new RowErrors(HOLIDAY_COLUMNS);
  const seen = new Map<string, number>();
  const out: HolidayValues[] = [];
  for await (const { row, values: v } of readTable(input, HOLIDAY_COLUMNS, { onHeader: errors.seeHeader })) {
    const bad = (column: string, code: string, params?: Record<string, string | number>) => errors.add(row, column, code, params);
    let date = '';
    if (!v.date) bad('date', 'required');
    else {
      const parsed = parseDateOrDateTime(v.date, timeZone);
      if (!parsed.ok) bad('date', dateErrorCode(parsed.code, parsed.reason), { value: v.date.slice(0, 40) });
      else if (parsed.value.utc !== null) bad('date', 'date_has_time');
      else if (seen.has(parsed.value.date)) bad('date', 'repeats_row', { other: seen.get(parsed.value.date)! });
      else {
        date = parsed.value.date;
        seen.set(date, row);
      }
    }
    const kind = KINDS[foldDiacritics(v.kind ?? '')];
    if (!v.kind) bad('kind', 'required');
    else if (!kind) bad('kind', 'holiday_kind_invalid', { value: v.kind.slice(0, 60) });
    else if (kind === 'workday' && date && !isWeekend(date)) bad('kind', 'workday_not_weekend');
    const name = v.name ?? '';
    if (name.length > 200) bad('name', 'too_long', { max: 200 });
    out.push({ date, kind: kind ?? 'holiday', name });
  }
  if (errors.any) throw errors.toError();
  return out;
}

/**
 * All or nothing: every row is checked first, then written in one transaction; each change has its audit entry.
 * `owner`: whose days the file holds: an organisation's own (the admin's page: the signed-in organisation; the CLI
 * with --org) or everyone's (null: the CLI without --org), compared with and written to that owner's entries only.
 */
export async function importHolidays(
  ctx: AppContext,
  input: TableInput,
  fileName: string,
  actorId: number | null,
  timeZone: string,
  owner: CalendarOwner,
): Promise<HolidayImportSummary> {
  const rows = await readHolidayRows(input, timeZone);
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const summary: HolidayImportSummary = { rows: rows.length, added: 0, updated: 0, unchanged: 0, dossiersMoved: 0 };
    // The calendar is written first, then the due dates are computed again once for all the dates that changed;
    // each entry's audit record counts the dossiers whose computation walked over its date.
    const changes: { id: number; old?: HolidayValues; values: HolidayValues; calendar: boolean }[] = [];
    for (const values of rows) {
      const existing = await findActiveHolidayOn(trx, owner, values.date);
      if (!existing) {
        changes.push({ id: await insertHoliday(trx, owner, values, at.toISOString()), values, calendar: true });
        summary.added++;
      } else if (existing.kind === values.kind && existing.name === values.name) {
        summary.unchanged++;
      } else {
        await updateHoliday(trx, owner, existing.id, values, existing.version, at.toISOString());
        const old = { date: existing.date, kind: existing.kind, name: existing.name };
        changes.push({ id: existing.id, old, values, calendar: existing.kind !== values.kind });
        summary.updated++;
      }
    }
    const moved = await moveDueDates(
      trx,
      changes.filter((c) => c.calendar).map((c) => c.values.date),
      at,
      owner,
    );
    for (const c of changes) {
      const dossiersMoved = c.calendar ? countMovedAcross(moved, c.values.date) : 0;
      await record(
        trx,
        { userId: actorId, action: 'import', entity: 'holiday', entityId: c.id, old: c.old, new: { ...c.values, dossiersMoved }, reason: fileName },
        at,
      );
    }
    summary.dossiersMoved = moved.length;
    return summary;
  });
}
