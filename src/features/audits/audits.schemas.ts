import { z } from 'zod';
import { isClause } from '../../core/iso/clauses';
import {
  multiValue,
  optionalDate,
  optionalEnum,
  optionalId,
  optionalLongText,
  optionalText,
  requiredDate,
  requiredEnum,
  requiredId,
  requiredInt,
  requiredLongText,
  requiredText,
} from '../../core/http/forms';
import { AUDIT_TYPES, ITEM_RESULTS } from './audits.tables';

/** The forms of the audits feature, one strict schema each. */
const version = () => requiredInt(1, Number.MAX_SAFE_INTEGER);
const idItem = z.preprocess((v) => (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v), z.number().int().positive());
const clauseItem = z.string().max(10).refine(isClause, 'validation.clause');
const optionalClause = () =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().max(10).refine(isClause, 'validation.clause').optional());
const password = () => z.string({ required_error: 'validation.required' }).min(1, 'validation.required').max(128, 'validation.too_long|128');

const scopeFields = {
  procedure_ids: multiValue(idItem, 200),
  unit_ids: multiValue(idItem, 100),
  clauses: multiValue(clauseItem, 80),
};

const auditFields = {
  title: requiredText(300),
  objectives: optionalLongText(4000),
  criteria_other: optionalLongText(2000),
  external_body: optionalText(300),
  auditee_unit_id: optionalId(),
  lead_auditor_id: requiredId(),
  member_ids: multiValue(idItem, 50),
  planned_start: requiredDate(),
  planned_end: requiredDate(),
  ...scopeFields,
};

export const AuditForm = z.object({ type: requiredEnum(AUDIT_TYPES), programme_item_id: optionalId(), ...auditFields }).strict();
export const AuditEditForm = z.object({ ...auditFields, actual_start: optionalDate(), version: version() }).strict();

export const StartForm = z.object({ actual_start: requiredDate(), version: version() }).strict();
export const ReasonForm = z.object({ reason: requiredText(500), version: version() }).strict();
export const VersionForm = z.object({ version: version() }).strict();
export const ConclusionForm = z.object({ conclusion: optionalLongText(8000), version: version() }).strict();
export const IssueForm = z.object({ password: password(), actual_end: requiredDate(), version: version() }).strict();

export const FollowUpForm = z
  .object({
    title: requiredText(300),
    objectives: optionalLongText(4000),
    planned_start: requiredDate(),
    planned_end: requiredDate(),
    lead_auditor_id: requiredId(),
    member_ids: multiValue(idItem, 50),
  })
  .strict();

export const ItemAddForm = z.object({ question: requiredLongText(2000), clause: optionalClause(), procedure_id: optionalId() }).strict();
export const ItemForm = z
  .object({
    question: requiredLongText(2000),
    clause: optionalClause(),
    procedure_id: optionalId(),
    result: optionalEnum(ITEM_RESULTS),
    evidence: optionalLongText(4000),
    statement: optionalLongText(4000),
    found_on: optionalDate(),
    version: version(),
  })
  .strict();
export const TemplateApplyForm = z.object({ template_id: requiredId() }).strict();

export const ProgrammeCreateForm = z.object({ year: requiredInt(2000, 2100), objectives: optionalLongText(4000) }).strict();
export const ProgrammeEditForm = z.object({ objectives: optionalLongText(4000), version: version() }).strict();
export const ProgrammeItemForm = z
  .object({
    title: requiredText(300),
    month: requiredInt(1, 12),
    audit_type: requiredEnum(AUDIT_TYPES),
    notes: optionalLongText(2000),
    ...scopeFields,
  })
  .strict();
export const ProgrammeItemEditForm = ProgrammeItemForm.extend({ version: version() });
export const ApproveForm = z.object({ password: password(), version: version() }).strict();

export const TemplateForm = z
  .object({
    name: requiredText(200),
    description: optionalLongText(2000),
    questions: requiredLongText(20000),
  })
  .strict();
export const TemplateEditForm = TemplateForm.extend({ version: version() });
/** Forms that are only a button: any field is refused. */
export const ButtonForm = z.object({}).strict();

/** The auditee's acknowledgement of an issued report: in whose name and position, and a note. */
export const AckForm = z.object({ ack_name: requiredText(300), ack_note: optionalLongText(2000), version: version() }).strict();
