import type { PreviousFinding } from './audits.library.queries';
import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import { todayLocal } from '../../core/calendar';
import { clauseOptions, clauseTitle } from '../../core/iso/clauses';
import { translate, type Lang } from '../../core/i18n';
import { findOrganisation } from '../organisation/organisation.queries';
import { isNotApplicable, parseNotApplicable } from './audits.coverage';
import { listSignatures } from '../../core/security/signatures.queries';
import { listUnitOptions } from '../units/units.queries';
import { countChecklist, listFindings } from './audits.checklist.queries';
import { sortClauses } from './audits.checklist.build';
import { findingsToFollowUp } from './audits.followup.service';
import { describeConflicts, independenceConflicts } from './audits.independence';
import { listActiveProcedures, listProceduresByIds } from './audits.links.queries';
import { findAuditScope, listAuditProcedures, listAuditTeam, listAuditUnits, type AuditRow } from './audits.queries';
import { closingGate, EDITABLE, timeZoneOf } from './audits.service';
import { recordingLocals } from './audits.recording.view';
import { AUDIT_TYPES, FINDING_GRADES } from './audits.tables';
import { auditorWarnings } from '../competence/competence.planning';
import { listPeopleOptions } from '../competence/competence.queries';
import { proposedAuditors } from './audits.planning';
import { isIsoDate } from '../../core/calendar';

/** Locals shared by the audit pages: options for the pickers, the independence notes, the show page. */
export const typeOptions = AUDIT_TYPES.map((value) => ({ value }));

/** Ids from a submitted multi-value field (a string, an array or nothing). */
export function idsOf(value: unknown): number[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null || value === '' ? [] : [value];
  return list.map((v) => Number(v)).filter((n) => Number.isSafeInteger(n) && n > 0);
}

export const canEditAudits = (req: Request) => req.user?.role === 'admin' || req.user?.role === 'quality_officer';

export async function today(ctx: AppContext): Promise<string> {
  return todayLocal(ctx.clock.now(), await timeZoneOf(ctx.db, ctx.config.timeZone));
}

/** Options for the audit and programme forms, keeping retired procedures and inactive users that are already chosen. */
export async function scopeOptions(ctx: AppContext, lang: Lang, chosen: { procedureIds: number[] }) {
  const active = await listActiveProcedures(ctx.db);
  const extra = (await listProceduresByIds(ctx.db, chosen.procedureIds)).filter((p) => !active.some((a) => a.id === p.id));
  const notApplicable = parseNotApplicable((await findOrganisation(ctx.db))?.not_applicable_clauses);
  const na = translate(lang, 'audits.coverage.na');
  return {
    procedureOptions: [...active, ...extra].map((p) => ({ value: p.id, label: `${p.code} — ${p.title}`, code: p.code })),
    unitOptions: await listUnitOptions(ctx.db),
    clauseOptions: clauseOptions(lang).map((c) => (isNotApplicable(c.value, notApplicable) ? { ...c, label: `${c.label} (${na})` } : c)),
    typeOptions,
  };
}

export async function auditFormLocals(ctx: AppContext, lang: Lang, values: Record<string, unknown>) {
  const procedureIds = idsOf(values.procedure_ids);
  const memberIds = idsOf(values.member_ids);
  const leadId = Number(values.lead_auditor_id) || 0;
  const users = await listPeopleOptions(ctx.db);
  const keep = (u: { id: number; active: number }) => u.active === 1 || memberIds.includes(u.id) || u.id === leadId;
  const conflicts = await independenceConflicts(
    ctx.db,
    users.map((u) => u.id),
    procedureIds,
  );
  const independence = users
    .filter((u) => keep(u) && conflicts.has(u.id))
    .map((u) => ({ id: u.id, name: u.full_name, reasons: describeConflicts(conflicts.get(u.id)!) }));
  const label = (u: (typeof users)[number]) => `${u.full_name}${u.unit_code ? ` (${u.unit_code})` : ''}`;
  return {
    ...(await scopeOptions(ctx, lang, { procedureIds })),
    leadOptions: users.filter((u) => keep(u) && u.role !== 'staff' && u.role !== 'inspector').map((u) => ({ value: u.id, label: label(u) })),
    memberOptions: users.filter(keep).map((u) => ({ value: u.id, label: label(u), notIndependent: conflicts.has(u.id) })),
    independence,
    ...(await competenceLocals(ctx, values, { procedureIds, memberIds, leadId })),
  };
}

/** Competence at planning (competence.planning.ts): the auditors to propose, and warnings about the team chosen. */
async function competenceLocals(ctx: AppContext, values: Record<string, unknown>, team: { procedureIds: number[]; memberIds: number[]; leadId: number }) {
  const clauses = (Array.isArray(values.clauses) ? values.clauses : values.clauses ? [values.clauses] : []).map(String);
  const onDate = isIsoDate(values.planned_start) ? String(values.planned_start) : await today(ctx);
  // an external body's auditors are not the organisation's people: nothing to propose or warn about
  if (values.type !== undefined && values.type !== 'internal') return { proposedAuditors: [], competenceWarnings: [], internal: false };
  return {
    internal: true,
    proposedAuditors: await proposedAuditors(ctx.db, { procedureIds: team.procedureIds, clauses, onDate }),
    competenceWarnings: await auditorWarnings(ctx.db, { leadId: team.leadId || null, memberIds: team.memberIds, clauses, onDate }),
  };
}

/** Form values of an existing audit. */
export async function auditValues(ctx: AppContext, audit: AuditRow) {
  const scope = await findAuditScope(ctx.db, audit.id);
  return {
    ...audit,
    objectives: audit.objectives,
    procedure_ids: scope.procedureIds,
    unit_ids: scope.unitIds,
    clauses: scope.clauses,
    member_ids: scope.memberIds,
  };
}

export const gradeSummary = (findings: { grade: string }[]) => FINDING_GRADES.map((grade) => ({ grade, n: findings.filter((f) => f.grade === grade).length }));

/** Everything the audit page (and the forms on it) shows. */
export async function showLocals(ctx: AppContext, req: Request, audit: AuditRow) {
  const lang = req.lang;
  const [procedures, units, team, scope, checklist, findings, signatures] = await Promise.all([
    listAuditProcedures(ctx.db, audit.id),
    listAuditUnits(ctx.db, audit.id),
    listAuditTeam(ctx.db, audit.id),
    findAuditScope(ctx.db, audit.id),
    countChecklist(ctx.db, audit.id),
    listFindings(ctx.db, audit.id),
    listSignatures(ctx.db, 'audit', audit.id),
  ]);
  const followUp = audit.status === 'reported' || audit.status === 'closed' ? await findingsToFollowUp(ctx.db, audit.id) : [];
  const canEdit = canEditAudits(req);
  return {
    pageTitle: 'audits.title',
    audit,
    badge: statusBadge(audit.status),
    procedures,
    units,
    team,
    clauses: sortClauses(scope.clauses).map((c) => ({ clause: c, title: clauseTitle(c, lang) })),
    checklist,
    findings: findings.map((f) => ({ ...f, badge: resultBadge(f.grade) })),
    grades: gradeSummary(findings).map((g) => ({ ...g, badge: resultBadge(g.grade) })),
    signatures,
    gate: audit.status === 'closed' || audit.status === 'cancelled' ? [] : await closingGate(ctx.db, audit),
    followUpCount: followUp.length,
    canEdit,
    editable: EDITABLE.includes(audit.status),
    isLead: req.user?.id === audit.lead_auditor_id,
    ...(await recordingLocals(ctx, req, audit)),
    today: await today(ctx),
    competenceWarnings:
      audit.type !== 'internal' || audit.status === 'cancelled'
        ? []
        : await auditorWarnings(ctx.db, { leadId: audit.lead_auditor_id, memberIds: scope.memberIds, clauses: scope.clauses, onDate: audit.planned_start }),
    errors: {},
    values: {},
  };
}

/** Badges never rely on colour alone: each has its symbol and its words. */
const STATUS_BADGES: Record<string, { cls: string; sym: string }> = {
  planned: { cls: 'badge-info', sym: '○' },
  in_progress: { cls: 'badge-warn', sym: '◐' },
  reported: { cls: 'badge-info', sym: '●' },
  closed: { cls: 'badge-ok', sym: '✓' },
  cancelled: { cls: 'badge-muted', sym: '✕' },
};
const RESULT_BADGES: Record<string, { cls: string; sym: string }> = {
  conform: { cls: 'badge-ok', sym: '✓' },
  major_nc: { cls: 'badge-bad', sym: '‼' },
  minor_nc: { cls: 'badge-bad', sym: '!' },
  observation: { cls: 'badge-warn', sym: '◆' },
  ofi: { cls: 'badge-info', sym: '↗' },
  not_applicable: { cls: 'badge-muted', sym: '–' },
};
export const statusBadge = (status: string) => STATUS_BADGES[status] ?? { cls: 'badge-muted', sym: '' };
export const resultBadge = (result: string | null) => (result ? (RESULT_BADGES[result] ?? { cls: 'badge-muted', sym: '' }) : { cls: 'badge-muted', sym: '?' });

/** Last time's result beside a question copied from the previous audit, with its badge (checklist, item and phone pages). */
export const previousWithBadge = (p: PreviousFinding | undefined) => p && { ...p, badge: resultBadge(p.grade) };
