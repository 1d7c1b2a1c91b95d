import type { TestApp } from '../support/app';
import { one, rows, run } from '../support/app';
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
export async function addEffectiveDocument(
  t: TestApp,
  procedureId: number | null,
  code: string,
  type = 'procedure',
): Promise<{ documentId: number; revisionId: number }> {
  const at = t.clock.now().toISOString();
  const doc = await one<{ id: number }>(
    t,
    `insert into documents (code, title, type, procedure_id, owner_unit_id, search_text, created_at, updated_at, organisation_id) values (?, ?, ?, ?, ?, ?, ?, ?, 1) returning id`,
    code,
    `Tài liệu ${code}`,
    type,
    procedureId,
    t.units.main,
    code.toLowerCase(),
    at,
    at,
  );
  const documentId = Number(doc!.id);
  const revisionId = await addRevision(t, documentId, 1);
  await makeEffective(t, documentId, revisionId);
  return { documentId, revisionId };
}

export async function addRevision(t: TestApp, documentId: number, no: number): Promise<number> {
  const at = t.clock.now().toISOString();
  const rev = await one<{ id: number }>(
    t,
    `insert into document_revisions (document_id, revision_no, body, change_summary, author_id, created_at, updated_at, organisation_id) values (?, ?, 'Nội dung', ?, ?, ?, ?, 1) returning id`,
    documentId,
    no,
    no === 1 ? null : 'Sửa đổi',
    t.users.quality_officer,
    at,
    at,
  );
  return Number(rev!.id);
}

export async function makeEffective(t: TestApp, documentId: number, revisionId: number): Promise<void> {
  await run(t, `update document_revisions set status = 'superseded', superseded_on = '2026-11-26' where document_id = ? and status = 'effective'`, documentId);
  await run(t, `update document_revisions set status = 'in_review' where id = ?`, revisionId);
  await run(t, `update document_revisions set status = 'approved', effective_from = '2026-11-26' where id = ?`, revisionId);
  await run(t, `update document_revisions set status = 'effective' where id = ?`, revisionId);
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
      source: { kind: 'nonconformity', id: ncId },
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

export async function ncRow(t: TestApp, id: number): Promise<Record<string, unknown>> {
  return (await rows(t, 'select * from nonconformities where id = ?', id))[0];
}

export async function versionOf(t: TestApp, id: number): Promise<string> {
  return String((await ncRow(t, id)).version);
}

export async function actionVersion(t: TestApp, id: number): Promise<string> {
  return String((await rows<{ version: number }>(t, 'select version from nc_actions where id = ?', id))[0].version);
}

export async function auditFor(
  t: TestApp,
  entity: string,
  entityId: number,
): Promise<{ action: string; user_id: number | null; reason: string | null; new_values: string | null }[]> {
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
  const v = async () => Number(await versionOf(t, nc.id));
  const reported = state === 'reported' || state === 'rejected';
  const nc = await newNc(t, { responsibleUserId: t.users.staff, status: reported ? 'reported' : 'open', ...over });
  if (state === 'reported') return nc;
  if (state === 'rejected') {
    await rejectReport(t.ctx, nc.id, await v(), 'Không có cơ sở', qo);
    return nc;
  }
  if (state === 'cancelled') {
    await cancelNonconformity(t.ctx, nc.id, await v(), 'Trùng với sự không phù hợp khác', qo);
    return nc;
  }
  if (state === 'open') return nc;
  await saveAnalysis(
    t.ctx,
    nc.id,
    await v(),
    { whys: [{ why: 'Vì sao trễ?', answer: 'Thao tác sai' }], causeCategory: 'people', rootCause: 'Chưa được tập huấn' },
    qo,
  );
  if (state === 'analysed') return nc;
  await startPlanning(t.ctx, nc.id, await v(), qo);
  const actionId = await newAction(t, nc.id);
  if (state === 'action_plan') return { ...nc, actionId };
  await startImplementation(t.ctx, nc.id, await v(), qo);
  if (state === 'in_progress') return { ...nc, actionId };
  await completeAction(t.ctx, actionId, Number(await actionVersion(t, actionId)), 'Đã tập huấn', t.users.staff);
  if (state === 'awaiting_verification') return { ...nc, actionId };
  await verifyEffectiveness(t.ctx, nc.id, await v(), { result: 'effective', note: 'Kiểm tra 20 hồ sơ đều đúng hạn' }, { id: t.users.leader, role: 'leader' });
  return { ...nc, actionId };
}
