import { DOCUMENT_TYPES } from '../documents/documents.tables';
import { NC_SEVERITIES, NC_SOURCES, NC_STATUSES } from '../nonconformities/nonconformities.model';
import { pageQueryShape, queryDate, z } from './api.schemas';

/** Schemas of the registers read through the API (scope registers:read): queries, items and pages. */

const date = (description: string) => z.string().openapi({ format: 'date', description, example: '2026-03-31' });
/** A page of items (as api.schemas.ts's pageOf, strict: a response with anything more fails its own schema). */
const pageOf = <T extends z.ZodTypeAny>(item: T, name: string) =>
  z
    .object({
      data: z.array(item),
      next_cursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last page' }),
    })
    .strict()
    .openapi(name);
const optionalText = (max: number, description: string) => z.string().min(1).max(max).optional().openapi({ description });

export const UnitRefSchema = z
  .object({ code: z.string(), name: z.string() })
  .strict()
  .openapi('UnitRef', { description: 'A unit of the organisation', example: { code: 'VP', name: 'Văn phòng' } });

// ---- Procedures --------------------------------------------------------------------------------------------------

export const ProceduresQuery = z
  .object({
    ...pageQueryShape,
    status: z.enum(['active', 'retired']).optional().openapi({ description: 'Only procedures in use, or only retired ones' }),
    field: optionalText(200, 'Field (lĩnh vực), exactly as in the register'),
    kind: z.enum(['administrative', 'internal']).optional().openapi({ description: 'Administrative procedure (TTHC) or internal process' }),
    unit: optionalText(50, 'Code of the unit in charge'),
  })
  .strict();

export const ProcedureSchema = z
  .object({
    code: z.string().openapi({ example: 'QT-01' }),
    national_code: z.string().nullable().openapi({ description: 'National procedure code (mã TTHC)', example: '1.001234' }),
    title: z.string(),
    field: z.string().openapi({ description: 'Field (lĩnh vực)' }),
    kind: z.enum(['administrative', 'internal']),
    status: z.enum(['active', 'retired']),
    processing_days: z.number().int().nullable().openapi({ description: 'Statutory processing time in working days' }),
    online_level: z.enum(['full', 'partial', 'none']).openapi({ description: 'Online public service level: full, partial or none' }),
    on_time_target: z.number().openapi({ description: 'On-time objective, a ratio 0–1', example: 0.95 }),
    retired_at: z.string().nullable().openapi({ format: 'date-time' }),
    unit: UnitRefSchema.nullable(),
  })
  .strict()
  .openapi('Procedure', { description: 'A procedure of the register' });

export const ProcedurePageSchema = pageOf(ProcedureSchema, 'ProcedurePage');

export const ProcessDocumentSchema = z
  .object({
    code: z.string().openapi({ example: 'TL-QT-01' }),
    revision_no: z.number().int(),
    effective_on: date('First day the revision is in force'),
    next_review_due: date('Date of the next periodic review'),
  })
  .strict()
  .openapi('ProcessDocument', { description: 'The revision of the procedure’s process document in force today' });

export const ProcedureDetailSchema = ProcedureSchema.extend({ process_document: ProcessDocumentSchema.nullable() }).strict().openapi('ProcedureDetail');

export const CodeParams = z.object({ code: z.string().min(1).max(100).openapi({ description: 'The procedure’s code', example: 'QT-01' }) }).strict();

// ---- Nonconformities ---------------------------------------------------------------------------------------------

export const NonconformitiesQuery = z
  .object({
    ...pageQueryShape,
    status: z
      .enum(['active', ...NC_STATUSES])
      .optional()
      .openapi({ description: 'A status, or `active`: every status before closed, cancelled or rejected' }),
    source: z.enum(NC_SOURCES).optional(),
    severity: z.enum(NC_SEVERITIES).optional(),
    procedure: optionalText(100, 'Code of the procedure'),
    raised_from: queryDate().optional().openapi({ description: 'Raised (detected) on or after this date' }),
    raised_to: queryDate().optional().openapi({ description: 'Raised (detected) on or before this date' }),
    updated_since: z
      .string()
      .datetime({ offset: true })
      .transform((v) => new Date(v).toISOString())
      .optional()
      .openapi({
        type: 'string',
        format: 'date-time',
        description: 'Only those whose record changed at or after this instant (see `updated_at`)',
        example: '2026-11-01T00:00:00Z',
      }),
  })
  .strict();

export const NonconformitySchema = z
  .object({
    reference: z.string().openapi({ example: 'NC-2026-004' }),
    title: z.string(),
    status: z.enum(NC_STATUSES),
    severity: z.enum(NC_SEVERITIES),
    source: z.enum(NC_SOURCES),
    clause: z.string().nullable().openapi({ description: 'ISO 9001 clause', example: '8.5.1' }),
    procedure: z.string().nullable().openapi({ description: 'Code of the procedure concerned' }),
    unit: UnitRefSchema.nullable().openapi({ description: 'The responsible unit' }),
    raised_on: date('Date detected'),
    next_action_due: date('Earliest due date of its open actions').nullable(),
    verify_due_on: date('Date the effectiveness verification is due').nullable(),
    closed_on: date('Date closed').nullable(),
    cancelled_on: date('Date cancelled').nullable(),
    updated_at: z.string().openapi({ format: 'date-time', description: 'When the record last changed (its actions are not counted)' }),
  })
  .strict()
  .openapi('Nonconformity', { description: 'A nonconformity of the register (sự không phù hợp)' });

export const NonconformityPageSchema = pageOf(NonconformitySchema, 'NonconformityPage');

// ---- Current documents -------------------------------------------------------------------------------------------

export const CurrentDocumentsQuery = z
  .object({
    ...pageQueryShape,
    type: z.enum(DOCUMENT_TYPES).optional(),
    unit: optionalText(50, 'Code of the owner unit'),
    procedure: optionalText(100, 'Code of the procedure'),
  })
  .strict();

export const CurrentDocumentSchema = z
  .object({
    code: z.string().openapi({ example: 'TL-QT-01' }),
    title: z.string(),
    type: z.enum(DOCUMENT_TYPES),
    revision_no: z.number().int(),
    effective_on: date('First day the revision is in force'),
    next_review_due: date('Date of the next periodic review').nullable(),
    unit: UnitRefSchema.nullable().openapi({ description: 'The owner unit' }),
    procedure: z.string().nullable().openapi({ description: 'Code of the procedure the document belongs to' }),
    url: z.string().openapi({ format: 'uri', description: 'The document’s page (for signed-in staff)' }),
  })
  .strict()
  .openapi('CurrentDocument', { description: 'A controlled document with its revision in force today' });

export const CurrentDocumentPageSchema = pageOf(CurrentDocumentSchema, 'CurrentDocumentPage');
