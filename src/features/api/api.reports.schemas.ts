import { CHECK_IDS, type CheckId } from '../reports/reports.compliance';
import { WITH_PREDECESSORS } from '../reports/reports.lineage';
import { SURVEY_CRITERIA } from '../surveys/surveys.tables';
import { queryDate, z } from './api.schemas';

/**
 * Schemas of the report figures read through the API (scope reports:read): exactly the JSON of the signed-in
 * GET /reports/procedures/:code.json (shared/domain/REPORTING.md) and the all-procedures summary.
 */

const date = (description: string) => z.string().openapi({ format: 'date', description });
const count = (description: string) => z.number().int().openapi({ description });
const STATUS = z.enum(['non_compliant', 'attention', 'compliant']).openapi({ description: 'Compliance status (REPORTING.md, "Status and checks")' });

export const PeriodSchema = z
  .object({ from: date('First day of the period'), to: date('Last day of the period') })
  .strict()
  .openapi('Period', { example: { from: '2026-01-01', to: '2026-03-31' } });

export const DossierFiguresSchema = z
  .object({
    carriedOver: count('Pending at the start of the period'),
    newlyReceived: count('Received in the period'),
    newlyReceivedOnline: count('… online'),
    newlyReceivedDirect: count('… at the desk'),
    newlyReceivedPostal: count('… by post'),
    received: count('carriedOver + newlyReceived'),
    resolved: count('Returned in the period'),
    early: count('Returned before the due date'),
    onTime: count('Returned on the due date'),
    late: count('Returned after the due date'),
    pending: count('Not returned at the end of the period'),
    pendingOnTrack: count('… not yet due'),
    pendingOverdue: count('… past their due date'),
    onTimeRate: z.number().nullable().openapi({ description: '(early + onTime) / resolved; null when nothing was resolved' }),
  })
  .strict()
  .openapi('DossierFigures', { description: 'The dossier figures of the national form (Biểu II.06a)' });

const CHECK_ID = z.enum(CHECK_IDS as [CheckId, ...CheckId[]]);

/** `?with=predecessors` (issue 22): the option of the signed-in reports, any other value a 422 here. */
const WITH = z.enum([WITH_PREDECESSORS]).optional().openapi({
  description:
    'predecessors: add to each procedure’s dossier figures those of the procedure of the same code in every predecessor of the organisation (merged or split into it), for the same period',
});

/** A predecessor whose dossier figures are added, as the report JSON names it (ProcedureReport['predecessors']). */
export const ReportPredecessorSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    kind: z.enum(['merge', 'split']),
    effectiveOn: date('The date of the merger or split'),
  })
  .strict()
  .openapi('ReportPredecessor', { description: 'A predecessor of the organisation whose dossier figures are included' });

/** The nearest predecessor that has a procedure the organisation lacks (ProcedureReport['predecessor'], SummaryRow['predecessor']). */
const PredecessorNameSchema = z
  .object({ code: z.string(), name: z.string() })
  .strict()
  .openapi({ description: 'Set when the procedure exists only in a predecessor: the nearest one that has it, whose figures these are' });

const satisfactionScores = {
  scores: count('Scores given'),
  satisfied: count('Scores of 4 or 5'),
  average: z.number().nullable().openapi({ description: 'The average score (2 decimals); null without scores' }),
  index: z.number().nullable().openapi({ description: 'satisfied ÷ scores × 100, in percent (2 decimals); null without scores' }),
};

/** The satisfaction survey's figures (reports.satisfaction.ts, SatisfactionFigures). */
export const SatisfactionSchema = z
  .object({
    responses: count('Survey answers counted'),
    withComment: count('… with a comment'),
    ...satisfactionScores,
    criteria: z.array(
      z
        .object({ criterion: z.string().openapi({ description: `One of ${SURVEY_CRITERIA.join(', ')}` }), ...satisfactionScores })
        .strict()
        .openapi({ description: 'A criterion with at least one score, in the question set’s order' }),
    ),
  })
  .strict()
  .openapi('Satisfaction', {
    description: 'Citizens’ satisfaction survey answers of the procedure in the period, to asOf (its own answers, not its predecessors’)',
  });

export const ProcedureReportSchema = z
  .object({
    procedure: z.object({ code: z.string(), title: z.string() }).strict(),
    period: PeriodSchema,
    asOf: date('The date the figures are computed as of: `to`, or today while the period is not over'),
    status: STATUS,
    checks: z.array(
      z
        .object({
          id: z.string().openapi({ description: `One of ${CHECK_IDS.join(', ')}` }),
          passed: z.boolean().nullable().openapi({ description: 'null: not judged (nothing to judge)' }),
          severity: z.enum(['critical', 'warning']),
          detail: z.string().openapi({ description: 'The reason, in the language of Accept-Language' }),
        })
        .strict(),
    ),
    dossiers: DossierFiguresSchema,
    document: z
      .object({ code: z.string(), revisionNo: z.number().int(), effectiveFrom: date('In force from'), nextReviewDue: date('Next periodic review') })
      .strict()
      .nullable()
      .openapi({ description: 'The revision of the process document in force at asOf' }),
    audits: z
      .object({
        count: count('Internal audits conducted'),
        majorNc: z.number().int(),
        minorNc: z.number().int(),
        observation: z.number().int(),
        ofi: z.number().int(),
      })
      .strict(),
    nonconformities: z
      .object({
        raised: z.number().int(),
        openAtEnd: z.number().int(),
        awaitingTriage: z.number().int(),
        closed: z.number().int(),
        overdueActions: z.number().int(),
        overdueCorrectiveActions: z.number().int(),
        overdueOtherActions: z.number().int(),
      })
      .strict(),
    generatedAt: z.string().openapi({ format: 'date-time' }),
    predecessors: z
      .array(ReportPredecessorSchema)
      .optional()
      .openapi({ description: 'With `with=predecessors`, for an organisation with predecessors: those whose dossier figures are added' }),
    predecessor: PredecessorNameSchema.optional(),
    satisfaction: SatisfactionSchema.optional().openapi({ description: 'With `include=satisfaction`' }),
  })
  .strict()
  .openapi('ProcedureReport', { description: 'A procedure’s compliance report for a period (REPORTING.md)' });

export const ReportParams = z.object({ code: z.string().min(1).max(100).openapi({ description: 'The procedure’s code', example: 'QT-01' }) }).strict();

export const ReportQuery = z
  .object({
    from: queryDate().openapi({ description: 'First day of the period' }),
    to: queryDate().openapi({ description: 'Last day of the period' }),
    with: WITH,
    include: z.enum(['satisfaction']).optional().openapi({
      description: 'satisfaction: add the survey figures of the satisfaction of citizens and organisations with the procedure in the period (`satisfaction`)',
    }),
  })
  .strict();

export const SummaryQuery = z
  .object({
    from: queryDate().optional().openapi({ description: 'First day of the period (with `to`; both absent: this quarter)' }),
    to: queryDate().optional().openapi({ description: 'Last day of the period' }),
    field: z.string().min(1).max(200).optional().openapi({ description: 'Field (lĩnh vực) of the procedures' }),
    unit: z.string().min(1).max(50).optional().openapi({ description: 'Code of the unit in charge' }),
    status: STATUS.optional(),
    with: WITH,
  })
  .strict();

const ncCounts = {
  ncRaised: z.number().int(),
  ncOpenAtEnd: z.number().int(),
  ncClosed: z.number().int(),
  ncAwaitingTriage: z.number().int(),
  overdueActions: z.number().int(),
  overdueCorrectiveActions: z.number().int(),
  overdueOtherActions: z.number().int(),
};

export const SummaryRowSchema = z
  .object({
    code: z.string(),
    title: z.string(),
    field: z.string(),
    unitCode: z.string().nullable(),
    status: STATUS,
    failedChecks: z.array(CHECK_ID),
    document: z
      .object({ code: z.string(), revisionNo: z.number().int(), nextReviewDue: date('Next periodic review') })
      .strict()
      .nullable(),
    lastAuditDate: date('Last internal audit of the procedure').nullable(),
    dossiers: DossierFiguresSchema,
    ...ncCounts,
    onTimeTarget: z.number(),
    predecessor: PredecessorNameSchema.optional(),
  })
  .strict()
  .openapi('SummaryRow', { description: 'An active procedure’s status and key figures' });

export const SummarySchema = z
  .object({
    period: PeriodSchema,
    asOf: date('The date the figures are computed as of'),
    rows: z.array(SummaryRowSchema),
    totals: z
      .object({
        procedures: z.number().int(),
        byStatus: z.object({ non_compliant: z.number().int(), attention: z.number().int(), compliant: z.number().int() }).strict(),
        dossiers: DossierFiguresSchema,
        ...ncCounts,
      })
      .strict()
      .openapi({ description: 'The sums of every row (the rate recomputed from the sums)' }),
    predecessors: z
      .array(ReportPredecessorSchema)
      .optional()
      .openapi({ description: 'With `with=predecessors`, for an organisation with predecessors: those whose dossier figures are added' }),
  })
  .strict()
  .openapi('Summary', { description: 'The all-procedures summary of a period' });
