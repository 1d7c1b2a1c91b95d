import type { AppContext } from '../../core/context';
import { translate, type Lang } from '../../core/i18n';
import { buildProcedureFigures } from '../reports/reports.procedure';
import { reportPredecessors, WITH_PREDECESSORS } from '../reports/reports.lineage';
import { parsePeriod, presetPeriods, type Period } from '../reports/reports.periods';
import { buildSummary } from '../reports/reports.summary';
import type { ApiRouteTable } from './api.http';
import { ApiProblem } from './api.problems';
import { findUnitIdByCode } from './api.registers.queries';
import { ProcedureReportSchema, ReportParams, ReportQuery, SummaryQuery, SummarySchema } from './api.reports.schemas';

/** The period asked for, by the reports' own rule (parsePeriod); a bad one is a 422 naming the parameter. */
function periodOrProblem(from: string | undefined, to: string | undefined, lang: Lang): Period {
  const parsed = parsePeriod(from, to);
  if ('period' in parsed) return parsed.period;
  const { key, params } = parsed.problem;
  const parameter = params.name ?? 'from';
  throw new ApiProblem('validation', {}, [{ parameter, code: key.slice(key.lastIndexOf('.') + 1), detail: translate(lang, key, params) }]);
}

const TAGS = ['Reports'];

/** GET /reports/procedures/{code} and /reports/summary (scope reports:read). */
export function addReportOperations(table: ApiRouteTable, _ctx: AppContext): void {
  table
    .add({
      method: 'get',
      path: '/reports/procedures/{code}',
      operationId: 'getProcedureReport',
      scope: 'reports:read',
      summary: 'A procedure’s compliance report for a period',
      description:
        'Exactly the JSON of the signed-in report `/reports/procedures/{code}.json` (REPORTING.md); the checks’ words in the language of Accept-Language.',
      tags: TAGS,
      params: ReportParams,
      query: ReportQuery,
      response: ProcedureReportSchema,
      problems: [404, 422],
      handle: async ({ params, query, caller, ctx }) => {
        const period = periodOrProblem(query.from, query.to, caller.lang);
        // As the signed-in JSON (reports.procedure.routes.ts): `with=predecessors` adds the predecessors' dossier figures
        // (nothing changes for an organisation without any), `include=satisfaction` the survey's figures.
        const included = query.with === WITH_PREDECESSORS ? await reportPredecessors(ctx) : [];
        const data = await buildProcedureFigures(ctx, params.code, period, caller.lang, caller.today, included, query.include === 'satisfaction');
        if (!data) throw new ApiProblem('not_found');
        return { body: data.report };
      },
    })
    .add({
      method: 'get',
      path: '/reports/summary',
      operationId: 'getReportSummary',
      scope: 'reports:read',
      summary: 'The all-procedures summary for a period',
      description: 'Every active procedure’s status and key figures, and their totals; without dates, this quarter.',
      tags: TAGS,
      query: SummaryQuery,
      response: SummarySchema,
      problems: [422],
      handle: async ({ query, caller, ctx }) => {
        const period = query.from === undefined && query.to === undefined ? presetPeriods(caller.today)[0] : periodOrProblem(query.from, query.to, caller.lang);
        // An unknown unit matches no procedure (no unit has the id -1).
        const unitId = query.unit === undefined ? undefined : ((await findUnitIdByCode(ctx.db, query.unit)) ?? -1);
        // As the signed-in summary (reports.summary.routes.ts): the predecessors' figures only for an organisation with some.
        const included = query.with === WITH_PREDECESSORS ? await reportPredecessors(ctx) : [];
        const filter = { field: query.field, unitId, status: query.status };
        const summary = await buildSummary(ctx, { from: period.from, to: period.to }, filter, caller.today, included);
        return {
          body: {
            period: summary.period,
            asOf: summary.asOf,
            // A procedure found only in a predecessor keeps its `predecessor`.
            rows: summary.rows.map(({ id: _id, unitId: _unitId, ...row }) => row),
            totals: summary.totals,
            // Named as the procedure report names them (no internal ids).
            ...(summary.predecessors
              ? { predecessors: summary.predecessors.map((p) => ({ code: p.code, name: p.name, kind: p.kind, effectiveOn: p.effective_on })) }
              : {}),
          },
        };
      },
    });
}
