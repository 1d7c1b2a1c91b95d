import { sql, type Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { AuditLogTable } from '../../core/db/schema';

export interface AuditLogFilter {
  entity?: string;
  entityId?: string;
  action?: string;
  userId?: number;
  /** UTC ISO bounds, inclusive from, exclusive to. */
  fromUtc?: string;
  toUtc?: string;
}

/** An audit-log entry with the full name of its user (null when none). */
export type AuditLogRow = Pick<
  Selectable<AuditLogTable>,
  'id' | 'at' | 'user_id' | 'action' | 'entity' | 'entity_id' | 'old_values' | 'new_values' | 'reason'
> & {
  user_name: string | null;
};

/**
 * The organisation's entries (audit_log.organisation_id: the organisation whose data the entry changed), read from
 * the (organisation_id, id) index newest first; the chain's verification reads the whole log (core).
 */
function filtered(db: Db, f: AuditLogFilter) {
  let q = db.selectFrom('audit_log').where('audit_log.organisation_id', '=', organisationOf(db));
  if (f.entity) q = q.where('audit_log.entity', '=', f.entity);
  if (f.entityId) q = q.where('audit_log.entity_id', '=', f.entityId);
  if (f.action) q = q.where('audit_log.action', '=', f.action);
  if (f.userId) q = q.where('audit_log.user_id', '=', f.userId);
  if (f.fromUtc) q = q.where('audit_log.at', '>=', f.fromUtc);
  if (f.toUtc) q = q.where('audit_log.at', '<', f.toUtc);
  return q;
}

export function listAuditLog(db: Db, f: AuditLogFilter, limit: number, offset: number): Promise<AuditLogRow[]> {
  return filtered(db, f)
    .leftJoin('users', 'users.id', 'audit_log.user_id')
    .select([
      'audit_log.id',
      'audit_log.at',
      'audit_log.user_id',
      'users.full_name as user_name',
      'audit_log.action',
      'audit_log.entity',
      'audit_log.entity_id',
      'audit_log.old_values',
      'audit_log.new_values',
      'audit_log.reason',
    ])
    .orderBy('audit_log.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** The count reads the log alone (the user's name is not needed): unfiltered, the (organisation_id, id) index alone. */
export async function countAuditLog(db: Db, f: AuditLogFilter): Promise<number> {
  const row = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listAuditEntities(db: Db): Promise<string[]> {
  return (await db.selectFrom('audit_log').select('entity').where('organisation_id', '=', organisationOf(db)).distinct().orderBy('entity').execute()).map(
    (r) => r.entity,
  );
}

export async function listAuditActions(db: Db): Promise<string[]> {
  return (await db.selectFrom('audit_log').select('action').where('organisation_id', '=', organisationOf(db)).distinct().orderBy('action').execute()).map(
    (r) => r.action,
  );
}

/** What the entries of a page name, by id: people, units, procedures, documents, and each entry's own record. */
export interface AuditRefs {
  users: Map<number, string>;
  units: Map<number, string>;
  procedures: Map<number, string>;
  documents: Map<number, string>;
  /** `${entity}:${entity_id}` → the record's reference (a code, a name) and, for a part of a record, its number. */
  entities: Map<string, { ref: string; no?: string }>;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const dayText = (date: string) => date.replace(ISO_DAY, '$3/$2/$1');

/** Ids of one entity kind among the rows (numeric entity ids only). */
function idsOf(rows: AuditLogRow[], entity: string): number[] {
  const ids = new Set<number>();
  for (const r of rows) if (r.entity === entity && r.entity_id !== null && /^\d+$/.test(r.entity_id)) ids.add(Number(r.entity_id));
  return [...ids];
}

/** Numbers found in the rows' values under the given field names (ids of people, units, …), scalars or lists. */
function valueIds(rows: AuditLogRow[], fields: Set<string>): number[] {
  const ids = new Set<number>();
  const visit = (value: unknown, field: string) => {
    if (typeof value === 'number' && fields.has(field)) ids.add(value);
    else if (Array.isArray(value)) for (const v of value) visit(v, field);
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  for (const r of rows) {
    for (const json of [r.old_values, r.new_values]) {
      if (!json) continue;
      try {
        visit(JSON.parse(json), '');
      } catch {
        // a value that is not JSON names nothing
      }
    }
  }
  return [...ids];
}

/** Fields of an entry's values that hold the id of a user, a unit or a procedure (named, not numbered, on the page). */
export const USER_FIELDS = new Set([
  'owner_id',
  'completed_by',
  'done_by',
  'recorded_by',
  'reported_by',
  'responsible_user_id',
  'lead_auditor_id',
  'created_by',
  'member_ids',
  'chair_id',
  'secretary_id',
  'attendee_ids',
  'assignee_id',
  'answered_by',
  'closed_by',
  'cancelled_by',
]);
export const UNIT_FIELDS = new Set(['unit_id', 'owner_unit_id', 'responsible_unit_id', 'auditee_unit_id', 'unit_ids', 'ack_unit_ids']);
export const PROCEDURE_FIELDS = new Set(['procedure_id', 'procedure_ids']);

/** Everything the entries of one page refer to, in a few queries by id (never the whole tables). */
export async function findAuditRefs(db: Db, rows: AuditLogRow[]): Promise<AuditRefs> {
  // The ids come from the organisation's entries; each lookup is kept to its rows all the same (an entry written
  // outside any organisation's scope goes to the first one), so another organisation's names never show here.
  const org = organisationOf(db);
  const refs: AuditRefs = { users: new Map(), units: new Map(), procedures: new Map(), documents: new Map(), entities: new Map() };
  const put = (entity: string, id: number | string, ref: string, no?: string) => refs.entities.set(`${entity}:${id}`, { ref, no });

  const userIds = [...new Set([...valueIds(rows, USER_FIELDS), ...idsOf(rows, 'user')])];
  if (userIds.length)
    for (const u of await db.selectFrom('users').select(['id', 'full_name']).where('id', 'in', userIds).where('organisation_id', '=', org).execute())
      refs.users.set(u.id, u.full_name);
  const unitIds = [...new Set([...valueIds(rows, UNIT_FIELDS), ...idsOf(rows, 'unit')])];
  if (unitIds.length)
    for (const u of await db.selectFrom('units').select(['id', 'name']).where('id', 'in', unitIds).where('organisation_id', '=', org).execute())
      refs.units.set(u.id, u.name);
  const procedureIds = [...new Set([...valueIds(rows, PROCEDURE_FIELDS), ...idsOf(rows, 'procedure')])];
  if (procedureIds.length) {
    for (const p of await db.selectFrom('procedures').select(['id', 'code']).where('id', 'in', procedureIds).where('organisation_id', '=', org).execute())
      refs.procedures.set(p.id, p.code);
  }
  const documentIds = [...new Set([...valueIds(rows, new Set(['document_id'])), ...idsOf(rows, 'document')])];
  if (documentIds.length) {
    for (const d of await db.selectFrom('documents').select(['id', 'code']).where('id', 'in', documentIds).where('organisation_id', '=', org).execute())
      refs.documents.set(d.id, d.code);
  }

  for (const id of idsOf(rows, 'user')) if (refs.users.has(id)) put('user', id, refs.users.get(id)!);
  for (const id of idsOf(rows, 'unit')) if (refs.units.has(id)) put('unit', id, refs.units.get(id)!);
  for (const id of idsOf(rows, 'procedure')) if (refs.procedures.has(id)) put('procedure', id, refs.procedures.get(id)!);
  for (const id of idsOf(rows, 'document')) if (refs.documents.has(id)) put('document', id, refs.documents.get(id)!);

  const revisions = idsOf(rows, 'document_revision');
  if (revisions.length) {
    const found = await db
      .selectFrom('document_revisions')
      .innerJoin('documents', 'documents.id', 'document_revisions.document_id')
      .select(['document_revisions.id', 'document_revisions.revision_no', 'documents.code'])
      .where('document_revisions.id', 'in', revisions)
      .where('document_revisions.organisation_id', '=', org)
      .execute();
    for (const r of found) put('document_revision', r.id, r.code, String(r.revision_no));
  }
  const ncs = idsOf(rows, 'nonconformity');
  if (ncs.length)
    for (const n of await db.selectFrom('nonconformities').select(['id', 'code']).where('id', 'in', ncs).where('organisation_id', '=', org).execute())
      put('nonconformity', n.id, n.code);
  const actions = idsOf(rows, 'nc_action');
  if (actions.length) {
    const found = await db
      .selectFrom('nc_actions')
      .leftJoin('nonconformities', 'nonconformities.id', 'nc_actions.nonconformity_id')
      .leftJoin('risks', 'risks.id', 'nc_actions.risk_id')
      .leftJoin('management_review_decisions', 'management_review_decisions.id', 'nc_actions.review_decision_id')
      .leftJoin('management_reviews', 'management_reviews.id', 'management_review_decisions.review_id')
      .select(['nc_actions.id', 'nonconformities.code as nc_code', 'risks.code as risk_code', 'management_reviews.code as review_code'])
      .where('nc_actions.id', 'in', actions)
      .where('nc_actions.organisation_id', '=', org)
      .execute();
    // an action's source: its nonconformity, its risk or its management review (one of them)
    for (const a of found) put('nc_action', a.id, a.nc_code ?? a.risk_code ?? a.review_code ?? '', `#${a.id}`);
  }
  const audits = idsOf(rows, 'audit');
  if (audits.length)
    for (const a of await db.selectFrom('audits').select(['id', 'code']).where('id', 'in', audits).where('organisation_id', '=', org).execute())
      put('audit', a.id, a.code);
  const managementReviews = idsOf(rows, 'management_review');
  if (managementReviews.length)
    for (const r of await db
      .selectFrom('management_reviews')
      .select(['id', 'code'])
      .where('id', 'in', managementReviews)
      .where('organisation_id', '=', org)
      .execute())
      put('management_review', r.id, r.code);
  const slips = idsOf(rows, 'apology_slip');
  if (slips.length)
    for (const s of await db.selectFrom('apology_slips').select(['id', 'slip_no']).where('id', 'in', slips).where('organisation_id', '=', org).execute())
      put('apology_slip', s.id, s.slip_no);
  const feedback = idsOf(rows, 'feedback');
  if (feedback.length)
    for (const f of await db.selectFrom('feedback').select(['id', 'code']).where('id', 'in', feedback).where('organisation_id', '=', org).execute())
      put('feedback', f.id, f.code);
  const findings = idsOf(rows, 'audit_finding');
  if (findings.length) {
    const found = await db
      .selectFrom('audit_findings')
      .innerJoin('audits', 'audits.id', 'audit_findings.audit_id')
      .select(['audit_findings.id', 'audit_findings.seq', 'audits.code'])
      .where('audit_findings.id', 'in', findings)
      .where('audit_findings.organisation_id', '=', org)
      .execute();
    for (const f of found) put('audit_finding', f.id, f.code, String(f.seq));
  }
  const items = idsOf(rows, 'audit_checklist_item');
  if (items.length) {
    const found = await db
      .selectFrom('audit_checklist_items')
      .innerJoin('audits', 'audits.id', 'audit_checklist_items.audit_id')
      .select(['audit_checklist_items.id', 'audits.code'])
      .where('audit_checklist_items.id', 'in', items)
      .where('audit_checklist_items.organisation_id', '=', org)
      .execute();
    for (const i of found) put('audit_checklist_item', i.id, i.code);
  }
  const templates = idsOf(rows, 'audit_checklist_template');
  if (templates.length) {
    for (const x of await db
      .selectFrom('audit_checklist_templates')
      .select(['id', 'name'])
      .where('id', 'in', templates)
      .where('organisation_id', '=', org)
      .execute())
      put('audit_checklist_template', x.id, x.name);
  }
  const programmes = idsOf(rows, 'audit_programme');
  if (programmes.length) {
    for (const p of await db.selectFrom('audit_programmes').select(['id', 'year']).where('id', 'in', programmes).where('organisation_id', '=', org).execute())
      put('audit_programme', p.id, String(p.year));
  }
  const programmeItems = idsOf(rows, 'audit_programme_item');
  if (programmeItems.length) {
    for (const p of await db
      .selectFrom('audit_programme_items')
      .select(['id', 'title'])
      .where('id', 'in', programmeItems)
      .where('organisation_id', '=', org)
      .execute())
      put('audit_programme_item', p.id, p.title);
  }
  const holidays = idsOf(rows, 'holiday');
  if (holidays.length) {
    for (const h of await db
      .selectFrom('holidays')
      .select(['id', 'date', 'name'])
      .where('id', 'in', holidays)
      .where(sql<boolean>`(organisation_id is null or organisation_id = ${org})`)
      .execute()) {
      put('holiday', h.id, h.name ? `${dayText(h.date)} (${h.name})` : dayText(h.date));
    }
  }
  const imports = idsOf(rows, 'dossier_import');
  if (imports.length) {
    for (const i of await db.selectFrom('dossier_imports').select(['id', 'file_name']).where('id', 'in', imports).where('organisation_id', '=', org).execute())
      put('dossier_import', i.id, i.file_name);
  }
  const reports = idsOf(rows, 'annual_report');
  if (reports.length)
    for (const r of await db.selectFrom('annual_reports').select(['id', 'year']).where('id', 'in', reports).where('organisation_id', '=', org).execute())
      put('annual_report', r.id, String(r.year));
  const tokens = idsOf(rows, 'api_token');
  if (tokens.length)
    for (const k of await db.selectFrom('api_tokens').select(['id', 'name']).where('id', 'in', tokens).where('organisation_id', '=', org).execute())
      put('api_token', k.id, k.name);
  // A dossier is logged under its id with its code among the old values.
  for (const r of rows) {
    if (r.entity !== 'dossier' || r.entity_id === null) continue;
    try {
      const code = (JSON.parse(r.old_values ?? '{}') as { code?: unknown }).code;
      if (typeof code === 'string') put('dossier', r.entity_id, code);
    } catch {
      // no code to show: the id is shown
    }
  }
  return refs;
}
