import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { record } from '../../core/audit-log/audit-log';
import { Conflict, NotFound } from '../../core/http/errors';
import { isClause } from '../../core/iso/clauses';
import { contentHash, sign, type Signer } from '../../core/security/signatures';
import { listProceduresByIds, listUnitsByIds } from './audits.links.queries';
import {
  findProgrammeByYear,
  findProgrammeItem,
  insertProgramme,
  insertProgrammeItem,
  listProgrammeItems,
  updateProgramme,
  updateProgrammeItem,
  type ProgrammeItemValues,
  type ProgrammeRow,
} from './audits.programme.queries';
import { AuditFieldError } from './audits.validate';

/**
 * The yearly audit programme: a quality officer plans it (audits with procedures, units, clauses and a
 * month), a leader approves it with an electronic signature. An approved programme is fixed; changing it
 * means reopening it (with a reason), which asks for a new approval.
 */
export async function createProgramme(ctx: AppContext, year: number, objectives: string, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (await findProgrammeByYear(trx, year)) throw new AuditFieldError('year', 'audits.programme.year_taken');
    const id = await insertProgramme(trx, year, objectives, at.toISOString());
    await record(trx, { userId: actorId, action: 'create', entity: 'audit_programme', entityId: id, new: { year, objectives } }, at);
    return id;
  });
}

async function loadDraft(trx: Db, year: number): Promise<ProgrammeRow> {
  const programme = await findProgrammeByYear(trx, year);
  if (!programme) throw new NotFound();
  if (programme.status !== 'draft') throw new Conflict('audits.programme.locked');
  return programme;
}

export async function editProgramme(ctx: AppContext, year: number, objectives: string, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await loadDraft(trx, year);
    if (!(await updateProgramme(trx, before.id, { objectives }, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      { userId: actorId, action: 'update', entity: 'audit_programme', entityId: before.id, old: { objectives: before.objectives }, new: { objectives } },
      at,
    );
  });
}

async function checkItem(trx: Db, values: ProgrammeItemValues, previous?: ProgrammeItemValues): Promise<ProgrammeItemValues> {
  const clean = {
    ...values,
    procedure_ids: [...new Set(values.procedure_ids)],
    unit_ids: [...new Set(values.unit_ids)],
    clauses: [...new Set(values.clauses)],
  };
  const procedures = await listProceduresByIds(trx, clean.procedure_ids);
  const usable = new Set(procedures.filter((p) => p.status === 'active' || previous?.procedure_ids.includes(p.id)).map((p) => p.id));
  if (clean.procedure_ids.some((id) => !usable.has(id))) throw new AuditFieldError('procedure_ids', 'validation.invalid_choice');
  const units = new Set((await listUnitsByIds(trx, clean.unit_ids)).map((u) => u.id));
  if (clean.unit_ids.some((id) => !units.has(id))) throw new AuditFieldError('unit_ids', 'validation.invalid_choice');
  if (clean.clauses.some((c) => !isClause(c))) throw new AuditFieldError('clauses', 'validation.clause');
  if (clean.procedure_ids.length === 0 && clean.clauses.length === 0) throw new AuditFieldError('procedure_ids', 'audits.scope_required');
  return clean;
}

export async function addProgrammeItem(ctx: AppContext, year: number, raw: ProgrammeItemValues, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const programme = await loadDraft(trx, year);
    const values = await checkItem(trx, raw);
    const id = await insertProgrammeItem(trx, programme.id, values, at.toISOString());
    await record(trx, { userId: actorId, action: 'create', entity: 'audit_programme_item', entityId: id, new: { year, ...values } }, at);
    return id;
  });
}

const itemValues = (i: ProgrammeItemValues): ProgrammeItemValues => ({
  title: i.title,
  month: i.month,
  audit_type: i.audit_type,
  procedure_ids: i.procedure_ids,
  unit_ids: i.unit_ids,
  clauses: i.clauses,
  notes: i.notes,
});

async function loadItem(trx: Db, year: number, itemId: number) {
  const programme = await loadDraft(trx, year);
  const item = await findProgrammeItem(trx, itemId);
  if (!item || item.programme_id !== programme.id) throw new NotFound();
  if (item.status !== 'planned') throw new Conflict('audits.programme.item_cancelled');
  return item;
}

export async function editProgrammeItem(
  ctx: AppContext,
  year: number,
  itemId: number,
  raw: ProgrammeItemValues,
  version: number,
  actorId: number,
): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await loadItem(trx, year, itemId);
    const values = await checkItem(trx, raw, before);
    if (!(await updateProgrammeItem(trx, itemId, values, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(trx, { userId: actorId, action: 'update', entity: 'audit_programme_item', entityId: itemId, old: itemValues(before), new: values }, at);
  });
}

export async function cancelProgrammeItem(ctx: AppContext, year: number, itemId: number, reason: string, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await loadItem(trx, year, itemId);
    if (!(await updateProgrammeItem(trx, itemId, { status: 'cancelled', cancel_reason: reason }, version, at.toISOString())))
      throw new Conflict('error.edit_conflict');
    await record(
      trx,
      { userId: actorId, action: 'cancel', entity: 'audit_programme_item', entityId: itemId, old: { status: 'planned' }, new: { status: 'cancelled' }, reason },
      at,
    );
  });
}

/** What the approving leader signs: the programme and its planned audits. */
export async function programmeContentHash(db: Db, programme: ProgrammeRow): Promise<string> {
  const items = (await listProgrammeItems(db, programme.id)).filter((i) => i.status === 'planned').map((i) => ({ id: i.id, ...itemValues(i) }));
  return contentHash(String(programme.year), programme.objectives, JSON.stringify(items));
}

/** A leader approves the programme; the signer was checked (password) before this call. */
export async function approveProgramme(ctx: AppContext, year: number, signer: Signer, version: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const programme = await loadDraft(trx, year);
    const planned = (await listProgrammeItems(trx, programme.id)).filter((i) => i.status === 'planned');
    if (planned.length === 0) throw new AuditFieldError('_form', 'audits.programme.empty');
    const signatureId = await sign(
      trx,
      signer,
      { entity: 'audit_programme', entityId: programme.id, meaning: 'approved', contentSha256: await programmeContentHash(trx, programme) },
      at,
    );
    const changes = { status: 'approved' as const, approved_by: signer.userId, approved_at: at.toISOString(), signature_id: signatureId };
    if (!(await updateProgramme(trx, programme.id, changes, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      {
        userId: signer.userId,
        action: 'approve',
        entity: 'audit_programme',
        entityId: programme.id,
        old: { status: 'draft' },
        new: { status: 'approved', signature: signatureId },
      },
      at,
    );
  });
}

/** Reopens an approved programme for changes; it must then be approved again. */
export async function reopenProgramme(ctx: AppContext, year: number, reason: string, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const programme = await findProgrammeByYear(trx, year);
    if (!programme) throw new NotFound();
    if (programme.status !== 'approved') throw new Conflict('audits.wrong_status');
    const changes = { status: 'draft' as const, approved_by: null, approved_at: null, signature_id: null, revision: programme.revision + 1 };
    if (!(await updateProgramme(trx, programme.id, changes, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      {
        userId: actorId,
        action: 'reopen',
        entity: 'audit_programme',
        entityId: programme.id,
        old: { status: 'approved', signature: programme.signature_id },
        new: { status: 'draft', revision: changes.revision },
        reason,
      },
      at,
    );
  });
}
