import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { record } from '../../core/audit-log/audit-log';
import { todayLocal } from '../../core/calendar';
import { Conflict, NotFound } from '../../core/http/errors';
import { findProgrammeItem } from './audits.programme.queries';
import { findAudit, findAuditScope, insertAudit, nextAuditNumber, replaceAuditScope, updateAudit, type AuditRow, type AuditScope } from './audits.queries';
import { findingRef, listUnlinkedNcFindings } from './audits.checklist.queries';
import { assertMayRecord } from './audits.independence';
import type { AuditType } from './audits.tables';
import { AuditFieldError, validateAuditInput, type AuditInput } from './audits.validate';

/**
 * The life of an audit: planned → in_progress → reported → closed, or cancelled with a reason.
 * Codes are gap-free per year and series: ĐGNB-YYYY-NN for internal audits, ĐGBN-YYYY-NN for external ones
 * (certification, surveillance), KT-YYYY-NN for the Sở KH&CN's inspections.
 */
export const codePrefix = (type: AuditType) => (type === 'internal' ? 'ĐGNB' : type === 'inspection' ? 'KT' : 'ĐGBN');
export const EDITABLE: readonly string[] = ['planned', 'in_progress'];

/** The time zone of the organisation the query works for (its local dates: fieldwork, findings, cancellation). */
export async function timeZoneOf(db: Db, fallback: string): Promise<string> {
  const org = await db.selectFrom('organisation').select('time_zone').where('id', '=', organisationOf(db)).executeTakeFirst();
  return org?.time_zone ?? fallback;
}

const snapshot = (a: Pick<AuditInput, keyof AuditInput>) => ({
  type: a.type,
  title: a.title,
  objectives: a.objectives,
  criteria_other: a.criteria_other,
  external_body: a.external_body,
  auditee_unit_id: a.auditee_unit_id,
  lead_auditor_id: a.lead_auditor_id,
  planned_start: a.planned_start,
  planned_end: a.planned_end,
  actual_start: a.actual_start,
  actual_end: a.actual_end,
  procedure_ids: a.scope.procedureIds,
  unit_ids: a.scope.unitIds,
  clauses: a.scope.clauses,
  member_ids: a.scope.memberIds,
});

export interface CreateOptions {
  programmeItemId?: number | null;
  followUpOf?: number | null;
}

/** Creates an audit inside the caller's transaction: number, record, scope, audit-log entry. */
export async function createAuditIn(trx: Db, raw: AuditInput, options: CreateOptions, actorId: number | null, at: Date): Promise<{ id: number; code: string }> {
  const input = await validateAuditInput(trx, raw);
  if (options.programmeItemId) {
    const item = await findProgrammeItem(trx, options.programmeItemId);
    if (!item || item.status !== 'planned') throw new AuditFieldError('_form', 'audits.programme.item_unavailable');
    if (item.programme_status !== 'approved') throw new AuditFieldError('_form', 'audits.programme.not_approved');
  }
  const prefix = codePrefix(input.type);
  const year = Number(input.planned_start.slice(0, 4));
  const seq = await nextAuditNumber(trx, prefix, year);
  const code = `${prefix}-${year}-${String(seq).padStart(2, '0')}`;
  const { scope, ...values } = input;
  const id = await insertAudit(
    trx,
    { ...values, code, year, seq, programme_item_id: options.programmeItemId ?? null, follow_up_of: options.followUpOf ?? null, created_by: actorId },
    at.toISOString(),
  );
  await replaceAuditScope(trx, id, scope);
  await record(
    trx,
    {
      userId: actorId,
      action: 'create',
      entity: 'audit',
      entityId: id,
      new: { code, ...snapshot(input), programme_item_id: options.programmeItemId ?? null, follow_up_of: options.followUpOf ?? null },
    },
    at,
  );
  return { id, code };
}

export async function createAudit(ctx: AppContext, input: AuditInput, options: CreateOptions, actorId: number): Promise<{ id: number; code: string }> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute((trx) => createAuditIn(trx, input, options, actorId, at));
}

async function loadEditable(trx: Db, id: number): Promise<AuditRow> {
  const audit = await findAudit(trx, id);
  if (!audit) throw new NotFound();
  if (!EDITABLE.includes(audit.status)) throw new Conflict('audits.not_editable');
  return audit;
}

/** Edits details, scope and team while the audit is planned or in progress. The type (and so the code) stays. */
export async function editAudit(ctx: AppContext, id: number, raw: Omit<AuditInput, 'type'>, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  const today = todayLocal(at, await timeZoneOf(ctx.db, ctx.config.timeZone));
  await ctx.db.transaction().execute(async (trx) => {
    const before = await loadEditable(trx, id);
    const previous = await findAuditScope(trx, id);
    if (before.status === 'planned' && (raw.actual_start || raw.actual_end)) throw new AuditFieldError('actual_start', 'audits.not_started');
    if (before.status === 'in_progress' && !raw.actual_start) throw new AuditFieldError('actual_start', 'validation.required');
    if (raw.actual_start && raw.actual_start > today) throw new AuditFieldError('actual_start', 'audits.date_in_future');
    const input = await validateAuditInput(trx, { ...raw, actual_end: before.actual_end, type: before.type }, previous);
    const { scope, type: _type, ...values } = input;
    if (!(await updateAudit(trx, id, values, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await replaceAuditScope(trx, id, scope);
    const old = snapshot({ ...before, scope: previous });
    await record(trx, { userId: actorId, action: 'update', entity: 'audit', entityId: id, old, new: snapshot(input) }, at);
  });
}

/** Fieldwork begins: planned → in_progress, with the first day of fieldwork (not in the future). */
export async function startAudit(ctx: AppContext, id: number, actualStart: string, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  const today = todayLocal(at, await timeZoneOf(ctx.db, ctx.config.timeZone));
  if (actualStart > today) throw new AuditFieldError('actual_start', 'audits.date_in_future');
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findAudit(trx, id);
    if (!before) throw new NotFound();
    if (before.status !== 'planned') throw new Conflict('audits.wrong_status');
    if (!(await updateAudit(trx, id, { status: 'in_progress', actual_start: actualStart }, version, at.toISOString())))
      throw new Conflict('error.edit_conflict');
    await record(
      trx,
      {
        userId: actorId,
        action: 'start',
        entity: 'audit',
        entityId: id,
        old: { status: before.status },
        new: { status: 'in_progress', actual_start: actualStart },
      },
      at,
    );
  });
}

export async function cancelAudit(ctx: AppContext, id: number, reason: string, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await loadEditable(trx, id);
    const cancelledOn = todayLocal(at, await timeZoneOf(trx, ctx.config.timeZone));
    const changes = { status: 'cancelled' as const, cancel_reason: reason, cancelled_on: cancelledOn };
    if (!(await updateAudit(trx, id, changes, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      {
        userId: actorId,
        action: 'cancel',
        entity: 'audit',
        entityId: id,
        old: { status: before.status },
        new: { status: 'cancelled', cancelled_on: cancelledOn },
        reason,
      },
      at,
    );
  });
}

/** The draft conclusion of the report, while the audit is in progress. */
export async function saveConclusion(ctx: AppContext, id: number, conclusion: string, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findAudit(trx, id);
    if (!before) throw new NotFound();
    if (before.status !== 'in_progress') throw new Conflict('audits.wrong_status');
    await assertMayRecord(trx, before, actorId, { kind: 'audit' });
    if (!(await updateAudit(trx, id, { conclusion }, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      { userId: actorId, action: 'update_conclusion', entity: 'audit', entityId: id, old: { conclusion: before.conclusion }, new: { conclusion } },
      at,
    );
  });
}

export interface GateProblem {
  key: string;
  params?: Record<string, string | number>;
}

/** Why an audit cannot be closed yet: the report must be issued and every NC finding linked to a nonconformity. */
export async function closingGate(db: Db, audit: AuditRow): Promise<GateProblem[]> {
  const problems: GateProblem[] = [];
  if (!audit.report_issued_at || audit.status !== 'reported') problems.push({ key: 'audits.gate.report_not_issued' });
  const unlinked = await listUnlinkedNcFindings(db, audit.id);
  if (unlinked.length) problems.push({ key: 'audits.gate.unlinked_findings', params: { findings: unlinked.map((f) => findingRef(f.seq)).join(', ') } });
  return problems;
}

export class GateClosed extends Error {
  constructor(readonly problems: GateProblem[]) {
    super('audit cannot be closed');
  }
}

export async function closeAudit(ctx: AppContext, id: number, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findAudit(trx, id);
    if (!before) throw new NotFound();
    if (before.status === 'closed' || before.status === 'cancelled') throw new Conflict('audits.wrong_status');
    const problems = await closingGate(trx, before);
    if (problems.length) throw new GateClosed(problems);
    if (!(await updateAudit(trx, id, { status: 'closed', closed_at: at.toISOString() }, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(trx, { userId: actorId, action: 'close', entity: 'audit', entityId: id, old: { status: before.status }, new: { status: 'closed' } }, at);
  });
}

export type { AuditScope };
