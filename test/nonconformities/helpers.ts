import type { TestApp } from '../support/app';
import { rows } from '../support/app';
import { insertProcedure } from '../../src/features/procedures/procedures.queries';
import { createNonconformity, type NewNonconformity } from '../../src/features/nonconformities/nonconformities.service';
import { createAction } from '../../src/features/nonconformities/nonconformities.actions.service';
import type { ActionType } from '../../src/features/nonconformities/nonconformities.actions.model';

/** Shared set-up for the nonconformity and action tests: procedures, documents, NCs and actions made through the services. */
export async function addProcedure(t: TestApp, code: string): Promise<number> {
  return insertProcedure(
    t.ctx.db,
    {
      code,
      title: `Quy trình ${code}`,
      field: 'Bảo trợ xã hội',
      national_code: null,
      processing_days: 10,
      online_level: 'partial',
      unit_id: t.units.main,
      on_time_target: 1,
    },
    t.clock.now().toISOString(),
  );
}

/** A controlled document of a procedure with revision 1 effective (raw SQL through the documents tables' own workflow triggers). */
export function addEffectiveDocument(t: TestApp, procedureId: number | null, code: string, type = 'procedure'): { documentId: number; revisionId: number } {
  const at = t.clock.now().toISOString();
  const doc = t.ctx.sqlite
    .prepare(`insert into documents (code, title, type, procedure_id, owner_unit_id, search_text, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(code, `Tài liệu ${code}`, type, procedureId, t.units.main, code.toLowerCase(), at, at);
  const documentId = Number(doc.lastInsertRowid);
  const revisionId = addRevision(t, documentId, 1);
  makeEffective(t, documentId, revisionId);
  return { documentId, revisionId };
}

export function addRevision(t: TestApp, documentId: number, no: number): number {
  const at = t.clock.now().toISOString();
  const rev = t.ctx.sqlite
    .prepare(
      `insert into document_revisions (document_id, revision_no, body, change_summary, author_id, created_at, updated_at) values (?, ?, 'Nội dung', ?, ?, ?, ?)`,
    )
    .run(documentId, no, no === 1 ? null : 'Sửa đổi', t.users.quality_officer, at, at);
  return Number(rev.lastInsertRowid);
}

export function makeEffective(t: TestApp, documentId: number, revisionId: number): void {
  const db = t.ctx.sqlite;
  db.prepare(`update document_revisions set status = 'superseded', superseded_on = '2026-11-26' where document_id = ? and status = 'effective'`).run(
    documentId,
  );
  db.prepare(`update document_revisions set status = 'in_review' where id = ?`).run(revisionId);
  db.prepare(`update document_revisions set status = 'approved', effective_from = '2026-11-26' where id = ?`).run(revisionId);
  db.prepare(`update document_revisions set status = 'effective' where id = ?`).run(revisionId);
}

export const baseNc = (over: Partial<NewNonconformity> = {}): NewNonconformity => ({
  title: 'Hồ sơ trả kết quả chậm',
  description: 'Năm hồ sơ trả chậm do lỗi thao tác phần mềm.',
  source: 'process_monitoring',
  severity: 'minor',
  procedureId: null,
  clause: '8.5.1',
  detectedOn: '2026-11-20',
  reportedBy: null,
  responsibleUnitId: null,
  responsibleUserId: null,
  ...over,
});

export async function newNc(t: TestApp, over: Partial<NewNonconformity> = {}): Promise<{ id: number; code: string }> {
  return createNonconformity(t.ctx, baseNc({ reportedBy: t.users.quality_officer, ...over }), t.users.quality_officer);
}

export async function newAction(
  t: TestApp,
  ncId: number,
  over: { type?: ActionType; ownerId?: number; dueDate?: string; kind?: 'general' | 'revise_document'; documentId?: number | null } = {},
): Promise<number> {
  return createAction(
    t.ctx,
    {
      nonconformityId: ncId,
      type: over.type ?? 'corrective',
      kind: over.kind ?? 'general',
      documentId: over.documentId ?? null,
      description: 'Tập huấn lại thao tác phần mềm một cửa',
      ownerId: over.ownerId ?? t.users.staff,
      dueDate: over.dueDate ?? '2026-12-15',
    },
    t.users.quality_officer,
  );
}

export function ncRow(t: TestApp, id: number): Record<string, unknown> {
  return (await rows(t, 'select * from nonconformities where id = ?', id))[0];
}

export function versionOf(t: TestApp, id: number): string {
  return String(ncRow(t, id).version);
}

export function actionVersion(t: TestApp, id: number): string {
  return String((await rows<{ version: number }>(t, 'select version from nc_actions where id = ?', id))[0].version);
}

export function auditFor(
  t: TestApp,
  entity: string,
  entityId: number,
): { action: string; user_id: number | null; reason: string | null; new_values: string | null }[] {
  return await rows(t, 'select action, user_id, reason, new_values from audit_log where entity = ? and entity_id = ? order by id', entity, String(entityId));
}

export type State = 'reported' | 'open' | 'analysed' | 'action_plan' | 'in_progress' | 'awaiting_verification' | 'closed' | 'cancelled' | 'rejected';
export const STATES: State[] = ['reported', 'open', 'analysed', 'action_plan', 'in_progress', 'awaiting_verification', 'closed', 'cancelled', 'rejected'];

/**
 * An NC brought to `state` through the services (the HTTP steps are tested on their own). The responsible
 * person is the staff user, who also owns the one action; the leader verifies.
 */
export async function ncIn(t: TestApp, state: State, over: Partial<NewNonconformity> = {}): Promise<{ id: number; code: string; actionId?: number }> {
  const { rejectReport, cancelNonconformity } = await import('../../src/features/nonconformities/nonconformities.service');
  const { saveAnalysis, startPlanning, startImplementation, verifyEffectiveness } =
    await import('../../src/features/nonconformities/nonconformities.progress.service');
  const { completeAction } = await import('../../src/features/nonconformities/nonconformities.actions.service');
  const qo = t.users.quality_officer;
  const v = () => Number(versionOf(t, nc.id));
  const reported = state === 'reported' || state === 'rejected';
  const nc = await newNc(t, { responsibleUserId: t.users.staff, status: reported ? 'reported' : 'open', ...over });
  if (state === 'reported') return nc;
  if (state === 'rejected') {
    await rejectReport(t.ctx, nc.id, v(), 'Không có cơ sở', qo);
    return nc;
  }
  if (state === 'cancelled') {
    await cancelNonconformity(t.ctx, nc.id, v(), 'Trùng với sự không phù hợp khác', qo);
    return nc;
  }
  if (state === 'open') return nc;
  await saveAnalysis(
    t.ctx,
    nc.id,
    v(),
    { whys: [{ why: 'Vì sao trễ?', answer: 'Thao tác sai' }], causeCategory: 'people', rootCause: 'Chưa được tập huấn' },
    qo,
  );
  if (state === 'analysed') return nc;
  await startPlanning(t.ctx, nc.id, v(), qo);
  const actionId = await newAction(t, nc.id);
  if (state === 'action_plan') return { ...nc, actionId };
  await startImplementation(t.ctx, nc.id, v(), qo);
  if (state === 'in_progress') return { ...nc, actionId };
  await completeAction(t.ctx, actionId, Number(actionVersion(t, actionId)), 'Đã tập huấn', t.users.staff);
  if (state === 'awaiting_verification') return { ...nc, actionId };
  await verifyEffectiveness(t.ctx, nc.id, v(), { result: 'effective', note: 'Kiểm tra 20 hồ sơ đều đúng hạn' }, { id: t.users.leader, role: 'leader' });
  return { ...nc, actionId };
}
