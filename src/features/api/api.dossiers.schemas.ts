import { z } from './api.schemas';
import { ApiProblem } from './api.problems';
import { MAX_CODE_LENGTH, MAX_HANDLING_UNIT_LENGTH, MAX_PROCEDURE_CODE_LENGTH, MAX_SLIP_NO_LENGTH, MAX_SLIP_REASON_LENGTH } from '../dossiers/dossiers.import';

/**
 * A dossier as the one-stop system pushes it: the columns of a dossier file (IMPORT-FORMATS.md), named as their keys.
 * The shapes are checked here; the rules a dossier must meet (dates, outcome and status, the due date from the
 * procedure's terms, the apology slip) are the file import's own (DossierRowChecker), applied by api.dossiers.service.ts.
 */

/** At most this many dossiers in one batch. */
export const MAX_BATCH_ITEMS = 5_000;

/** A date or a date-time as the import reads it (core/calendar's parser checks the value itself). */
const dateText = (description: string, example: string) => z.string().min(1).max(40).openapi({ description, example });

export const ApologySchema = z
  .object({
    no: z.string().min(1).max(MAX_SLIP_NO_LENGTH).openapi({ description: 'Number of the apology slip (Số phiếu xin lỗi)', example: '12/PXL' }),
    date: dateText('Date of the slip, YYYY-MM-DD', '2026-11-20'),
    reason: z.string().min(1).max(MAX_SLIP_REASON_LENGTH).openapi({ description: 'Why the result is late', example: 'Chờ ý kiến của cơ quan phối hợp' }),
    new_due_date: dateText('The new date the result will be returned, YYYY-MM-DD', '2026-11-27'),
  })
  .strict()
  .openapi({ description: 'The apology slip (Phiếu xin lỗi và hẹn lại ngày trả kết quả) of a late dossier: all four fields' });

const dossierShape = {
  procedure_code: z
    .string()
    .min(1)
    .max(MAX_PROCEDURE_CODE_LENGTH)
    .openapi({ description: 'The procedure: its own code in qms-tracker or its national code (Mã TTHC)', example: '1.001234' }),
  received_at: dateText('Received: a date YYYY-MM-DD or a date-time with offset (RFC 3339)', '2026-11-02T08:15:00+07:00'),
  due_date: dateText('Due date (Ngày hẹn trả); computed from the procedure’s processing days when absent', '2026-11-16').optional(),
  returned_at: dateText('Returned (date or date-time); absent while the dossier is being handled', '2026-11-12T15:30:00+07:00').optional(),
  outcome: z
    .enum(['returned', 'withdrawn'])
    .optional()
    .openapi({ description: 'Outcome; `returned` when returned_at is given and neither outcome nor status is' }),
  status: z.string().min(1).max(100).optional().openapi({
    description: 'The one-stop system’s status text (Trạng thái), as a dossier file accepts it, e.g. "Đang xử lý", "Đã trả kết quả"',
    example: 'Đã trả kết quả',
  }),
  channel: z.enum(['direct', 'online', 'postal']).optional().openapi({ description: 'How it was submitted (direct by default)' }),
  handling_unit: z.string().min(1).max(MAX_HANDLING_UNIT_LENGTH).optional().openapi({
    description:
      'The unit that handles it (code or name of one of the organisation’s units, else kept as written); absent: none, as a push replaces the whole dossier',
    example: 'Bộ phận Một cửa',
  }),
  apology: ApologySchema.optional(),
};

const EXAMPLE = { procedure_code: '1.001234', received_at: '2026-11-02T08:15:00+07:00', returned_at: '2026-11-12T15:30:00+07:00', channel: 'online' as const };

/** PUT /dossiers/{code}: the dossier's code is the path's. */
export const DossierBodySchema = z.object(dossierShape).strict().openapi('DossierInput', { description: 'A dossier (its code in the path)', example: EXAMPLE });

export const DossierItemSchema = z
  .object({
    code: z.string().min(1).max(MAX_CODE_LENGTH).openapi({ description: 'The dossier’s code (Mã hồ sơ)', example: 'H12.34-261102-0001' }),
    ...dossierShape,
  })
  .strict()
  .openapi('DossierItem', { description: 'A dossier of a batch', example: { code: 'H12.34-261102-0001', ...EXAMPLE } });

export type DossierInput = z.output<typeof DossierBodySchema>;
export type DossierItem = z.output<typeof DossierItemSchema>;

/** `{ items }`; more than MAX_BATCH_ITEMS items is refused (413) before the items are parsed, not listed as 5,000 errors. */
export const BatchBodySchema = z.preprocess(
  (value) => {
    const items = typeof value === 'object' && value !== null ? (value as { items?: unknown }).items : undefined;
    if (Array.isArray(items) && items.length > MAX_BATCH_ITEMS) throw new ApiProblem('too_many_items', { max: MAX_BATCH_ITEMS, count: items.length });
    return value;
  },
  z
    .object({
      items: z
        .array(DossierItemSchema)
        .min(1)
        .max(MAX_BATCH_ITEMS)
        .openapi({ description: `1 to ${MAX_BATCH_ITEMS} dossiers` }),
    })
    .strict()
    .openapi('DossierBatch'),
);

export const CodeParamsSchema = z.object({
  code: z
    .string()
    .min(1)
    .max(MAX_CODE_LENGTH)
    .openapi({ param: { name: 'code', in: 'path' }, description: 'The dossier’s code (Mã hồ sơ)', example: 'H12.34-261102-0001' }),
});

/** A dossier as stored. */
export const StoredDossierSchema = z
  .object({
    code: z.string(),
    procedure_id: z.number().int(),
    received_on: z.string().openapi({ format: 'date' }),
    received_at: z.string().nullable().openapi({ description: 'The time received (UTC) when a date-time was given' }),
    due_on: z.string().openapi({ format: 'date' }),
    due_computed: z.boolean().openapi({ description: 'Whether the due date was computed from the procedure’s processing days' }),
    returned_on: z.string().nullable().openapi({ format: 'date' }),
    returned_at: z.string().nullable(),
    outcome: z.enum(['returned', 'withdrawn']).nullable(),
    channel: z.enum(['direct', 'online', 'postal']),
    handling_unit: z.string().nullable(),
    unit_id: z.number().int().nullable(),
  })
  .openapi('Dossier');

export const PutResultSchema = z
  .object({ code: z.string(), result: z.enum(['created', 'updated', 'unchanged']), dossier: StoredDossierSchema })
  .openapi('DossierPutResult');

export const BatchResultSchema = z
  .object({
    received: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    import_id: z.number().int().nullable().openapi({ description: 'The push in the import history; null when nothing changed' }),
  })
  .openapi('DossierBatchResult');
