import { createHash } from 'node:crypto';
import type { AppContext } from '../../core/context';
import { importText, ImportRowsError, type RowError } from '../../core/import';
import type { Lang } from '../../core/i18n';
import { DossierRowChecker, MAX_PROCEDURE_CODE_LENGTH, proceduresByCode } from '../dossiers/dossiers.import';
import { unitsByName } from '../dossiers/dossiers.import.service';
import { loadWorkCalendar } from '../holidays/holidays.calendar';
import type { PackedDossiers } from '../dossiers/dossiers.packed';
import { writeCheckedDossiers, type WrittenDossiers } from '../dossiers/dossiers.import.write';
import { ApiProblem, type ProblemItem } from './api.problems';
import type { ApiCaller } from './api.http';
import type { DossierInput, DossierItem } from './api.dossiers.schemas';

/**
 * The API's dossier pushes (issue 28): every item goes through the dossier file import's own row checks
 * (DossierRowChecker, the row being the item's index), then the import's writer, all or nothing. A push that changes
 * nothing writes nothing — not even a line of the import history — so the one-stop system may repeat it freely.
 */

/** Below this many added and updated dossiers the summary rows' row triggers keep them (see writeCheckedDossiers). */
export const API_TRIGGER_ROWS = 2_000;

/** The import's column key of each field of an item (the apology slip's fields are nested in the JSON). */
const POINTER_OF: Record<string, string> = {
  apology_no: 'apology/no',
  apology_date: 'apology/date',
  apology_reason: 'apology/reason',
  new_due_date: 'apology/new_due_date',
};

/** An item as the import's cells (an absent field is an empty cell, as in a file). */
function cellsOf(code: string, item: DossierInput): Record<string, string> {
  const trim = (s: string | undefined) => (s === undefined ? '' : s.trim());
  return {
    code: code.trim(),
    procedure_code: trim(item.procedure_code),
    received_at: trim(item.received_at),
    due_date: trim(item.due_date),
    returned_at: trim(item.returned_at),
    outcome: trim(item.outcome),
    status: trim(item.status),
    channel: trim(item.channel),
    handling_unit: trim(item.handling_unit),
    apology_no: trim(item.apology?.no),
    apology_date: trim(item.apology?.date),
    apology_reason: item.apology?.reason ?? '',
    new_due_date: trim(item.apology?.new_due_date),
  };
}

/** A row error of the checker (or of the slips) as a problem item: `/items/<i>/<field>` in a batch, `/<field>` for a PUT. */
function itemOf(e: RowError, lang: Lang, batch: boolean): ProblemItem {
  const detail = importText(lang, `import.row.${e.code}`, e.params);
  const field = POINTER_OF[e.column] ?? e.column;
  if (!batch) return field === 'code' ? { parameter: 'code', code: e.code, detail } : { pointer: `/${field}`, code: e.code, detail };
  return { pointer: `/items/${e.row}/${field}`, index: e.row, code: e.code, detail };
}

interface Push {
  items: { code: string; item: DossierInput }[];
  batch: boolean;
  body: unknown;
}

async function push(ctx: AppContext, caller: ApiCaller, p: Push): Promise<{ written: WrittenDossiers; packed: PackedDossiers }> {
  // The caller's zone and today come with its token; the calendar, the units and the procedures the items name are
  // read together (only those procedures: a push of one dossier does not load them all).
  const codes = p.items.map(({ item }) => item.procedure_code.trim()).filter((c) => c && c.length <= MAX_PROCEDURE_CODE_LENGTH);
  const namesUnit = p.items.some(({ item }) => (item.handling_unit ?? '').trim() !== '');
  const [calendar, units, procedureOf] = await Promise.all([
    loadWorkCalendar(ctx.db),
    namesUnit ? unitsByName(ctx) : new Map<string, number>(), // the units only when an item names one
    proceduresByCode(ctx.db, codes),
  ]);
  const read = { timeZone: caller.timeZone, today: caller.today, calendar, units, at: ctx.clock.now() };
  const checker = new DossierRowChecker(read.timeZone, read.calendar, read.today, read.units, Math.max(16, p.items.length));
  checker.packed.hasHandlingUnit = true; // an item without a handling unit has none: a push replaces the dossier
  p.items.forEach(({ code, item }, index) => {
    const cells = cellsOf(code, item);
    const procedure = cells.procedure_code && cells.procedure_code.length <= MAX_PROCEDURE_CODE_LENGTH ? procedureOf(cells.procedure_code) : undefined;
    checker.check(index, cells, procedure);
  });
  if (checker.errors.any) {
    throw new ApiProblem(
      'validation',
      {},
      checker.errors.listed.slice(0, 1000).map((e) => itemOf(e, caller.lang, p.batch)),
    );
  }
  const name = `API: ${caller.tokenName}`.slice(0, 255);
  const sha256 = createHash('sha256').update(JSON.stringify(p.body)).digest('hex');
  try {
    const written = await writeCheckedDossiers(ctx, checker.packed, {
      fileName: name,
      sha256,
      actorId: null,
      via: 'api',
      at: read.at,
      audit: p.batch
        ? { reason: name, updateAction: 'api_update', summaryAction: 'api_batch' }
        : { reason: name, updateAction: 'api_update', createAction: 'api_create', summaryAction: null },
      writeWhenUnchanged: false,
      triggersBelow: API_TRIGGER_ROWS,
    });
    return { written, packed: checker.packed };
  } catch (err) {
    // The apology slips refused against what is stored (a number another dossier's slip has): nothing was written.
    if (err instanceof ImportRowsError) {
      throw new ApiProblem(
        'conflict',
        {},
        err.errors.slice(0, 1000).map((e) => itemOf(e, caller.lang, p.batch)),
      );
    }
    throw err;
  }
}

export async function putDossier(ctx: AppContext, caller: ApiCaller, code: string, item: DossierInput) {
  const { written, packed } = await push(ctx, caller, { items: [{ code, item }], batch: false, body: { code, ...item } });
  // What is stored now: the item's values, written or found equal (a push replaces the whole dossier, unit included).
  const values = packed.valuesAt(0);
  const result = written.added ? 'created' : written.updated ? 'updated' : 'unchanged';
  return {
    created: written.added > 0,
    body: { code: code.trim(), result, dossier: { code: code.trim(), ...values, due_computed: values.due_computed === 1 } } as const,
  };
}

export async function pushDossiers(ctx: AppContext, caller: ApiCaller, items: DossierItem[]) {
  const { written } = await push(ctx, caller, { items: items.map(({ code, ...item }) => ({ code, item })), batch: true, body: items });
  return { received: items.length, created: written.added, updated: written.updated, unchanged: written.unchanged, import_id: written.importId };
}
