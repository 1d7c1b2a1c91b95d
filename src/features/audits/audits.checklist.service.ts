import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { record } from '../../core/audit-log/audit-log';
import { todayLocal } from '../../core/calendar';
import { Conflict, NotFound } from '../../core/http/errors';
import { createNonconformityIn } from '../nonconformities/nonconformities.service';
import {
  findChecklistItem,
  findFindingByItem,
  insertChecklistItems,
  insertEvidenceFile,
  insertFinding,
  listChecklistItems,
  updateChecklistItem,
  updateFinding,
  type FindingRow,
  type NewChecklistItem,
} from './audits.checklist.queries';
import { assertMayRecord, itemTarget } from './audits.independence';
import { findAudit, findAuditScope, type AuditRow } from './audits.queries';
import { listProceduresByIds } from './audits.links.queries';
import { EDITABLE, timeZoneOf } from './audits.service';
import { FINDING_GRADES, type FindingGrade, type ItemResult } from './audits.tables';
import { AuditFieldError } from './audits.validate';

/**
 * The checklist and its findings. Saving an item whose result is a finding grade creates (or updates) the
 * item's one finding; a major or minor NC finding raises exactly one nonconformity in the register, in the
 * same transaction, and keeps the link. Saving it again never raises another.
 */
const NC_GRADES: readonly FindingGrade[] = ['major_nc', 'minor_nc'];
export const isFindingGrade = (r: ItemResult | null): r is FindingGrade => r !== null && (FINDING_GRADES as readonly string[]).includes(r);

export async function loadEditable(trx: Db, auditId: number): Promise<AuditRow> {
  const audit = await findAudit(trx, auditId);
  if (!audit) throw new NotFound();
  if (!EDITABLE.includes(audit.status)) throw new Conflict('audits.not_editable');
  return audit;
}

/** Adds checklist items (from the scope, a template or by hand) with one audit-log entry. */
export async function addChecklistItems(ctx: AppContext, auditId: number, items: NewChecklistItem[], how: string, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    await loadEditable(trx, auditId);
    const existing = await listChecklistItems(trx, auditId);
    const seen = new Set(existing.map((i) => `${i.procedure_id ?? ''}|${i.clause ?? ''}|${i.question}`));
    const fresh = items.filter((i) => {
      const key = `${i.procedure_id ?? ''}|${i.clause ?? ''}|${i.question}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const ids = await insertChecklistItems(trx, auditId, fresh, at.toISOString());
    if (ids.length) await record(trx, { userId: actorId, action: `checklist_${how}`, entity: 'audit', entityId: auditId, new: { items: ids.length, ids } }, at);
    return ids.length;
  });
}

export interface ItemInput {
  question: string;
  clause: string | null;
  procedure_id: number | null;
  result: ItemResult | null;
  evidence: string;
  statement: string;
  found_on: string | null;
}

/** Saves one checklist item and what follows from its result (finding, nonconformity). */
export async function saveChecklistItem(ctx: AppContext, auditId: number, itemId: number, input: ItemInput, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  const today = todayLocal(at, await timeZoneOf(ctx.db, ctx.config.timeZone));
  await ctx.db.transaction().execute(async (trx) => {
    const audit = await loadEditable(trx, auditId);
    const item = await findChecklistItem(trx, auditId, itemId);
    if (!item) throw new NotFound();
    if (input.result !== null && audit.status !== 'in_progress') throw new AuditFieldError('_form', 'audits.checklist.not_started');
    if (
      input.procedure_id !== null &&
      input.procedure_id !== item.procedure_id &&
      !(await findAuditScope(trx, auditId)).procedureIds.includes(input.procedure_id)
    ) {
      throw new AuditFieldError('procedure_id', 'audits.checklist.procedure_not_in_scope');
    }
    // Independence at recording: for the item's procedure and the one it is moved to, before anything is written.
    await assertMayRecord(trx, audit, actorId, itemTarget(item.procedure_id, input.procedure_id));
    const finding = await findFindingByItem(trx, itemId);
    if (finding?.nonconformity_id && input.result !== finding.grade) {
      throw new AuditFieldError('result', 'audits.finding.grade_locked', { nc: finding.nonconformity_code ?? String(finding.nonconformity_id) });
    }
    const grade = isFindingGrade(input.result) ? input.result : null;
    if (grade && input.statement === '') throw new AuditFieldError('statement', 'audits.finding.statement_required');
    let foundOn: string | null = null;
    if (input.result !== null) {
      foundOn = input.found_on ?? item.found_on ?? today;
      if (foundOn > today) throw new AuditFieldError('found_on', 'audits.date_in_future');
      if (audit.actual_start && foundOn < audit.actual_start) throw new AuditFieldError('found_on', 'audits.found_before_start');
    }
    const assessed = input.result !== null && (input.result !== item.result || item.assessed_at === null);
    const changes = {
      ...input,
      found_on: foundOn,
      assessed_by: input.result === null ? null : assessed ? actorId : item.assessed_by,
      assessed_at: input.result === null ? null : assessed ? at.toISOString() : item.assessed_at,
    };
    if (!(await updateChecklistItem(trx, itemId, changes, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    const old = {
      question: item.question,
      clause: item.clause,
      procedure_id: item.procedure_id,
      result: item.result,
      evidence: item.evidence,
      statement: item.statement,
      found_on: item.found_on,
    };
    await record(trx, { userId: actorId, action: 'update', entity: 'audit_checklist_item', entityId: itemId, old, new: { ...input, found_on: foundOn } }, at);

    if (grade)
      await upsertFinding(
        trx,
        audit,
        itemId,
        finding,
        { grade, statement: input.statement, evidence: input.evidence, clause: input.clause, procedure_id: input.procedure_id, found_on: foundOn! },
        actorId,
        at,
      );
    else if (finding && finding.status === 'active') {
      const reason = `result: ${input.result ?? 'none'}`;
      await updateFinding(trx, finding.id, { status: 'withdrawn', withdrawn_reason: reason }, at.toISOString());
      await record(
        trx,
        { userId: actorId, action: 'withdraw', entity: 'audit_finding', entityId: finding.id, old: { status: 'active' }, new: { status: 'withdrawn' }, reason },
        at,
      );
    }
  });
}

async function upsertFinding(
  trx: Db,
  audit: AuditRow,
  itemId: number,
  finding: FindingRow | undefined,
  values: { grade: FindingGrade; statement: string; evidence: string; clause: string | null; procedure_id: number | null; found_on: string },
  actorId: number,
  at: Date,
): Promise<void> {
  let id: number;
  let seq: number;
  let ncId = finding?.nonconformity_id ?? null;
  if (!finding) {
    ({ id, seq } = await insertFinding(trx, audit.id, itemId, values, actorId, at.toISOString()));
    await record(trx, { userId: actorId, action: 'create', entity: 'audit_finding', entityId: id, new: { audit: audit.code, seq, ...values } }, at);
  } else {
    ({ id, seq } = finding);
    const old = {
      grade: finding.grade,
      statement: finding.statement,
      evidence: finding.evidence,
      clause: finding.clause,
      procedure_id: finding.procedure_id,
      found_on: finding.found_on,
      status: finding.status,
    };
    const changed = Object.entries(values).some(([k, v]) => old[k as keyof typeof old] !== v) || finding.status !== 'active';
    if (changed) {
      await updateFinding(trx, id, { ...values, status: 'active', withdrawn_reason: null }, at.toISOString());
      await record(
        trx,
        {
          userId: actorId,
          action: finding.status === 'active' ? 'update' : 'reinstate',
          entity: 'audit_finding',
          entityId: id,
          old,
          new: { ...values, status: 'active' },
        },
        at,
      );
    }
  }
  if (NC_GRADES.includes(values.grade) && ncId === null) {
    const [procedure] = values.procedure_id ? await listProceduresByIds(trx, [values.procedure_id]) : [];
    const nc = await createNonconformityIn(
      trx,
      {
        title: firstLine(values.statement, 200),
        description: values.evidence ? `${values.statement}\n\n${values.evidence}` : values.statement,
        source: audit.type === 'internal' ? 'internal_audit' : 'external_audit',
        severity: values.grade === 'major_nc' ? 'major' : 'minor',
        procedureId: values.procedure_id,
        clause: values.clause,
        detectedOn: values.found_on,
        reportedBy: actorId,
        responsibleUnitId: procedure?.unit_id ?? audit.auditee_unit_id,
        responsibleUserId: null,
        status: 'open',
      },
      actorId,
      at,
    );
    ncId = nc.id;
    await updateFinding(trx, id, { nonconformity_id: nc.id }, at.toISOString());
    await record(
      trx,
      { userId: actorId, action: 'raise_nonconformity', entity: 'audit_finding', entityId: id, new: { audit: audit.code, seq, nonconformity: nc.code } },
      at,
    );
  }
}

function firstLine(text: string, max: number): string {
  const line =
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? text.trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Links an uploaded evidence file (already stored, outside any transaction) to a checklist item. */
export async function attachEvidence(
  ctx: AppContext,
  auditId: number,
  itemId: number,
  file: { sha256: string; name: string },
  actorId: number,
): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const audit = await loadEditable(trx, auditId);
    const item = await findChecklistItem(trx, auditId, itemId);
    if (!item) throw new NotFound();
    await assertMayRecord(trx, audit, actorId, itemTarget(item.procedure_id));
    const id = await insertEvidenceFile(
      trx,
      { audit_id: auditId, checklist_item_id: itemId, file_sha256: file.sha256, file_name: file.name, uploaded_by: actorId },
      at.toISOString(),
    );
    await record(
      trx,
      { userId: actorId, action: 'attach_evidence', entity: 'audit_checklist_item', entityId: itemId, new: { file: id, sha256: file.sha256, name: file.name } },
      at,
    );
    return id;
  });
}
