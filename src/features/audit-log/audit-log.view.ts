import { catalogs, translate, type Lang } from '../../core/i18n';
import { LEGACY_VALUES } from '../../core/i18n/glossary';
import { formatDate, formatDateTime, formatNumber } from '../../core/views/format';
import { PROCEDURE_FIELDS, UNIT_FIELDS, USER_FIELDS, type AuditLogRow, type AuditRefs } from './audit-log.queries';

/**
 * An audit-log entry as the interface shows it: one sentence ("Trần Quốc Huy đã phê duyệt lần ban hành 3 của tài
 * liệu QT-BTXH-01 lúc 14:05 05/12/2026") and its field changes as "Trường: cũ → mới", with field names and values
 * translated, dates as dd/MM/yyyy and people, units, procedures and documents by name or code — never raw JSON or
 * keys. The stored entry is not changed (the log is append-only): values of an older vocabulary (`preventive`) are
 * shown with the label of the value that replaced them.
 */
export interface EntryView {
  id: number;
  sentence: string;
  changes: string[];
  reason: string | null;
}

/** Fields that identify or seal rather than describe (ids, hashes, signatures): not listed among the changes. */
const HIDDEN = new Set([
  'id',
  'ids',
  'sha256',
  'file_sha256',
  'signature',
  'body',
  'version',
  'nonconformity_id',
  'revision_id',
  'programme_item_id',
  'verification_id',
  'follow_up_of',
  'repeat_of_id',
  'because_of',
  'review',
]);

/** Where an enumerated value's label lives, by field and, where it differs, by entity. */
const VALUE_PREFIXES: Record<string, Record<string, string> | string> = {
  status: {
    nonconformity: 'nonconformities.status.',
    document_revision: 'documents.status.',
    document: 'documents.doc_status.',
    audit: 'audits.status.',
    audit_programme_item: 'audits.status.',
    nc_action: 'actions.status.',
    audit_programme: 'audits.programme.status.',
    annual_report: 'reports.annual.status.',
    qms_declaration: 'declarations.status.',
    risk: 'risks.status.',
    quality_objective: 'objectives.objective_status.',
    objective_set: 'objectives.set.status.',
    management_review: 'reviews.status.',
    apology_slip: 'apologies.status.',
    feedback: 'feedback.status.',
  },
  indicator: { quality_objective: 'objectives.indicator.' },
  comparison: { quality_objective: 'objectives.comparison.' },
  frequency: { quality_objective: 'objectives.frequency.' },
  period: { objective_reading: 'objectives.period.' },
  type: { nc_action: 'actions.type.', audit: 'audits.type.', document: 'documents.type.' },
  audit_type: 'audits.type.',
  role: 'role.',
  severity: 'nonconformities.severity.',
  grade: 'audits.result.',
  result: 'audits.result.',
  online_level: 'procedures.online.',
  source: 'nonconformities.source.',
  cause_category: 'nonconformities.cause.',
  ack_scope: 'documents.ack_scope.',
  kind: {
    holiday: 'holidays.kind.',
    nc_action: 'actions.kind.',
    procedure: 'procedures.kind.',
    qms_declaration: 'declarations.kind.',
    risk: 'risks.kind.',
    management_review: 'reviews.decision.kind.',
    feedback: 'feedback.kind.',
  },
  treatment: { risk: 'risks.treatment.' },
  level: { risk: 'risks.level.' },
  residual_level: { risk: 'risks.level.' },
  effectiveness: { risk: 'risks.effectiveness.' },
  // '*': every other entity's (a dossier's, written under several entity names)
  channel: { feedback: 'feedback.channel.', '*': 'dossiers.channel.' },
  outcome: { feedback: 'feedback.outcome.', '*': 'dossiers.outcome.' },
};

/** Fields holding the id of a document (those of users, units and procedures: audit-log.queries.ts). */
const DOCUMENT_FIELDS = new Set(['document_id']);

/** Numbers that are names rather than quantities: a year is 2026, not 2.026. */
const PLAIN_NUMBERS = new Set(['year', 'month', 'seq', 'revision_no', 'by_revision']);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const MAX_TEXT = 300;

interface Ctx {
  lang: Lang;
  timeZone: string;
  refs: AuditRefs;
  entity: string;
}

const t = (c: Ctx, key: string, params?: Record<string, unknown>) => translate(c.lang, key, params);
const has = (c: Ctx, key: string) => key in catalogs[c.lang] || key in catalogs.vi;

function fieldLabel(c: Ctx, path: string[]): string {
  const one = (p: string) => {
    for (const key of [`audit_log.field.${c.entity}.${p}`, `audit_log.field.${p}`]) if (has(c, key)) return t(c, key);
    return t(c, 'audit_log.other_field');
  };
  return path.map(one).join(' › ');
}

function enumLabel(c: Ctx, field: string, value: string): string | undefined {
  const spec = VALUE_PREFIXES[field];
  const prefix = typeof spec === 'string' ? spec : (spec?.[c.entity] ?? spec?.['*']);
  if (!prefix) return undefined;
  const current = LEGACY_VALUES[value] ?? value;
  return has(c, prefix + current) ? t(c, prefix + current) : undefined;
}

function idLabel(c: Ctx, field: string, id: number): string | undefined {
  if (USER_FIELDS.has(field)) return c.refs.users.get(id);
  if (UNIT_FIELDS.has(field)) return c.refs.units.get(id);
  if (PROCEDURE_FIELDS.has(field)) return c.refs.procedures.get(id);
  if (DOCUMENT_FIELDS.has(field)) return c.refs.documents.get(id);
  return undefined;
}

function clip(c: Ctx, text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT)}${t(c, 'audit_log.more', { n: formatNumber(text.length - MAX_TEXT, c.lang) })}`;
}

/** One value in words: translated label, name of what an id points to, formatted date or number, or the text. */
export function valueText(c: Ctx, field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return t(c, 'audit_log.empty_value');
  if (typeof value === 'boolean') return t(c, value ? 'form.yes' : 'form.no');
  if (typeof value === 'number') return idLabel(c, field, value) ?? (PLAIN_NUMBERS.has(field) ? String(value) : formatNumber(value, c.lang));
  if (Array.isArray(value)) {
    if (value.some((v) => typeof v === 'object' && v !== null)) return t(c, 'audit_log.items', { n: formatNumber(value.length, c.lang) });
    return value.length === 0 ? t(c, 'audit_log.empty_value') : value.map((v) => valueText(c, field, v)).join(', ');
  }
  if (typeof value === 'object') return t(c, 'audit_log.items', { n: formatNumber(Object.keys(value).length, c.lang) });
  const text = String(value);
  if (ISO_DATE.test(text)) return formatDate(text, c.timeZone);
  if (ISO_INSTANT.test(text)) return formatDateTime(text, c.timeZone);
  const label = enumLabel(c, field, text);
  if (label !== undefined) return label;
  // A stored catalog key (a checklist question written from a template) is shown in the reader's language.
  if (/^[a-z_]+(\.[a-z_]+)+$/.test(text) && has(c, text)) return t(c, text);
  // A JSON list kept as text (the five whys): counted, not dumped.
  if (/^\s*[[{]/.test(text)) {
    try {
      return valueText(c, field, JSON.parse(text) as unknown);
    } catch {
      // not JSON after all: shown as text
    }
  }
  return clip(c, text);
}

/** Flattens nested objects into dotted paths (narratives.procedures), keeping arrays and scalars as values. */
function flatten(value: unknown, path: string[] = [], out = new Map<string, { path: string[]; value: unknown }>()) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (HIDDEN.has(k)) continue;
      flatten(v, [...path, k], out);
    }
  } else if (path.length > 0) {
    out.set(path.join('.'), { path, value });
  }
  return out;
}

function parse(json: string | null): unknown {
  if (json === null) return undefined;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}

/** "Field: old → new" for each field that changed, "Field: value" for a field only set. */
export function changesOf(c: Ctx, oldJson: string | null, newJson: string | null): string[] {
  const before = flatten(parse(oldJson));
  const after = flatten(parse(newJson));
  const out: string[] = [];
  for (const [key, { path, value }] of after) {
    const field = path[path.length - 1];
    const label = fieldLabel(c, path);
    if (before.has(key)) {
      const old = before.get(key)!.value;
      if (JSON.stringify(old) === JSON.stringify(value)) continue;
      out.push(t(c, 'audit_log.change', { field: label, old: valueText(c, field, old), new: valueText(c, field, value) }));
    } else {
      out.push(t(c, 'audit_log.set', { field: label, new: valueText(c, field, value) }));
    }
  }
  for (const [key, { path, value }] of before) {
    if (after.has(key)) continue;
    const field = path[path.length - 1];
    out.push(t(c, 'audit_log.change', { field: fieldLabel(c, path), old: valueText(c, field, value), new: t(c, 'audit_log.empty_value') }));
  }
  return out;
}

function verbOf(c: Ctx, action: string): string {
  const base = action.split(':')[0];
  for (const key of [`audit_log.verb.${c.entity}.${action}`, `audit_log.verb.${action}`, `audit_log.verb.${base}`]) if (has(c, key)) return t(c, key);
  return t(c, 'audit_log.verb.other');
}

function objectOf(c: Ctx, row: AuditLogRow): string | null {
  if (row.entity === 'session') return null;
  const ref = c.refs.entities.get(`${row.entity}:${row.entity_id}`);
  if (!ref && row.entity_id !== null) {
    // The record is not found (or not looked up): named by its kind and id, "hành động #12".
    const what = has(c, `audit_log.entity.${row.entity}`)
      ? t(c, `audit_log.entity.${row.entity}`).toLocaleLowerCase(c.lang)
      : t(c, 'audit_log.object.other', { ref: '' }).trim();
    return t(c, 'audit_log.object_missing', { what, id: row.entity_id });
  }
  const key = has(c, `audit_log.object.${row.entity}`) ? `audit_log.object.${row.entity}` : 'audit_log.object.other';
  return t(c, key, { ref: ref?.ref ?? '', no: ref?.no ?? '' }).trim();
}

export function describeEntry(row: AuditLogRow, refs: AuditRefs, lang: Lang, timeZone: string): EntryView {
  const c: Ctx = { lang, timeZone, refs, entity: row.entity };
  const who = row.user_name ?? t(c, 'audit_log.system');
  const [date, time] = formatDateTime(row.at, timeZone).split(' ');
  const when = t(c, 'audit_log.time', { date, time });
  const object = objectOf(c, row);
  const verb = verbOf(c, row.action);
  const sentence = object ? t(c, 'audit_log.sentence', { who, verb, object, time: when }) : t(c, 'audit_log.sentence_no_object', { who, verb, time: when });
  return { id: row.id, sentence, changes: changesOf(c, row.old_values, row.new_values), reason: row.reason };
}

/** The label of an entity kind or an action for the filters (the stored value when no label exists). */
export function entityLabel(lang: Lang, entity: string): string {
  const key = `audit_log.entity.${entity}`;
  return key in catalogs[lang] ? translate(lang, key) : translate(lang, 'audit_log.object.other', { ref: '' }).trim();
}

export function actionLabel(lang: Lang, action: string): string {
  const base = action.split(':')[0];
  for (const key of [`audit_log.verb.${action}`, `audit_log.verb.${base}`]) if (key in catalogs[lang]) return translate(lang, key);
  return translate(lang, 'audit_log.verb.other');
}
