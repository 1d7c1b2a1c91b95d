import type { Db } from '../../core/db/database';
import { computeDueDate, parseDateOrDateTime, type WorkCalendar } from '../../core/calendar';
import { fromDayNumber } from '../../core/calendar/dates';
import { ImportRowsError, readTableBatches, type ColumnSpec, type RowError, type TableInput } from '../../core/import';
import { foldDiacritics } from '../../core/text/fold';
import { findProcedureByAnyCode } from '../procedures/procedures.queries';
import { fastParseLocal, type FastDate } from './dossiers.dates';
import { NO_DAY, PackedDossiers } from './dossiers.packed';

/** Columns of shared/domain/IMPORT-FORMATS.md, English and Vietnamese names. Any other column is ignored, never stored. */
export const DOSSIER_COLUMNS: ColumnSpec[] = [
  { key: 'code', names: ['code', 'Mã hồ sơ'], required: true },
  { key: 'procedure_code', names: ['procedure_code', 'Mã quy trình'], required: true },
  { key: 'received_at', names: ['received_at', 'Ngày nhận'], required: true },
  { key: 'due_date', names: ['due_date', 'Ngày hẹn trả'] },
  { key: 'returned_at', names: ['returned_at', 'Ngày trả kết quả'] },
  { key: 'outcome', names: ['outcome', 'Kết quả'] },
  { key: 'channel', names: ['channel', 'Hình thức nộp'] },
];

/** Accepted values, compared without diacritics and case; indexes into OUTCOMES / CHANNELS of dossiers.packed.ts. */
const OUTCOME_VALUES: Record<string, number> = { returned: 1, 'da tra': 1, 'da tra ket qua': 1, withdrawn: 2, 'rut ho so': 2, rut: 2 };
const CHANNEL_VALUES: Record<string, number> = {
  direct: 0,
  'truc tiep': 0,
  online: 1,
  'truc tuyen': 1,
  postal: 2,
  'buu chinh': 2,
  'buu chinh cong ich': 2,
};

export const MAX_CODE_LENGTH = 100;
const MAX_PROCEDURE_CODE_LENGTH = 100;
/** Beyond this many, further wrong rows are counted, not listed one by one (memory stays bounded). */
export const MAX_LISTED_ERRORS = 50_000;
// eslint-disable-next-line no-control-regex -- control characters are what this pattern looks for
const CONTROL = /[\u0000-\u001f\u007f]/;
const DAY_MS = 86_400_000;

/** Day number of a valid 'YYYY-MM-DD' (as returned by the date parser: years 1900–2999, so Date.UTC is exact). */
const dayOf = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;

/** An enum cell: the value as written, else compared without diacritics and case. */
const lookupValue = (table: Record<string, number>, text: string): number => table[text] ?? table[foldDiacritics(text)] ?? -1;

export interface ProcedureInfo {
  id: number;
  processingDays: number | null;
}

export interface DossierReadContext {
  db: Db;
  timeZone: string;
  calendar: WorkCalendar;
}

/** Collects row errors, listing at most MAX_LISTED_ERRORS and counting them all. */
class ErrorList {
  readonly listed: RowError[] = [];

  count = 0;

  add(row: number, column: string, reason: string): void {
    this.count++;
    if (this.listed.length < MAX_LISTED_ERRORS) this.listed.push({ row, column, reason });
  }

  get any(): boolean {
    return this.count > 0;
  }

  toError(): ImportRowsError {
    return new ImportRowsError(this.listed, this.count);
  }
}

/** Checks rows one by one (synchronously) into compact values, collecting every error. */
export class DossierRowChecker {
  readonly packed = new PackedDossiers(4096);
  readonly errors = new ErrorList();
  private readonly dueMemo = new Map<number, number>();

  constructor(
    private readonly timeZone: string,
    private readonly calendar: WorkCalendar,
  ) {}

  /** A date or date-time: the fast path for the common forms, else the full parser (which words any error). */
  private readDate(text: string): FastDate | string {
    const fast = fastParseLocal(text, this.timeZone);
    if (fast !== null) return fast;
    const r = parseDateOrDateTime(text, this.timeZone);
    if (!r.ok) return r.reason;
    return { day: dayOf(r.value.date), ms: r.value.utc ? Date.parse(r.value.utc) : NaN };
  }

  private dueAfter(receivedDay: number, days: number): number {
    const key = receivedDay * 4096 + days;
    let due = this.dueMemo.get(key);
    if (due === undefined) {
      due = dayOf(computeDueDate(fromDayNumber(receivedDay), days, this.calendar));
      this.dueMemo.set(key, due);
    }
    return due;
  }

  /** `procedure`: the row's procedure, null when unknown, undefined when procedure_code is empty or too long. */
  check(row: number, v: Record<string, string>, procedure: ProcedureInfo | null | undefined): void {
    const errors = this.errors;
    const errorsBefore = errors.count;

    const code = v.code;
    let codeOk = false;
    if (!code) errors.add(row, 'code', 'required');
    else if (code.length > MAX_CODE_LENGTH) errors.add(row, 'code', `longer than ${MAX_CODE_LENGTH} characters`);
    else if (CONTROL.test(code)) errors.add(row, 'code', 'contains control characters');
    else if (this.packed.has(code)) errors.add(row, 'code', `repeats row ${this.packed.rowOf(code)}`);
    else codeOk = true;

    const procedureCode = v.procedure_code;
    if (!procedureCode) errors.add(row, 'procedure_code', 'required');
    else if (procedureCode.length > MAX_PROCEDURE_CODE_LENGTH) errors.add(row, 'procedure_code', `longer than ${MAX_PROCEDURE_CODE_LENGTH} characters`);
    else if (!procedure) errors.add(row, 'procedure_code', `no procedure with code or national code ${procedureCode}`);

    let receivedDay = NO_DAY;
    let receivedMs = NaN;
    const receivedText = v.received_at;
    if (!receivedText) errors.add(row, 'received_at', 'required');
    else {
      const r = this.readDate(receivedText);
      if (typeof r === 'string') errors.add(row, 'received_at', r);
      else {
        receivedDay = r.day;
        receivedMs = r.ms;
      }
    }

    let returnedDay = NO_DAY;
    let returnedMs = NaN;
    const returnedText = v.returned_at;
    if (returnedText) {
      const r = this.readDate(returnedText);
      if (typeof r === 'string') errors.add(row, 'returned_at', r);
      else {
        returnedDay = r.day;
        returnedMs = r.ms;
        if (receivedDay !== NO_DAY) {
          const early = !Number.isNaN(receivedMs) && !Number.isNaN(returnedMs) ? returnedMs < receivedMs : returnedDay < receivedDay;
          if (early) errors.add(row, 'returned_at', 'before received_at');
        }
      }
    }

    let outcome = 0;
    if (v.outcome) {
      outcome = lookupValue(OUTCOME_VALUES, v.outcome);
      if (outcome === -1) errors.add(row, 'outcome', 'must be returned (đã trả) or withdrawn (rút hồ sơ)');
      else if (!returnedText) errors.add(row, 'outcome', outcome === 2 ? 'withdrawn needs returned_at' : 'returned needs returned_at');
    } else if (returnedText) outcome = 1;

    let channel = 0;
    if (v.channel) {
      channel = lookupValue(CHANNEL_VALUES, v.channel);
      if (channel === -1) errors.add(row, 'channel', 'must be direct (trực tiếp), online (trực tuyến) or postal (bưu chính)');
    }

    let dueDay = NO_DAY;
    const dueText = v.due_date;
    if (dueText) {
      const r = this.readDate(dueText);
      if (typeof r === 'string') errors.add(row, 'due_date', r);
      else {
        dueDay = r.day;
        if (receivedDay !== NO_DAY && dueDay < receivedDay) errors.add(row, 'due_date', 'before received_at');
      }
    } else if (procedure && receivedDay !== NO_DAY) {
      if (procedure.processingDays === null) errors.add(row, 'due_date', 'required: the procedure has no processing time to compute it from');
      else dueDay = this.dueAfter(receivedDay, procedure.processingDays);
    }

    if (errors.count !== errorsBefore || errors.any) {
      if (codeOk) this.packed.claim(code, row); // keep detecting repeats; nothing will be written anyway
      return;
    }
    this.packed.add(code, row, procedure!.id, receivedDay, receivedMs, dueDay, !dueText, returnedDay, returnedMs, outcome, channel);
  }
}

/**
 * First pass: streams the file, checks every row and keeps only compact values. Throws ImportRowsError listing
 * every wrong row (`row N, column C: reason`) — nothing is written then — or ImportHeaderError for a bad file.
 * Each distinct procedure code is looked up once (findProcedureByAnyCode: own code first, then national code).
 */
export async function readDossierRows(input: TableInput, rc: DossierReadContext): Promise<PackedDossiers> {
  const checker = new DossierRowChecker(rc.timeZone, rc.calendar);
  const procedures = new Map<string, ProcedureInfo | null>();
  for await (const rows of readTableBatches(input, DOSSIER_COLUMNS)) {
    for (const { row, values } of rows) {
      const procedureCode = values.procedure_code;
      let procedure: ProcedureInfo | null | undefined;
      if (procedureCode && procedureCode.length <= MAX_PROCEDURE_CODE_LENGTH) {
        procedure = procedures.get(procedureCode);
        if (procedure === undefined) {
          const p = await findProcedureByAnyCode(rc.db, procedureCode);
          procedure = p ? { id: p.id, processingDays: p.processing_days } : null;
          procedures.set(procedureCode, procedure);
        }
      }
      checker.check(row, values, procedure);
    }
  }
  if (checker.errors.any) throw checker.errors.toError();
  return checker.packed;
}
