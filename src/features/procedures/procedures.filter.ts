import type { AppContext } from '../../core/context';
import type { FieldError } from '../../core/http/errors';
import { findProcedureByTypedCode, findProcedureCode, hasMoreActiveProcedures } from './procedures.queries';

/**
 * The "procedure" filter of list pages (nonconformity register, current documents). An office-size register keeps a
 * select of its procedures; beyond PROCEDURE_SELECT_MAX active procedures (a province: 2,000) the select would be
 * most of the page (150 kB and a query per request for 2,000 options), so the field takes a procedure code
 * (`procedure_code`, also a national code) instead. Either form may be given in the query string, so links work
 * whatever the register's size: `procedure` (an id) or `procedure_code`; the code wins when both are there.
 */
export const PROCEDURE_SELECT_MAX = 200;

export interface ProcedureFilterField {
  /** A text field taking a code (true) or a select of `options`. */
  asCode: boolean;
  options?: { value: number; label: string }[];
  /** The selected option (select) and the code shown (text field). */
  selected?: number;
  code?: string;
  /** A code that matches no procedure: said next to the field, and the list is not filtered by procedure. */
  error?: FieldError;
}

export interface ProcedureFilter {
  /** The procedure to filter by, if any. */
  id?: number;
  field: ProcedureFilterField;
  /** What the page's links (sort, pages, export) carry to keep this filter. */
  query: { procedure?: string; procedure_code?: string };
}

/**
 * `options` gives the procedures the select offers (its callers differ); it is read only when the select is shown.
 * `manyProcedures`, when the caller has read it already (more than PROCEDURE_SELECT_MAX active procedures), saves
 * reading it here.
 */
export async function procedureFilter(
  ctx: AppContext,
  input: { id?: number; code?: string },
  options: () => Promise<{ id: number; code: string; title: string }[]>,
  manyProcedures?: boolean,
): Promise<ProcedureFilter> {
  const db = ctx.db;
  const asCode = manyProcedures ?? (await hasMoreActiveProcedures(db, PROCEDURE_SELECT_MAX));
  const field: ProcedureFilterField = { asCode };
  if (!asCode) field.options = (await options()).map((p) => ({ value: p.id, label: `${p.code} — ${p.title}` }));
  if (input.code !== undefined) {
    const found = await findProcedureByTypedCode(db, input.code);
    if (!found) {
      field.code = input.code;
      field.error = { key: 'procedures.filter_code_unknown', params: { code: input.code } };
      return { field, query: { procedure_code: input.code } };
    }
    field.code = found.code;
    field.selected = found.id;
    return { id: found.id, field, query: { procedure_code: found.code } };
  }
  if (input.id === undefined) return { field, query: {} };
  field.selected = input.id;
  if (asCode) field.code = await findProcedureCode(db, input.id);
  return { id: input.id, field, query: { procedure: String(input.id) } };
}
