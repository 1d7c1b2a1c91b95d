import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import { queryText } from '../../core/http/params';
import { procedureFilter, type ProcedureFilterField } from '../procedures/procedures.filter';
import { listProcedureOptions } from '../procedures/procedures.queries';
import type { NcFilter, NcSort } from './nonconformities.list.queries';
import { SORTS } from './nonconformities.list.queries';
import { NC_SEVERITIES, NC_SOURCES, NC_STATUSES, type NcSeverity, type NcSource, type NcStatus } from './nonconformities.model';

/** The register's query string → a filter; unknown values are ignored rather than refused. */
export const PAGE_SIZE = 50;

export const SORT_LINKS: { key: NcSort; label: string }[] = [
  { key: 'code', label: 'nonconformities.code' },
  { key: 'detected_on', label: 'nonconformities.detected_on' },
  { key: 'severity', label: 'nonconformities.severity' },
  { key: 'status', label: 'nonconformities.status' },
  { key: 'procedure', label: 'nonconformities.procedure' },
  { key: 'next_due', label: 'nonconformities.next_due' },
];

const oneOf = <T extends string>(values: readonly T[], v: string | undefined): T | undefined =>
  v !== undefined && (values as readonly string[]).includes(v) ? (v as T) : undefined;
const idOf = (v: string | undefined) => (v && /^[1-9]\d{0,15}$/.test(v) ? Number(v) : undefined);

export type NcPageFilter = NcFilter & { query: Record<string, string | undefined>; procedureField: ProcedureFilterField };

/**
 * The filter with its procedure resolved: `procedure` (an id, from the select of an office-size register) or
 * `procedure_code` (typed, at province scale); see procedures.filter.ts. `manyProcedures`: see procedureFilter.
 */
export async function resolveFilter(ctx: AppContext, req: Request, today: string, manyProcedures?: boolean): Promise<NcPageFilter> {
  const base = filterOf(req, today);
  const proc = await procedureFilter(
    ctx,
    { id: base.procedureId, code: queryText(req, 'procedure_code', 100) },
    () => listProcedureOptions(ctx.db),
    manyProcedures,
  );
  return {
    ...base,
    procedureId: proc.id,
    procedureField: proc.field,
    query: { ...base.query, procedure: proc.query.procedure, procedure_code: proc.query.procedure_code },
  };
}

export function filterOf(req: Request, today: string): NcFilter & { query: Record<string, string | undefined> } {
  const status = queryText(req, 'status');
  const filter: NcFilter = {
    status: status === 'active' ? 'active' : oneOf<NcStatus>(NC_STATUSES, status),
    severity: oneOf<NcSeverity>(NC_SEVERITIES, queryText(req, 'severity')),
    source: oneOf<NcSource>(NC_SOURCES, queryText(req, 'source')),
    procedureId: idOf(queryText(req, 'procedure')),
    unitId: idOf(queryText(req, 'unit')),
    overdue: queryText(req, 'overdue') === '1',
    q: queryText(req, 'q', 100),
    today,
    sort: oneOf<NcSort>(SORTS, queryText(req, 'sort')),
    dir: queryText(req, 'dir') === 'asc' ? 'asc' : undefined,
  };
  return {
    ...filter,
    query: {
      status: filter.status,
      severity: filter.severity,
      source: filter.source,
      procedure: filter.procedureId ? String(filter.procedureId) : undefined,
      procedure_code: undefined,
      unit: filter.unitId ? String(filter.unitId) : undefined,
      overdue: filter.overdue ? '1' : undefined,
      q: filter.q,
      sort: filter.sort,
      dir: filter.dir,
    },
  };
}
