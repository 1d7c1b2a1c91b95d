import { fromDayNumber } from '../../core/calendar/dates';
import { CodeTable } from './dossiers.codes';
import type { DossierChannel, DossierOutcome } from './dossiers.tables';

/** A dossier's stored values (everything but its code and bookkeeping). */
export interface DossierValues {
  procedure_id: number;
  received_on: string;
  received_at: string | null;
  due_on: string;
  due_computed: number;
  returned_on: string | null;
  returned_at: string | null;
  outcome: DossierOutcome | null;
  channel: DossierChannel;
  /** The handling unit as the file wrote it (trimmed), null when not given. */
  handling_unit: string | null;
  /** The organisation unit it names (by code or name, compared folded), null when none. */
  unit_id: number | null;
}

export const OUTCOMES = [null, 'returned', 'withdrawn'] as const;
export const CHANNELS = ['direct', 'online', 'postal'] as const satisfies readonly DossierChannel[];

export const NO_DAY = -2147483648;
/** No handling unit given. */
export const NO_UNIT = -1;

/** ISO dates of day numbers, cached (a file spans a few thousand distinct days at most). */
const isoDays = new Map<number, string>();
function isoOfDay(day: number): string {
  let iso = isoDays.get(day);
  if (iso === undefined) {
    iso = fromDayNumber(day);
    if (isoDays.size >= 100_000) isoDays.clear();
    isoDays.set(day, iso);
  }
  return iso;
}

/**
 * The checked rows of an import in typed arrays (about 48 bytes a row) and the codes in a Map whose insertion order
 * is the file's order, so a million-row file stays well under the memory budget and is written in file order.
 */
/**
 * An apology slip given in a row of a dossier file (the optional columns apology_no, apology_date, apology_reason,
 * new_due_date), checked against the row's own dates; recorded after the dossiers are written (dossiers.import.slips.ts).
 */
export interface ImportedSlipValues {
  row: number;
  code: string;
  slipNo: string;
  issuedOn: string;
  reason: string;
  newDueOn: string;
}

export class PackedDossiers {
  /** code → slot, in file order; also detects codes repeated within the file. */
  private readonly codes: CodeTable;
  private capacity: number;
  private rowNo: Int32Array;
  private procedureId: Int32Array;
  private receivedDay: Int32Array;
  private receivedMs: Float64Array;
  private dueDay: Int32Array;
  private returnedDay: Int32Array;
  private returnedMs: Float64Array;
  /** bits 0–1 outcome, 2–3 channel, 4 due computed */
  private flags: Uint8Array;
  /** Index into unitTexts, NO_UNIT when none (a file names a few hundred units at most). */
  private unitIndex: Int32Array;
  /** The organisation unit's id, 0 when none. */
  private unitId: Int32Array;
  private readonly unitTexts: string[] = [];
  private readonly unitIndexes = new Map<string, number>();
  /** Whether the file has a handling unit column: without it, an import keeps the units stored before. */
  hasHandlingUnit = false;
  /** The apology slips the file records for its late dossiers (a few rows at most: kept as plain objects). */
  readonly slips: ImportedSlipValues[] = [];

  constructor(initialCapacity = 1024) {
    this.codes = new CodeTable(initialCapacity);
    this.capacity = initialCapacity;
    this.rowNo = new Int32Array(initialCapacity);
    this.procedureId = new Int32Array(initialCapacity);
    this.receivedDay = new Int32Array(initialCapacity);
    this.receivedMs = new Float64Array(initialCapacity);
    this.dueDay = new Int32Array(initialCapacity);
    this.returnedDay = new Int32Array(initialCapacity);
    this.returnedMs = new Float64Array(initialCapacity);
    this.flags = new Uint8Array(initialCapacity);
    this.unitIndex = new Int32Array(initialCapacity);
    this.unitId = new Int32Array(initialCapacity);
  }

  /** The index of a handling unit's text, added once. */
  internUnit(text: string): number {
    let i = this.unitIndexes.get(text);
    if (i === undefined) {
      i = this.unitTexts.length;
      this.unitTexts.push(text);
      this.unitIndexes.set(text, i);
    }
    return i;
  }

  get length(): number {
    return this.codes.length;
  }

  has(code: string): boolean {
    return this.codes.find(code) !== -1;
  }

  /** The file row that first used `code`, or undefined. */
  rowOf(code: string): number | undefined {
    const slot = this.codes.find(code);
    return slot === -1 ? undefined : this.rowNo[slot];
  }

  /** The code of slot i (slots are in file order). */
  codeAt(i: number): string {
    return this.codes.codeAt(i);
  }

  /** Remembers a code (for duplicate detection) without values, when its row is wrong. */
  claim(code: string, row: number): void {
    this.add(code, row, 0, 0, NaN, 0, false, NO_DAY, NaN, 0, 0, NO_UNIT, 0);
  }

  /**
   * Adds a checked row whose code is not yet present: day numbers for local dates, epoch ms (NaN when no time was
   * given), NO_DAY while unresolved, outcome and channel as indexes into OUTCOMES / CHANNELS, the handling unit as
   * returned by internUnit (NO_UNIT: none) and the id of the organisation unit it names (0: none).
   */
  add(
    code: string,
    row: number,
    procedureId: number,
    receivedDay: number,
    receivedMs: number,
    dueDay: number,
    dueComputed: boolean,
    returnedDay: number,
    returnedMs: number,
    outcome: number,
    channel: number,
    unitIndex: number,
    unitId: number,
  ): void {
    if (this.codes.length === this.capacity) this.grow();
    const i = this.codes.add(code);
    this.rowNo[i] = row;
    this.procedureId[i] = procedureId;
    this.receivedDay[i] = receivedDay;
    this.receivedMs[i] = receivedMs;
    this.dueDay[i] = dueDay;
    this.returnedDay[i] = returnedDay;
    this.returnedMs[i] = returnedMs;
    this.flags[i] = outcome | (channel << 2) | (dueComputed ? 16 : 0);
    this.unitIndex[i] = unitIndex;
    this.unitId[i] = unitId;
  }

  /** The stored values of slot i, as they go into the database. */
  valuesAt(i: number): DossierValues {
    const flags = this.flags[i];
    const returnedDay = this.returnedDay[i];
    const receivedMs = this.receivedMs[i];
    const returnedMs = this.returnedMs[i];
    const unit = this.unitIndex[i];
    return {
      procedure_id: this.procedureId[i],
      received_on: isoOfDay(this.receivedDay[i]),
      received_at: Number.isNaN(receivedMs) ? null : new Date(receivedMs).toISOString(),
      due_on: isoOfDay(this.dueDay[i]),
      due_computed: flags & 16 ? 1 : 0,
      returned_on: returnedDay === NO_DAY ? null : isoOfDay(returnedDay),
      returned_at: Number.isNaN(returnedMs) ? null : new Date(returnedMs).toISOString(),
      outcome: OUTCOMES[flags & 3] ?? null,
      channel: CHANNELS[(flags >> 2) & 3],
      handling_unit: unit === NO_UNIT ? null : this.unitTexts[unit],
      unit_id: this.unitId[i] === 0 ? null : this.unitId[i],
    };
  }

  private grow(): void {
    const cap = this.capacity * 2;
    const grow32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    const grow64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.rowNo = grow32(this.rowNo);
    this.procedureId = grow32(this.procedureId);
    this.receivedDay = grow32(this.receivedDay);
    this.receivedMs = grow64(this.receivedMs);
    this.dueDay = grow32(this.dueDay);
    this.returnedDay = grow32(this.returnedDay);
    this.returnedMs = grow64(this.returnedMs);
    const flags = new Uint8Array(cap);
    flags.set(this.flags);
    this.flags = flags;
    this.unitIndex = grow32(this.unitIndex);
    this.unitId = grow32(this.unitId);
    this.capacity = cap;
  }
}
