import type { Db } from '../../core/db/database';
import { computeDueDate, parseDateOrDateTime, type WorkCalendar } from '../../core/calendar';
import { fromDayNumber } from '../../core/calendar/dates';
import { RowErrors, dateErrorCode, readTableBatches, type ColumnSpec, type TableInput } from '../../core/import';
import { foldDiacritics } from '../../core/text/fold';
import { processingDaysOn, termsHistory } from '../procedures/procedures.terms.queries';
import { fastParseLocal, type FastDate } from './dossiers.dates';
import { listProcedureCodes, listProcedureTermsIn } from './dossiers.import.queries';
import { NO_DAY, NO_UNIT, PackedDossiers } from './dossiers.packed';

/**
 * Columns of shared/domain/IMPORT-FORMATS.md: the English names, the Vietnamese ones, and the headers of the provincial
 * one-stop systems' exports (matched without case, spacing or diacritics). Any other column — the applicant's name,
 * address, telephone — is ignored, never stored. `procedure_title` (Tên thủ tục) is read only to name an unknown
 * procedure in its error.
 */
export const DOSSIER_COLUMNS: ColumnSpec[] = [
  { key: 'code', names: ['code', 'Mã hồ sơ', 'Số hồ sơ'], required: true },
  { key: 'procedure_code', names: ['procedure_code', 'Mã quy trình', 'Mã thủ tục', 'Mã TTHC'], required: true },
  { key: 'procedure_title', names: ['procedure_title', 'Tên thủ tục'] },
  { key: 'received_at', names: ['received_at', 'Ngày nhận', 'Ngày tiếp nhận'], required: true },
  { key: 'due_date', names: ['due_date', 'Ngày hẹn trả', 'Ngày hẹn trả kết quả'] },
  { key: 'returned_at', names: ['returned_at', 'Ngày trả kết quả', 'Ngày trả'] },
  { key: 'outcome', names: ['outcome', 'Kết quả'] },
  { key: 'status', names: ['status', 'Trạng thái', 'Tình trạng'] },
  { key: 'channel', names: ['channel', 'Hình thức nộp', 'Hình thức tiếp nhận'] },
  { key: 'handling_unit', names: ['handling_unit', 'Đơn vị xử lý', 'Đơn vị giải quyết'] },
  { key: 'apology_no', names: ['apology_no', 'Số phiếu xin lỗi', 'Số phiếu xin lỗi và hẹn lại ngày trả kết quả'] },
  { key: 'apology_date', names: ['apology_date', 'Ngày phiếu xin lỗi', 'Ngày xin lỗi'] },
  { key: 'apology_reason', names: ['apology_reason', 'Lý do quá hạn', 'Lý do chậm trả kết quả', 'Lý do xin lỗi'] },
  { key: 'new_due_date', names: ['new_due_date', 'Ngày hẹn trả lại', 'Ngày hẹn lại', 'Ngày hẹn trả kết quả mới'] },
];
/** The apology slip's columns: all four or none in a row. */
const SLIP_COLUMNS = ['apology_no', 'apology_date', 'apology_reason', 'new_due_date'] as const;
export const MAX_SLIP_NO_LENGTH = 50;
export const MAX_SLIP_REASON_LENGTH = 2000;

/** Accepted values, compared without diacritics and case; indexes into OUTCOMES / CHANNELS of dossiers.packed.ts. */
const OUTCOME_VALUES: Record<string, number> = { returned: 1, 'da tra': 1, 'da tra ket qua': 1, withdrawn: 2, 'rut ho so': 2, rut: 2 };
const CHANNEL_VALUES: Record<string, number> = {
  direct: 0,
  'truc tiep': 0,
  'nop truc tiep': 0,
  online: 1,
  'truc tuyen': 1,
  'nop truc tuyen': 1,
  'dich vu cong truc tuyen': 1,
  postal: 2,
  'buu chinh': 2,
  'buu chinh cong ich': 2,
  'qua buu chinh': 2,
  'qua buu chinh cong ich': 2,
  'qua dich vu buu chinh cong ich': 2,
  'dich vu buu chinh cong ich': 2,
};

/** The one-stop systems' status (Trạng thái): 1 returned, 2 withdrawn, PENDING still being handled (no outcome yet). */
const PENDING = 0;
const STATUS_VALUES: Record<string, number> = {
  returned: 1,
  'da tra ket qua': 1,
  'da tra': 1,
  'tra ket qua': 1,
  'da hoan thanh': 1,
  'hoan thanh': 1,
  withdrawn: 2,
  'rut ho so': 2,
  'da rut': 2,
  'da rut ho so': 2,
  'cong dan rut ho so': 2,
  'to chuc, cong dan rut ho so': 2,
  pending: PENDING,
  'dang xu ly': PENDING,
  'dang giai quyet': PENDING,
  'cho bo sung': PENDING,
  'cho bo sung ho so': PENDING,
  'yeu cau bo sung': PENDING,
  'moi tiep nhan': PENDING,
  'da tiep nhan': PENDING,
  'tam dung': PENDING,
  'dang tam dung': PENDING,
  'cho tra ket qua': PENDING,
  'cho phe duyet': PENDING,
  'dang thuc hien': PENDING,
};
/** The statuses named in the error of an unknown one. */
const STATUS_SHOWN = 'Đã trả kết quả, Đã trả, Rút hồ sơ, Đã rút, Công dân rút hồ sơ, Đang xử lý, Đang giải quyết, Chờ bổ sung, Tạm dừng';

export const MAX_CODE_LENGTH = 100;
export const MAX_PROCEDURE_CODE_LENGTH = 100;
export const MAX_HANDLING_UNIT_LENGTH = 200;
/** Beyond this many, further wrong rows are counted, not listed one by one (memory stays bounded). */
export const MAX_LISTED_ERRORS = 50_000;
// eslint-disable-next-line no-control-regex -- control characters are what this pattern looks for
const CONTROL = /[\u0000-\u001f\u007f]/;
const DAY_MS = 86_400_000;

/** Day number of a valid 'YYYY-MM-DD' (as returned by the date parser: years 1900–2100, so Date.UTC is exact). */
const dayOf = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;

/** An enum cell: the value as written, else compared without diacritics and case. */
const lookupValue = (table: Record<string, number>, text: string): number => table[text] ?? table[foldDiacritics(text)] ?? -1;

export interface ProcedureInfo {
  id: number;
  /** Its terms over time (procedure_terms), oldest first: the processing days from a local day number on. */
  terms: { from: number; processingDays: number | null }[];
}

export interface DossierReadContext {
  db: Db;
  timeZone: string;
  calendar: WorkCalendar;
  /** The organisation's local date today (YYYY-MM-DD): a dossier received or returned after it is refused. */
  today: string;
  /** Organisation units by folded code and by folded name (foldDiacritics), to recognise the handling unit. */
  units: Map<string, number>;
}

const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** Checks rows one by one (synchronously) into compact values, collecting every error. */
export class DossierRowChecker {
  readonly packed: PackedDossiers;
  readonly errors = new RowErrors(DOSSIER_COLUMNS, MAX_LISTED_ERRORS);
  private readonly dueMemo = new Map<number, number>();
  private readonly todayDay: number;
  private readonly todayText: string;

  constructor(
    private readonly timeZone: string,
    private readonly calendar: WorkCalendar,
    today: string,
    private readonly units: Map<string, number> = new Map(),
    /** Rows expected (the arrays grow beyond it): a file's are unknown, an API push's a few. */
    capacity = 4096,
  ) {
    this.packed = new PackedDossiers(capacity);
    this.todayDay = dayOf(today);
    this.todayText = dmy(today);
  }

  /** A date or date-time: the fast path for the common forms, else the full parser (whose code names any error). */
  private readDate(text: string): FastDate | string {
    const fast = fastParseLocal(text, this.timeZone);
    if (fast !== null) return fast;
    const r = parseDateOrDateTime(text, this.timeZone);
    if (!r.ok) return dateErrorCode(r.code, r.reason);
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

  /** A date-only cell as a day number; NO_DAY (and the error added) when it is not one. */
  private readDay(row: number, column: string, text: string): number {
    const r = this.readDate(text);
    if (typeof r === 'string') {
      this.errors.add(row, column, r, { value: text.slice(0, 40) });
      return NO_DAY;
    }
    return r.day;
  }

  /**
   * The apology slip of a row (issue 24): given with all four columns, for a dossier returned after its due date or
   * still pending past it today; issued on or after the day received and not after today; a new return date after the
   * due date and not before the slip's own date. Undefined when a cell is wrong (its error added).
   */
  private checkSlip(row: number, v: Record<string, string>, dates: { received: number; due: number; returned: number; outcome: number }) {
    const errors = this.errors;
    const before = errors.count;
    for (const k of SLIP_COLUMNS) if (!v[k]) errors.add(row, k, 'slip_incomplete');
    if (errors.count !== before) return undefined;
    const slipNo = v.apology_no;
    if (slipNo.length > MAX_SLIP_NO_LENGTH) errors.add(row, 'apology_no', 'too_long', { max: MAX_SLIP_NO_LENGTH });
    else if (CONTROL.test(slipNo)) errors.add(row, 'apology_no', 'control_chars');
    if (v.apology_reason.length > MAX_SLIP_REASON_LENGTH) errors.add(row, 'apology_reason', 'too_long', { max: MAX_SLIP_REASON_LENGTH });
    const issued = this.readDay(row, 'apology_date', v.apology_date);
    const newDue = this.readDay(row, 'new_due_date', v.new_due_date);
    if (errors.count !== before || issued === NO_DAY || newDue === NO_DAY || dates.due === NO_DAY || dates.received === NO_DAY) return undefined;
    const late = dates.returned === NO_DAY ? dates.outcome === PENDING && dates.due < this.todayDay : dates.outcome === 1 && dates.returned > dates.due;
    if (!late) errors.add(row, 'apology_no', 'slip_not_late');
    else if (issued < dates.received) errors.add(row, 'apology_date', 'before_received');
    else if (issued > this.todayDay) errors.add(row, 'apology_date', 'slip_after_today', { today: this.todayText });
    else if (newDue <= dates.due) errors.add(row, 'new_due_date', 'slip_not_after_due');
    else if (newDue < issued) errors.add(row, 'new_due_date', 'slip_before_issued');
    if (errors.count !== before) return undefined;
    return { slipNo, issuedOn: fromDayNumber(issued), reason: v.apology_reason, newDueOn: fromDayNumber(newDue) };
  }

  /** `procedure`: the row's procedure, null when unknown, undefined when procedure_code is empty or too long. */
  check(row: number, v: Record<string, string>, procedure: ProcedureInfo | null | undefined): void {
    const errors = this.errors;
    const errorsBefore = errors.count;

    const code = v.code;
    let codeOk = false;
    if (!code) errors.add(row, 'code', 'required');
    else if (code.length > MAX_CODE_LENGTH) errors.add(row, 'code', 'too_long', { max: MAX_CODE_LENGTH });
    else if (CONTROL.test(code)) errors.add(row, 'code', 'control_chars');
    else if (this.packed.has(code)) errors.add(row, 'code', 'repeats_row', { other: this.packed.rowOf(code)! });
    else codeOk = true;

    const procedureCode = v.procedure_code;
    if (!procedureCode) errors.add(row, 'procedure_code', 'required');
    else if (procedureCode.length > MAX_PROCEDURE_CODE_LENGTH) errors.add(row, 'procedure_code', 'too_long', { max: MAX_PROCEDURE_CODE_LENGTH });
    else if (!procedure) {
      const title = v.procedure_title?.slice(0, 200);
      if (title) errors.add(row, 'procedure_code', 'unknown_procedure_named', { value: procedureCode, title });
      else errors.add(row, 'procedure_code', 'unknown_procedure', { value: procedureCode });
    }

    let receivedDay = NO_DAY;
    let receivedMs = NaN;
    const receivedText = v.received_at;
    if (!receivedText) errors.add(row, 'received_at', 'required');
    else {
      const r = this.readDate(receivedText);
      if (typeof r === 'string') errors.add(row, 'received_at', r, { value: receivedText.slice(0, 40) });
      else if (r.day > this.todayDay) errors.add(row, 'received_at', 'received_after_today', { today: this.todayText });
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
      if (typeof r === 'string') errors.add(row, 'returned_at', r, { value: returnedText.slice(0, 40) });
      else if (r.day > this.todayDay) errors.add(row, 'returned_at', 'returned_after_today', { today: this.todayText });
      else {
        returnedDay = r.day;
        returnedMs = r.ms;
        if (receivedDay !== NO_DAY) {
          const early = !Number.isNaN(receivedMs) && !Number.isNaN(returnedMs) ? returnedMs < receivedMs : returnedDay < receivedDay;
          if (early) errors.add(row, 'returned_at', 'before_received');
        }
      }
    }

    // The outcome column when given, else the one-stop system's status, else returned when a date returned is given.
    let outcome = 0;
    if (v.outcome) {
      outcome = lookupValue(OUTCOME_VALUES, v.outcome);
      if (outcome === -1) errors.add(row, 'outcome', 'outcome_invalid', { value: v.outcome.slice(0, 60) });
      else if (!returnedText) errors.add(row, 'outcome', outcome === 2 ? 'withdrawn_needs_returned_at' : 'returned_needs_returned_at');
    } else if (v.status) {
      outcome = lookupValue(STATUS_VALUES, v.status);
      if (outcome === -1) errors.add(row, 'status', 'status_invalid', { value: v.status.slice(0, 60), accepted: STATUS_SHOWN });
      else if (outcome === PENDING && returnedText) errors.add(row, 'status', 'pending_with_returned_at', { value: v.status.slice(0, 60) });
      else if (outcome !== PENDING && !returnedText) errors.add(row, 'status', outcome === 2 ? 'withdrawn_needs_returned_at' : 'returned_needs_returned_at');
    } else if (returnedText) outcome = 1;

    let channel = 0;
    if (v.channel) {
      channel = lookupValue(CHANNEL_VALUES, v.channel);
      if (channel === -1) errors.add(row, 'channel', 'channel_invalid', { value: v.channel.slice(0, 60) });
    }

    // The unit that handles the dossier (not the counter that received it): kept as written; its id when it names one of ours.
    let unitIndex = NO_UNIT;
    let unitId = 0;
    const unitText = v.handling_unit;
    if (unitText) {
      if (unitText.length > MAX_HANDLING_UNIT_LENGTH) errors.add(row, 'handling_unit', 'too_long', { max: MAX_HANDLING_UNIT_LENGTH });
      else if (CONTROL.test(unitText)) errors.add(row, 'handling_unit', 'control_chars');
      else {
        unitIndex = this.packed.internUnit(unitText);
        unitId = this.units.get(foldDiacritics(unitText)) ?? 0;
      }
    }

    let dueDay = NO_DAY;
    const dueText = v.due_date;
    if (dueText) {
      const r = this.readDate(dueText);
      if (typeof r === 'string') errors.add(row, 'due_date', r, { value: dueText.slice(0, 40) });
      else {
        dueDay = r.day;
        if (receivedDay !== NO_DAY && dueDay < receivedDay) errors.add(row, 'due_date', 'before_received');
      }
    } else if (procedure && receivedDay !== NO_DAY) {
      const days = processingDaysOn(procedure.terms, receivedDay);
      if (days === null) errors.add(row, 'due_date', 'due_needs_processing_days');
      else dueDay = this.dueAfter(receivedDay, days);
    }

    const slip = SLIP_COLUMNS.some((k) => v[k]) ? this.checkSlip(row, v, { received: receivedDay, due: dueDay, returned: returnedDay, outcome }) : undefined;

    if (errors.count !== errorsBefore || errors.any) {
      if (codeOk) this.packed.claim(code, row); // keep detecting repeats; nothing will be written anyway
      return;
    }
    if (slip) this.packed.slips.push({ row, code, ...slip });
    this.packed.add(code, row, procedure!.id, receivedDay, receivedMs, dueDay, !dueText, returnedDay, returnedMs, outcome, channel, unitIndex, unitId);
  }
}

/**
 * Every procedure by its own code and by its national code (the lowest id when several share one), with its terms:
 * two queries, instead of two or three round trips for each distinct code of the file. With `codes` (an API push of a
 * few dossiers), only the procedures those codes name, with their terms, in one query.
 */
export async function proceduresByCode(db: Db, codes?: readonly string[]): Promise<(code: string) => ProcedureInfo | null> {
  let rows: { id: number; code: string; national_code: string | null }[];
  let history: Map<number, { from: string; processingDays: number | null }[]>;
  if (codes) {
    // one statement: each procedure with its terms
    const joined = await listProcedureTermsIn(db, [...new Set(codes)]);
    rows = [...new Map(joined.map((r) => [r.id, r])).values()];
    history = new Map();
    for (const r of joined) {
      if (r.effective_from === null) continue;
      const list = history.get(r.id) ?? [];
      list.push({ from: r.effective_from, processingDays: r.processing_days });
      history.set(r.id, list);
    }
  } else {
    rows = await listProcedureCodes(db);
    history = await termsHistory(db);
  }
  const byCode = new Map<string, ProcedureInfo>();
  const byNational = new Map<string, ProcedureInfo>();
  for (const r of rows) {
    const terms = history.get(r.id) ?? [];
    const p: ProcedureInfo = { id: r.id, terms: terms.map((t) => ({ from: dayOf(t.from), processingDays: t.processingDays })) };
    byCode.set(r.code, p);
    if (r.national_code !== null && !byNational.has(r.national_code)) byNational.set(r.national_code, p);
  }
  return (code) => byCode.get(code) ?? byNational.get(code) ?? null;
}

/**
 * First pass: streams the file, checks every row and keeps only compact values. Throws ImportRowsError listing
 * every wrong row as codes (rendered `Dòng N, cột C: …` in the reader's language) — nothing is written then — or
 * ImportHeaderError for a bad file. A procedure code is the procedure's own code first, then its national code.
 */
export async function readDossierRows(input: TableInput, rc: DossierReadContext): Promise<PackedDossiers> {
  const checker = new DossierRowChecker(rc.timeZone, rc.calendar, rc.today, rc.units);
  const procedureOf = await proceduresByCode(rc.db);
  const onHeader = (found: Map<string, string>) => {
    checker.errors.seeHeader(found);
    checker.packed.hasHandlingUnit = found.has('handling_unit');
  };
  for await (const rows of readTableBatches(input, DOSSIER_COLUMNS, { onHeader })) {
    for (const { row, values } of rows) {
      const procedureCode = values.procedure_code;
      const procedure = procedureCode && procedureCode.length <= MAX_PROCEDURE_CODE_LENGTH ? procedureOf(procedureCode) : undefined;
      checker.check(row, values, procedure);
    }
  }
  if (checker.errors.any) throw checker.errors.toError();
  return checker.packed;
}
