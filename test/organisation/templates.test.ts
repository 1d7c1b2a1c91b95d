import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopedDb, withoutOrganisation } from '../../src/core/db/scope';
import { addOrganisationFromTemplate, copyFromTemplate, TemplateRefused } from '../../src/features/organisations/organisations.template.service';
import { createTestApp, one, rows, run, type SignedIn, type TestApp } from '../support/app';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';
import { createDocument, createDraft, publish } from '../documents/helpers';

/**
 * Issue 22: a new organisation starts from a template's register. Organisation SRC (under the test app's DV1) has
 * three procedures (one retired) and three documents (two in force, one of them with a newer draft in progress; one
 * only drafted); its documents in force were approved, signed and acknowledged. The copy takes the two active
 * procedures and the two documents in force, as drafts, and nothing of their history.
 */
let t: TestApp;
let src: OtherOrganisation;
let out: OtherOrganisation;
let tpl: OtherOrganisation;
const SHA = 'a'.repeat(64);
const BODY_1 = 'Bước 1: tiếp nhận hồ sơ. Bước 2: thẩm định. Bước 3: trả kết quả.';
const BODY_2 = 'Hướng dẫn lưu trữ hồ sơ tại bộ phận một cửa.';

const refusal = async (work: Promise<unknown>): Promise<TemplateRefused> => {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TemplateRefused);
  return err as TemplateRefused;
};

/** Everything of an organisation's register, to compare before and after. */
const snapshot = async (orgId: number) => ({
  procedures: await rows(t, 'select * from procedures where organisation_id = ? order by id', orgId),
  terms: await rows(t, 'select * from procedure_terms where organisation_id = ? order by id', orgId),
  documents: await rows(t, 'select * from documents where organisation_id = ? order by id', orgId),
  revisions: await rows(t, 'select * from document_revisions where organisation_id = ? order by id', orgId),
  acks: await rows(t, 'select * from document_acknowledgements where organisation_id = ? order by id', orgId),
  ackUnits: await rows(t, 'select * from document_ack_units where organisation_id = ? order by document_id, unit_id', orgId),
});

async function addProcedureRow(orgId: number, code: string, values: { title: string; unit: number | null; kind?: string; status?: string }) {
  await run(
    t,
    `insert into procedures (code, title, field, national_code, processing_days, online_level, unit_id, on_time_target, kind, status, retired_reason, retired_at,
       version, created_at, updated_at, organisation_id, search_text)
     values (?, ?, 'Bảo trợ xã hội', ?, 12, 'full', ?, 0.95, ?, ?, ?, ?, 1, '2026-01-05T01:00:00.000Z', '2026-01-05T01:00:00.000Z', ?, ?)`,
    code,
    values.title,
    `1.00${code.slice(-1)}`,
    values.unit,
    values.kind ?? 'administrative',
    values.status ?? 'active',
    values.status === 'retired' ? 'Bãi bỏ' : null,
    values.status === 'retired' ? '2026-02-01T01:00:00.000Z' : null,
    orgId,
    code.toLowerCase(),
  );
  return (await one<{ id: number }>(t, 'select id from procedures where organisation_id = ? and code = ?', orgId, code))!.id;
}

beforeAll(async () => {
  t = await createTestApp();
  src = await addOrganisation(t, 'SRC', { parent: 1 });
  out = await addOrganisation(t, 'NGOAI');
  tpl = await addOrganisation(t, 'MAU');
  await run(t, "update organisation set kind = 'template' where id = ?", tpl.id);
  const qt1 = await addProcedureRow(src.id, 'QT-01', { title: 'Trợ cấp xã hội hàng tháng', unit: src.units.main });
  await addProcedureRow(src.id, 'QT-02', { title: 'Quy trình kiểm soát tài liệu', unit: null, kind: 'internal' });
  await addProcedureRow(src.id, 'QT-03', { title: 'Thủ tục đã bãi bỏ', unit: src.units.main, status: 'retired' });
  await addProcedureRow(tpl.id, 'QT-M1', { title: 'Thủ tục mẫu', unit: tpl.units.main });

  const [qo, admin, leader, staff] = await Promise.all(
    [src.usernames.quality_officer, src.usernames.admin, src.usernames.leader, src.usernames.staff].map((u) => t.signIn(u)),
  );
  const people = { author: qo, reviewer: admin, approver: leader };
  const doc1 = await createDocument(qo, {
    code: 'QT-01',
    title: 'Quy trình trợ cấp xã hội',
    procedure_id: String(qt1),
    owner_unit_id: String(src.units.main),
    ack_scope: 'units',
    ack_unit_ids: [String(src.units.main)],
  });
  // The draft carries a file before it is published (a published revision's file cannot change).
  await run(t, "insert into files (sha256, size, mime, ext, created_at) values (?, 1234, 'application/pdf', 'pdf', '2026-01-05T01:00:00.000Z')", SHA);
  const draft1 = await createDraft(qo, doc1, BODY_1);
  await run(t, "update document_revisions set file_sha256 = ?, file_name = 'quy-trinh.pdf' where id = ?", SHA, draft1);
  await publishDraft(t, people, doc1, draft1);
  const doc2 = await createDocument(qo, { code: 'HD-02', title: 'Hướng dẫn lưu trữ', type: 'work_instruction', ack_scope: 'all' });
  await publish(t, people, doc2, BODY_2);
  await createDraft(qo, doc2, 'Bản sửa đổi chưa ban hành.', 'Sửa câu chữ');
  const doc3 = await createDocument(qo, { code: 'BM-03', title: 'Biểu mẫu mới soạn', type: 'form', ack_scope: 'none' });
  await createDraft(qo, doc3, 'Chưa ban hành.');
  for (const d of [doc1, doc2]) {
    const rev = (await one<{ id: number }>(t, "select id from document_revisions where document_id = ? and status = 'effective'", d))!.id;
    expect((await staff.post(`/documents/${d}/revisions/${rev}/acknowledge`)).status).toBe(303);
  }
}, 120_000);
afterAll(async () => t?.close());

/** publish() for a draft created beforehand (the file set on it). */
async function publishDraft(tt: TestApp, people: { author: SignedIn; reviewer: SignedIn; approver: SignedIn }, docId: number, revId: number) {
  const version = async () => String((await one<{ version: number }>(tt, 'select version from document_revisions where id = ?', revId))!.version);
  expect((await people.author.post(`/documents/${docId}/revisions/${revId}/submit`, { version: await version() })).status).toBe(303);
  const reviewed = await people.reviewer.post(`/documents/${docId}/revisions/${revId}/review`, {
    version: await version(),
    review_password: 'correct horse battery',
    review_comment: 'Đồng ý',
  });
  expect(reviewed.status).toBe(303);
  const approved = await people.approver.post(`/documents/${docId}/revisions/${revId}/approve`, {
    version: await version(),
    approve_password: 'correct horse battery',
  });
  expect(approved.status, approved.text.slice(0, 1000)).toBe(303);
}

describe('copyFromTemplate', () => {
  let target: OtherOrganisation;
  let before: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    target = await addOrganisation(t, 'DICH', { parent: 1 });
    before = await snapshot(src.id);
  });

  it('copies the active procedures and the documents in force as drafts, in the target only', async () => {
    const auditBefore = Number((await one<{ n: number }>(t, 'select max(id) as n from audit_log'))!.n);
    expect(await copyFromTemplate(t.ctx, { sourceId: src.id, targetId: target.id }, t.users.admin)).toEqual({ procedures: 2, documents: 2 });

    expect(
      await rows(
        t,
        `select code, title, field, national_code, processing_days, online_level, unit_id, on_time_target, kind, status
         from procedures where organisation_id = ? order by code`,
        target.id,
      ),
    ).toEqual([
      {
        code: 'QT-01',
        title: 'Trợ cấp xã hội hàng tháng',
        field: 'Bảo trợ xã hội',
        national_code: '1.001',
        processing_days: 12,
        online_level: 'full',
        unit_id: null,
        on_time_target: 0.95,
        kind: 'administrative',
        status: 'active',
      },
      {
        code: 'QT-02',
        title: 'Quy trình kiểm soát tài liệu',
        field: 'Bảo trợ xã hội',
        national_code: '1.002',
        processing_days: 12,
        online_level: 'full',
        unit_id: null,
        on_time_target: 0.95,
        kind: 'internal',
        status: 'active',
      },
    ]);
    // Each copied procedure's terms start "since registration", as for any new procedure.
    expect(await rows(t, 'select effective_from, processing_days, online_level from procedure_terms where organisation_id = ? order by id', target.id)).toEqual(
      [
        { effective_from: '1900-01-01', processing_days: 12, online_level: 'full' },
        { effective_from: '1900-01-01', processing_days: 12, online_level: 'full' },
      ],
    );
    const qt1 = (await one<{ id: number }>(t, "select id from procedures where organisation_id = ? and code = 'QT-01'", target.id))!.id;
    expect(
      await rows(
        t,
        `select d.code, d.title, d.type, d.procedure_id, d.owner_unit_id, d.ack_scope, d.status, r.revision_no, r.status as revision_status, r.body,
           r.file_sha256, r.file_name, r.author_id, r.reviewer_id, r.approver_id, r.effective_from, r.change_summary
         from documents d join document_revisions r on r.document_id = d.id where d.organisation_id = ? order by d.code`,
        target.id,
      ),
    ).toEqual([
      {
        code: 'HD-02',
        title: 'Hướng dẫn lưu trữ',
        type: 'work_instruction',
        procedure_id: null,
        owner_unit_id: null,
        ack_scope: 'all',
        status: 'active',
        revision_no: 1,
        revision_status: 'draft',
        body: BODY_2,
        file_sha256: null,
        file_name: null,
        author_id: target.users.admin,
        reviewer_id: null,
        approver_id: null,
        effective_from: null,
        change_summary: null,
      },
      {
        code: 'QT-01',
        title: 'Quy trình trợ cấp xã hội',
        type: 'procedure',
        procedure_id: qt1,
        owner_unit_id: null,
        ack_scope: 'owner_unit',
        status: 'active',
        revision_no: 1,
        revision_status: 'draft',
        body: BODY_1,
        file_sha256: SHA,
        file_name: 'quy-trinh.pdf',
        author_id: target.users.admin,
        reviewer_id: null,
        approver_id: null,
        effective_from: null,
        change_summary: null,
      },
    ]);
    // No history of the source: no acknowledgements, reviews, ack units or signatures in the target; one file row.
    for (const table of ['document_acknowledgements', 'document_reviews', 'document_ack_units', 'document_review_due_changes'])
      expect((await rows(t, `select * from ${table} where organisation_id = ?`, target.id)).length, table).toBe(0);
    expect((await rows(t, 'select sha256 from files')).length).toBe(1);

    // One entry per copied record, in the target's log, by the actor, naming the source.
    expect(await rows(t, 'select organisation_id, user_id, action, entity, reason from audit_log where id > ? order by id', auditBefore)).toEqual(
      ['procedure', 'procedure', 'document', 'document_revision', 'document', 'document_revision'].map((entity) => ({
        organisation_id: target.id,
        user_id: t.users.admin,
        action: 'import',
        entity,
        reason: 'SRC',
      })),
    );
  });

  it('leaves the source unchanged', async () => {
    expect(await snapshot(src.id)).toEqual(before);
  });

  it("gives the target's users drafts they can open and edit", async () => {
    const qo = await t.signIn(target.usernames.quality_officer);
    const doc = (await one<{ id: number }>(t, "select id from documents where organisation_id = ? and code = 'QT-01'", target.id))!.id;
    const page = await qo.get(`/documents/${doc}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Quy trình trợ cấp xã hội');
  });

  it('refuses a target that has procedures or documents already, and changes nothing', async () => {
    const after = await snapshot(target.id);
    const err = await refusal(copyFromTemplate(t.ctx, { sourceId: tpl.id, targetId: target.id }, t.users.admin));
    expect(err.key).toBe('organisations.error.target_not_new');
    expect(err.message).toBe('organisation DICH already has 2 procedure(s) and 2 document(s): a template is copied only into a new organisation');
    expect(await snapshot(target.id)).toEqual(after);
  });

  it('refuses a source outside the subtree that is not a template; takes a template from anywhere', async () => {
    const fresh = await addOrganisation(t, 'MOI', { parent: 1 });
    const err = await refusal(copyFromTemplate(t.ctx, { sourceId: out.id, targetId: fresh.id }, t.users.admin));
    expect(err.key).toBe('organisations.error.template_outside');
    expect((await snapshot(fresh.id)).procedures).toEqual([]);
    expect(await copyFromTemplate(t.ctx, { sourceId: tpl.id, targetId: fresh.id }, t.users.admin)).toEqual({ procedures: 1, documents: 0 });
    expect(await rows(t, 'select code, unit_id from procedures where organisation_id = ?', fresh.id)).toEqual([{ code: 'QT-M1', unit_id: null }]);
  });

  it('lets the CLI (no organisation scope) copy from any organisation', async () => {
    const fresh = await addOrganisation(t, 'MOI2');
    await addProcedureRow(out.id, 'QT-N1', { title: 'Thủ tục ngoài', unit: out.units.main });
    const cli = { ...t.appCtx, db: withoutOrganisation(t.ctx.db) };
    expect(await copyFromTemplate(cli, { sourceId: out.id, targetId: fresh.id }, null)).toEqual({ procedures: 1, documents: 0 });
  });

  it('refuses a target outside the subtree', async () => {
    const fresh = await addOrganisation(t, 'MOI3');
    const err = await refusal(copyFromTemplate(t.ctx, { sourceId: tpl.id, targetId: fresh.id }, t.users.admin));
    expect(err.key).toBe('organisations.error.unknown_target');
  });
});

describe('addOrganisationFromTemplate', () => {
  it('adds the organisation, its first admin and the copy in one transaction', async () => {
    const added = await addOrganisationFromTemplate(
      t.ctx,
      {
        code: 'XA-01',
        name: 'UBND xã Một',
        parentCode: 'SRC',
        kind: 'commune',
        templateCode: 'src',
        admin: { username: 'admin.xa01', fullName: 'Trần Văn Một' },
      },
      t.users.admin,
    );
    expect(added.copied).toEqual({ procedures: 2, documents: 2 });
    expect(added.admin!.password).toMatch(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/);
    expect(await one(t, 'select code, name, parent_id, kind, status from organisation where id = ?', added.id)).toEqual({
      code: 'XA-01',
      name: 'UBND xã Một',
      parent_id: src.id,
      kind: 'commune',
      status: 'active',
    });
    expect(await rows(t, 'select id, username, role, must_change_password, active from users where organisation_id = ?', added.id)).toEqual([
      { id: added.admin!.id, username: 'admin.xa01', role: 'admin', must_change_password: 1, active: 1 },
    ]);
    // The drafts' author is the new admin (a user of the new organisation).
    expect(await rows(t, 'select distinct author_id from document_revisions where organisation_id = ?', added.id)).toEqual([{ author_id: added.admin!.id }]);
    expect((await rows<{ entity: string }>(t, 'select entity from audit_log where organisation_id = ? order by id', added.id)).map((r) => r.entity)).toEqual([
      'organisation',
      'user',
      'procedure',
      'procedure',
      'document',
      'document_revision',
      'document',
      'document_revision',
    ]);
  });

  it('leaves nothing behind when a step is refused (a username taken)', async () => {
    const orgs = await rows(t, 'select id from organisation');
    const err = await refusal(
      addOrganisationFromTemplate(
        t.ctx,
        { code: 'XA-02', name: 'UBND xã Hai', parentCode: 'DV1', templateCode: 'SRC', admin: { username: 'admin.xa01', fullName: 'X' } },
        t.users.admin,
      ),
    );
    expect([err.field, err.key]).toEqual(['admin_username', 'users.username_taken']);
    expect(await rows(t, 'select id from organisation')).toEqual(orgs);
    expect(Number((await one<{ n: number }>(t, "select count(*) as n from organisation where code = 'XA-02'"))!.n)).toBe(0);
  });

  it("works from the CLI (no scope): anywhere, its drafts' author the first admin it is given", async () => {
    const cli = { ...t.appCtx, db: withoutOrganisation(t.ctx.db) };
    const noAuthor = await refusal(addOrganisationFromTemplate(cli, { code: 'XA-04', name: 'UBND xã Bốn', parentCode: 'NGOAI', templateCode: 'SRC' }, null));
    expect(noAuthor.message).toBe("organisation XA-04 has no administrator to be its drafts' author");
    const badName = await refusal(addOrganisationFromTemplate(cli, { code: 'XA-04', name: 'X', admin: { username: 'Bad Name', fullName: 'X' } }, null));
    expect(badName.field).toBe('admin_username');
    expect(Number((await one<{ n: number }>(t, "select count(*) as n from organisation where code = 'XA-04'"))!.n)).toBe(0);
    const added = await addOrganisationFromTemplate(
      cli,
      {
        code: 'XA-04',
        name: 'UBND xã Bốn',
        parentCode: 'NGOAI',
        kind: 'commune',
        templateCode: 'SRC',
        admin: { username: 'admin.xa04', fullName: 'Phạm Bốn' },
      },
      null,
    );
    expect(added.copied).toEqual({ procedures: 2, documents: 2 });
    // No actor from the CLI: the entries carry none, but the account's creation names the account (as user:add does).
    expect(await rows(t, 'select user_id, entity from audit_log where organisation_id = ? and user_id is not null', added.id)).toEqual([
      { user_id: added.admin!.id, entity: 'user' },
    ]);
    expect(await rows(t, 'select distinct author_id from document_revisions where organisation_id = ?', added.id)).toEqual([{ author_id: added.admin!.id }]);
  });

  it('refuses a parent outside the subtree, an unknown template and a code taken', async () => {
    const child = { ...t.ctx, db: scopedDb(withoutOrganisation(t.ctx.db), src.id) };
    const cases: [Parameters<typeof addOrganisationFromTemplate>[1], string, string][] = [
      [{ code: 'XA-03', name: 'X', parentCode: 'DV1' }, 'parent_id', 'organisations.error.parent_outside'],
      [{ code: 'XA-03', name: 'X', parentCode: 'NGOAI' }, 'parent_id', 'organisations.error.parent_outside'],
      [{ code: 'XA-03', name: 'X', parentCode: 'SRC', templateCode: 'NOPE' }, 'template_id', 'organisations.error.unknown_template'],
      [{ code: 'XA-03', name: 'X', parentCode: 'SRC', templateCode: 'NGOAI' }, 'template_id', 'organisations.error.template_outside'],
      [{ code: 'xa-01', name: 'X', parentCode: 'SRC' }, 'code', 'organisations.error.code_taken'],
    ];
    for (const [request, field, key] of cases) {
      const err = await refusal(addOrganisationFromTemplate(child, request, src.users.admin));
      expect([err.field, err.key], JSON.stringify(request)).toEqual([field, key]);
    }
    expect(Number((await one<{ n: number }>(t, "select count(*) as n from organisation where code = 'XA-03'"))!.n)).toBe(0);
  });
});

describe('the documents in force by their date (issue 29)', () => {
  it('copies a revision approved for a date from 00:00 of that date, before the timer records its transition', async () => {
    const dated = await addOrganisation(t, 'HIEULUC', { parent: 1 });
    const [qo, admin, leader] = await Promise.all([dated.usernames.quality_officer, dated.usernames.admin, dated.usernames.leader].map((u) => t.signIn(u)));
    const people = { author: qo, reviewer: admin, approver: leader };
    const doc = await createDocument(qo, { code: 'QT-HL', title: 'Quy trình có lần ban hành hẹn ngày', type: 'form', ack_scope: 'none' });
    await publish(t, people, doc, 'Nội dung lần một.');
    const second = await publish(t, people, doc, 'Nội dung lần hai.', 'Sửa đổi thời hạn', '2026-12-01');
    const copiedBodies = async (code: string) => {
      const target = await addOrganisation(t, code, { parent: 1 });
      expect(await copyFromTemplate(t.ctx, { sourceId: dated.id, targetId: target.id }, t.users.admin)).toEqual({ procedures: 0, documents: 1 });
      return rows(t, 'select status, body from document_revisions where organisation_id = ?', target.id);
    };
    try {
      t.clock.set('2026-11-30T16:59:59Z'); // 23:59:59 local on the day before
      expect(await copiedBodies('TRUOC')).toEqual([{ status: 'draft', body: 'Nội dung lần một.' }]);
      t.clock.set('2026-11-30T17:00:01Z'); // 00:00:01 local on its date
      expect(await copiedBodies('SAU')).toEqual([{ status: 'draft', body: 'Nội dung lần hai.' }]);
      // the timer has not recorded the transition
      expect(await one(t, 'select status from document_revisions where id = ?', second)).toEqual({ status: 'approved' });
    } finally {
      t.clock.set('2026-11-26T02:00:00Z');
    }
  });
});
