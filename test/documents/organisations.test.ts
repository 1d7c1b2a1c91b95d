import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledgementCoverage, listPendingAcknowledgements } from '../../src/features/documents/documents.acks.queries';
import { countCurrentDocuments, countRegister, findDocumentByCode } from '../../src/features/documents/documents.queries';
import { searchDocuments } from '../../src/features/documents/documents.search.queries';
import { activateDueRevisions } from '../../src/features/documents/documents.workflow';
import { createTestApp, one, rows, run, type SignedIn, type TestApp } from '../support/app';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';
import { createDocument, createDraft, publish, revision, signInPeople } from './helpers';
import { todayLocal } from '../../src/core/calendar';

/** The organisation's local date on the test clock (what is in force is read on it). */
const today = () => todayLocal(t.clock.now(), 'Asia/Ho_Chi_Minh');

/**
 * Organisations (issue 22): organisation B's documents, written by B's own users through the app's forms, are
 * invisible to organisation A (the test app's, id 1): its register, master list, search, counts, pages and posts.
 */
let t: TestApp;
let b: OtherOrganisation;
let a: Awaited<ReturnType<typeof signInPeople>>;
let bPeople: { qo: SignedIn; leader: SignedIn; admin: SignedIn; staff: SignedIn };
const ids = { aDoc: 0, bDoc: 0, aRev: 0, bRev: 0, bDraft: 0, bProcedure: 0 };
const A_TITLE = 'Quy trình lưu trữ hồ sơ Alpha';
const B_TITLE = 'Quy trình lưu trữ hồ sơ Beta';

beforeAll(async () => {
  t = await createTestApp();
  b = await addOrganisation(t, 'SOB');
  a = await signInPeople(t);
  const [qo, leader, admin, staff] = await Promise.all(
    [b.usernames.quality_officer, b.usernames.leader, b.usernames.admin, b.usernames.staff].map((u) => t.signIn(u)),
  );
  bPeople = { qo, leader, admin, staff };
  await run(
    t,
    `insert into procedures (code, title, field, processing_days, online_level, unit_id, on_time_target, status, version, created_at, updated_at, organisation_id, search_text)
     values ('QT-SOB-01', 'Thủ tục của tổ chức B', 'Lĩnh vực', 10, 'partial', ?, 1, 'active', 1, 'now', 'now', ?, 'qt-sob-01 thu tuc cua to chuc b')`,
    b.units.main,
    b.id,
  );
  ids.bProcedure = (await one<{ id: number }>(t, 'select id from procedures where organisation_id = ? and code = ?', b.id, 'QT-SOB-01'))!.id;
  // The same code in each organisation, each written by its own quality officer.
  ids.aDoc = await createDocument(a.qo, { code: 'QT-01', title: A_TITLE, owner_unit_id: String(t.units.main), ack_scope: 'all' });
  ids.bDoc = await createDocument(bPeople.qo, {
    code: 'QT-01',
    title: B_TITLE,
    procedure_id: String(ids.bProcedure),
    owner_unit_id: String(b.units.main),
    ack_scope: 'units',
    ack_unit_ids: [String(b.units.main)],
  });
  ids.aRev = await publish(t, a.people, ids.aDoc, 'Hướng dẫn lưu trữ sổ sách của phòng.');
  ids.bRev = await publish(t, { author: bPeople.qo, reviewer: bPeople.admin, approver: bPeople.leader }, ids.bDoc, 'Hướng dẫn lưu trữ biên bản họp.');
  ids.bDraft = await createDraft(bPeople.qo, ids.bDoc, 'Bản sửa đổi.', 'Sửa câu chữ');
});
afterAll(async () => t?.close());

describe("organisation B's documents", () => {
  it('are stored with their organisation, the same code in each, and each revision, ack unit and search entry follows', async () => {
    expect(await rows(t, "select id, organisation_id from documents where code = 'QT-01' order by organisation_id")).toEqual([
      { id: ids.aDoc, organisation_id: 1 },
      { id: ids.bDoc, organisation_id: b.id },
    ]);
    expect(await rows(t, 'select distinct organisation_id from document_revisions where document_id = ?', ids.bDoc)).toEqual([{ organisation_id: b.id }]);
    expect(await rows(t, 'select unit_id, organisation_id from document_ack_units where document_id = ?', ids.bDoc)).toEqual([
      { unit_id: b.units.main, organisation_id: b.id },
    ]);
    expect((await findDocumentByCode(t.ctx.db, 'QT-01'))?.id).toBe(ids.aDoc);
    expect((await findDocumentByCode(b.ctx.db, 'QT-01'))?.id).toBe(ids.bDoc);
    expect(await revision(t, ids.bRev)).toMatchObject({ status: 'effective' });
    // its review and approval signatures are B's too (they were written as the first organisation's before its default went)
    expect(
      await rows(t, "select meaning, organisation_id from e_signatures where entity = 'document_revision' and entity_id = ? order by id", ids.bRev),
    ).toEqual([
      { meaning: 'reviewed', organisation_id: b.id },
      { meaning: 'approved', organisation_id: b.id },
    ]);
  });

  it("are absent from A's register, master list, search and counts (and A's from B's)", async () => {
    for (const [who, own, other] of [
      [a.qo, A_TITLE, B_TITLE],
      [bPeople.qo, B_TITLE, A_TITLE],
    ] as const) {
      for (const path of ['/documents', '/documents?status=all', '/documents/current', '/documents/current?q=luu+tru', '/documents/due']) {
        const res = await who.get(path);
        expect(res.status, path).toBe(200);
        expect(res.text, path).not.toContain(other);
        if (path !== '/documents/due') expect(res.text, path).toContain(own);
      }
    }
    // B's body words: found for B, not for A.
    const bSearch = await a.qo.get('/documents/current?q=bien+ban+hop');
    expect(bSearch.text).not.toContain(B_TITLE);
    expect((await searchDocuments(t.ctx.db, 'biên bản họp')).map((h) => h.documentId)).toEqual([]);
    expect((await searchDocuments(b.ctx.db, 'biên bản họp')).map((h) => h.documentId)).toEqual([ids.bDoc]);
    expect((await searchDocuments(t.ctx.db, 'lưu trữ')).map((h) => h.documentId)).toEqual([ids.aDoc]);
    expect(await countRegister(t.ctx.db, {})).toBe(1);
    expect(await countRegister(b.ctx.db, {})).toBe(1);
    expect(await countCurrentDocuments(t.ctx.db, {}, today())).toBe(1);
    expect(await countCurrentDocuments(b.ctx.db, { procedureId: ids.bProcedure }, today())).toBe(1);
  });

  it("give A's users 404 for their pages and for posts to them", async () => {
    for (const path of [
      `/documents/${ids.bDoc}`,
      `/documents/${ids.bDoc}/edit`,
      `/documents/${ids.bDoc}/revisions/${ids.bRev}`,
      `/documents/${ids.bDoc}/compare`,
    ]) {
      expect((await a.qo.get(path)).status, path).toBe(404);
    }
    // B's revision under A's document: not found either.
    expect((await a.qo.get(`/documents/${ids.aDoc}/revisions/${ids.bRev}`)).status).toBe(404);
    const posts: [SignedIn, string, Record<string, string>][] = [
      [a.qo, `/documents/${ids.bDoc}`, { code: 'QT-01', title: 'Đổi', type: 'procedure', review_interval_months: '12', ack_scope: 'all', version: '1' }],
      [a.qo, `/documents/${ids.bDoc}/withdraw`, { version: '1', withdraw_reason: 'Thử' }],
      [a.qo, `/documents/${ids.bDoc}/revisions`, { body: 'x', change_summary: 'x' }],
      [a.qo, `/documents/${ids.bDoc}/revisions/${ids.bDraft}/submit`, { version: '1' }],
      [a.qo, `/documents/${ids.bDoc}/revisions/${ids.bDraft}/cancel`, { version: '1', cancel_reason: 'Thử' }],
      [a.staff, `/documents/${ids.bDoc}/revisions/${ids.bRev}/acknowledge`, {}],
      [a.leader, `/documents/${ids.bDoc}/reviews`, { revision_id: String(ids.bRev), periodic_password: 'x' }],
    ];
    for (const [who, path, body] of posts) expect((await who.post(path, body)).status, path).toBe(404);
    expect(await rows(t, 'select title, status from documents where id = ?', ids.bDoc)).toEqual([{ title: B_TITLE, status: 'active' }]);
    expect(await revision(t, ids.bDraft)).toMatchObject({ status: 'draft' });
    expect(await rows(t, 'select count(*) as n from document_acknowledgements where document_id = ?', ids.bDoc)).toEqual([{ n: 0 }]);
  });

  it("are refused as the procedure or units of A's documents (422), and nothing is stored", async () => {
    const base = { code: 'QT-02', title: 'Tài liệu thử', type: 'procedure', review_interval_months: '12' };
    for (const fields of [
      { ...base, ack_scope: 'owner_unit', procedure_id: String(ids.bProcedure) },
      { ...base, ack_scope: 'owner_unit', owner_unit_id: String(b.units.main) },
      { ...base, ack_scope: 'units', ack_unit_ids: [String(t.units.main), String(b.units.main)] },
    ]) {
      const res = await a.qo.post('/documents', fields);
      expect(res.status).toBe(422);
      expect(res.text).toContain('Lựa chọn không hợp lệ');
    }
    const edit = await a.qo.post(`/documents/${ids.aDoc}`, {
      code: 'QT-01',
      title: A_TITLE,
      type: 'procedure',
      review_interval_months: '12',
      ack_scope: 'owner_unit',
      owner_unit_id: String(b.units.main),
      version: '1',
    });
    expect(edit.status).toBe(422);
    expect(await rows(t, "select count(*) as n from documents where code = 'QT-02'")).toEqual([{ n: 0 }]);
    expect(await rows(t, 'select owner_unit_id from documents where id = ?', ids.aDoc)).toEqual([{ owner_unit_id: t.units.main }]);
  });

  it("count acknowledgements among their own organisation's users only", async () => {
    // A's document concerns everyone of A: none of B's users; B's concerns B's unit.
    const aUsers = Number((await one<{ n: number }>(t, 'select count(*) as n from users where organisation_id = 1 and active = 1'))!.n);
    expect(await acknowledgementCoverage(t.ctx.db, ids.aRev)).toEqual({ required: aUsers, acknowledged: 0 });
    expect(await acknowledgementCoverage(b.ctx.db, ids.bRev)).toEqual({ required: 4, acknowledged: 0 });
    expect(await acknowledgementCoverage(t.ctx.db, ids.bRev)).toEqual({ required: 0, acknowledged: 0 });
    expect((await listPendingAcknowledgements(t.ctx.db, t.users.staff, today())).map((p) => p.documentId)).toEqual([ids.aDoc]);
    expect((await listPendingAcknowledgements(b.ctx.db, b.users.staff, today())).map((p) => p.documentId)).toEqual([ids.bDoc]);
    const ack = await bPeople.staff.post(`/documents/${ids.bDoc}/revisions/${ids.bRev}/acknowledge`, {});
    expect(ack.status).toBe(303);
    expect(await rows(t, 'select user_id, organisation_id from document_acknowledgements where revision_id = ?', ids.bRev)).toEqual([
      { user_id: b.users.staff, organisation_id: b.id },
    ]);
  });
});

describe('revisions approved for a later date', () => {
  it("take effect, from the server's timer, in every organisation on its own local date", async () => {
    // B's clock runs 14 hours ahead of UTC, A's 7: at 12:00 UTC it is already the 27th for B only.
    await run(t, "update organisation set time_zone = 'Pacific/Kiritimati' where id = ?", b.id);
    const aNext = await publish(t, a.people, ids.aDoc, 'Hướng dẫn lưu trữ sổ sách, bản 2.', 'Bản 2', '2026-11-27');
    await run(t, "update document_revisions set status = 'cancelled' where id = ?", ids.bDraft);
    const bNext = await publish(
      t,
      { author: bPeople.qo, reviewer: bPeople.admin, approver: bPeople.leader },
      ids.bDoc,
      'Hướng dẫn lưu trữ biên bản họp, bản 2.',
      'Bản 2',
      '2026-11-27',
    );
    try {
      t.clock.set('2026-11-26T12:00:00Z');
      expect(await activateDueRevisions(t.appCtx)).toBe(1);
      expect(await revision(t, bNext)).toMatchObject({ status: 'effective' });
      expect(await revision(t, aNext)).toMatchObject({ status: 'approved' });
      t.clock.set('2026-11-26T18:00:00Z');
      // A scoped handle activates its own organisation only.
      expect(await activateDueRevisions(b.ctx)).toBe(0);
      expect(await activateDueRevisions(t.appCtx)).toBe(1);
      expect(await revision(t, aNext)).toMatchObject({ status: 'effective' });
      expect(await revision(t, ids.aRev)).toMatchObject({ status: 'superseded' });
      expect((await searchDocuments(b.ctx.db, 'ban 2')).map((h) => h.documentId)).toEqual([ids.bDoc]);
    } finally {
      t.clock.set('2026-11-26T02:00:00Z');
    }
  });
});
