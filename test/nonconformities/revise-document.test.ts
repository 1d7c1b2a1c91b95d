import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, run, type SignedIn, type TestApp } from '../support/app';
import { activateDueRevisions, runRevisionEffectiveHooks } from '../../src/features/documents/documents.workflow';
import { actionVersion, addEffectiveDocument, addProcedure, addRevision, auditFor, makeEffective, ncIn, ncRow, newAction } from './helpers';

/** "Revise document" actions complete themselves when a new revision of their document becomes effective. */
let t: TestApp;
let qo: SignedIn;
let staff: SignedIn;
let procedureId: number;
beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  staff = await t.signIn('staff');
  procedureId = await addProcedure(t, 'QT-BTXH-01');
});
afterAll(async () => t.close());

const action = async (id: number) =>
  (await rows(t, 'select status, completed_on, completed_by, fixed_by_revision_id, fixed_by_revision_no from nc_actions where id = ?', id))[0];

describe('the revision-effective hook', () => {
  it('completes every open revise-document action of that document, recording the revision, and moves the NC on', async () => {
    const doc = await addEffectiveDocument(t, procedureId, 'QT-BTXH-01');
    const otherDoc = await addEffectiveDocument(t, procedureId, 'BM-01/QT-BTXH-01', 'form');
    const nc = await ncIn(t, 'analysed', { procedureId });
    expect(await ncRow(t, nc.id)).toMatchObject({ document_id: doc.documentId, revision_id: doc.revisionId, revision_no: 1 });
    await qo.post(`/nonconformities/${nc.id}/plan`, { version: String((await ncRow(t, nc.id)).version) });
    const res = await qo.post(`/nonconformities/${nc.id}/actions`, {
      type: 'corrective',
      kind: 'revise_document',
      document_id: String(doc.documentId),
      description: 'Bổ sung bước kiểm tra chữ ký vào quy trình',
      owner_id: String(t.users.staff),
      due_date: '2026-12-31',
    });
    expect(res.status).toBe(303);
    const revise = (await rows<{ id: number }>(t, "select id from nc_actions where nonconformity_id = ? and kind = 'revise_document'", nc.id))[0].id;
    const second = await newAction(t, nc.id, { kind: 'revise_document', documentId: doc.documentId, ownerId: t.users.leader });
    const other = await newAction(t, nc.id, { kind: 'revise_document', documentId: otherDoc.documentId });
    await qo.post(`/nonconformities/${nc.id}/start`, { version: String((await ncRow(t, nc.id)).version) });

    // Completing it by hand is refused: the revision does it.
    const manual = await staff.post(`/actions/${revise}/complete`, { version: await actionVersion(t, revise), completion_note: 'Đã sửa' });
    expect(manual.status).toBe(409);

    const revisionId = await addRevision(t, doc.documentId, 2);
    await makeEffective(t, doc.documentId, revisionId);
    t.clock.set('2026-12-02T20:00:00Z'); // 03/12/2026 03:00 in Hà Nội
    await t.ctx.db
      .transaction()
      .execute((trx) =>
        runRevisionEffectiveHooks(trx, { documentId: doc.documentId, revisionId, revisionNo: 2, actorId: t.users.quality_officer, at: t.clock.now() }),
      );
    for (const id of [revise, second]) {
      expect(await action(id)).toEqual({
        status: 'done',
        completed_on: '2026-12-03',
        completed_by: t.users.quality_officer,
        fixed_by_revision_id: revisionId,
        fixed_by_revision_no: 2,
      });
      expect((await auditFor(t, 'nc_action', id)).at(-1)).toMatchObject({ action: 'complete_by_revision', user_id: t.users.quality_officer });
      expect(JSON.parse((await auditFor(t, 'nc_action', id)).at(-1)!.new_values!)).toMatchObject({ fixed_by_revision_id: revisionId, fixed_by_revision_no: 2 });
    }
    expect(await action(other)).toMatchObject({ status: 'planned', fixed_by_revision_id: null });
    expect((await ncRow(t, nc.id)).status).toBe('in_progress'); // the other document's action is still open

    const otherRevision = await addRevision(t, otherDoc.documentId, 2);
    await makeEffective(t, otherDoc.documentId, otherRevision);
    await t.ctx.db
      .transaction()
      .execute((trx) =>
        runRevisionEffectiveHooks(trx, { documentId: otherDoc.documentId, revisionId: otherRevision, revisionNo: 2, actorId: null, at: t.clock.now() }),
      );
    expect(await action(other)).toMatchObject({ status: 'done', completed_by: null, fixed_by_revision_no: 2 });
    expect(await ncRow(t, nc.id)).toMatchObject({ status: 'awaiting_verification', verify_due_on: '2027-01-02' });
    t.clock.set('2026-11-26T02:00:00Z');
    const page = await (await t.signIn('quality_officer')).get(`/actions/${revise}`);
    expect(page.text).toContain('Lần ban hành 2 có hiệu lực');
  });

  it('leaves done and cancelled actions alone and writes nothing when there is nothing to complete', async () => {
    const doc = await addEffectiveDocument(t, null, 'HD-05');
    const nc = await ncIn(t, 'action_plan');
    const cancelled = await newAction(t, nc.id, { kind: 'revise_document', documentId: doc.documentId });
    await qo.post(`/actions/${cancelled}/cancel`, { version: await actionVersion(t, cancelled), reason: 'Không cần sửa' });
    const before = (await rows(t, 'select count(*) as n from audit_log'))[0];
    const rev = await addRevision(t, doc.documentId, 2);
    await makeEffective(t, doc.documentId, rev);
    await t.ctx.db
      .transaction()
      .execute((trx) => runRevisionEffectiveHooks(trx, { documentId: doc.documentId, revisionId: rev, revisionNo: 2, actorId: null, at: t.clock.now() }));
    expect(await action(cancelled)).toMatchObject({ status: 'cancelled', fixed_by_revision_id: null });
    expect((await rows(t, 'select count(*) as n from audit_log'))[0]).toEqual(before);
  });

  it('runs when the documents feature makes a due revision effective', async () => {
    const doc = await addEffectiveDocument(t, procedureId, 'QT-BTXH-09');
    const nc = await ncIn(t, 'action_plan', { procedureId });
    const revise = await newAction(t, nc.id, { kind: 'revise_document', documentId: doc.documentId });
    const rev = await addRevision(t, doc.documentId, 2);
    await run(t, "update document_revisions set status = 'in_review' where id = ?", rev);
    await run(t, "update document_revisions set status = 'approved', effective_from = '2026-11-26' where id = ?", rev);
    expect(await activateDueRevisions(t.ctx)).toBe(1);
    expect(await action(revise)).toMatchObject({ status: 'done', completed_on: '2026-11-26', fixed_by_revision_id: rev, fixed_by_revision_no: 2 });
    expect((await ncRow(t, nc.id)).status).toBe('action_plan'); // only an NC in progress moves on by itself
  });

  it('refuses a revise-document action without a document or with an unknown one (422)', async () => {
    const nc = await ncIn(t, 'action_plan');
    const base = { type: 'corrective', kind: 'revise_document', description: 'Sửa', owner_id: String(t.users.staff), due_date: '2026-12-31' };
    const none = await qo.post(`/nonconformities/${nc.id}/actions`, base);
    expect(none.status).toBe(422);
    expect(none.text).toContain('Chọn tài liệu cần sửa đổi.');
    expect((await qo.post(`/nonconformities/${nc.id}/actions`, { ...base, document_id: '9999' })).status).toBe(422);
    expect(await rows(t, 'select count(*) as n from nc_actions where nonconformity_id = ?', nc.id)).toEqual([{ n: 1 }]);
  });
});
