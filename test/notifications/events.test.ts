import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, one, rows, run, type SignedIn, type TestApp } from '../support/app';
import { actionVersion, ncIn } from '../nonconformities/helpers';
import { approve, createDocument, createDraft, review, submit } from '../documents/helpers';
import { auditForm, fixture, idFromLocation, type Fixture } from '../audits/support';
import { answer, defaultSet, ORG } from '../surveys/support';
import { activateDueRevisions } from '../../src/features/documents/documents.workflow';

/**
 * The events of the inbox (issue 26): each change, made through its form by the role that makes it, puts a notice in
 * the inbox of exactly the people it waits for — never the person who made it — with a link to the record and the
 * record's codes, titles and dates (never a citizen's name or contact); the same event for the same person is stored
 * once. With SMTP configured, a person with an e-mail address gets its mail queued in their language. The test clock
 * says 2026-11-26 (a Thursday), 09:00 in Hà Nội.
 */
let t: TestApp;
let f: Fixture;
let qo: SignedIn;
let admin: SignedIn;
let leader: SignedIn;
let staff: SignedIn;

interface NoteRow {
  user_id: number;
  kind: string;
  link: string;
  params: Record<string, unknown>;
  due_on: string | null;
}
const notes = async (entity: string, id: number): Promise<NoteRow[]> =>
  (
    await rows<Omit<NoteRow, 'params'> & { params: string }>(
      t,
      'select user_id, kind, link, params, due_on from notifications where entity = ? and entity_id = ? order by kind, user_id, id',
      entity,
      String(id),
    )
  ).map((r) => ({ ...r, user_id: Number(r.user_id), params: JSON.parse(r.params) as Record<string, unknown> }));
const who = (list: NoteRow[]) => list.map((n) => n.user_id);

beforeAll(async () => {
  t = await createTestApp({ config: { smtpUrl: 'smtp://127.0.0.1:2525' } });
  f = await fixture(t); // auditor: a quality officer of unit "other"; leader2: a leader of unit "other"
  qo = await t.signIn('quality_officer');
  admin = await t.signIn('admin');
  leader = await t.signIn('leader');
  staff = await t.signIn('staff');
  // the leader reads English and has an address: their e-mails are queued in English
  await run(t, "update users set email = 'minh@example.org' where id = ?", t.users.leader);
  await run(
    t,
    "insert into notification_preferences (user_id, organisation_id, lang, updated_at) values (?, 1, 'en', '2026-11-01T00:00:00.000Z')",
    t.users.leader,
  );
});
afterAll(async () => t?.close());

describe('a corrective action assigned', () => {
  it('tells its owner, once per owner, with a link to the NC; a new owner is told; nobody of their own assignment', async () => {
    const nc = await ncIn(t, 'action_plan', { responsibleUserId: null });
    const { code, title } = (await one<{ code: string; title: string }>(t, 'select code, title from nonconformities where id = ?', nc.id))!;
    const res = await qo.post(`/nonconformities/${nc.id}/actions`, {
      type: 'corrective',
      kind: 'general',
      description: 'Tập huấn lại',
      owner_id: String(t.users.staff),
      due_date: '2026-12-31',
    });
    expect(res.status).toBe(303);
    const a = Number((await one<{ id: number }>(t, 'select max(id) as id from nc_actions where nonconformity_id = ?', nc.id))!.id);
    const assigned = { kind: 'action_assigned', link: `/nonconformities/${nc.id}`, params: { code, title, due: '2026-12-31' }, due_on: '2026-12-31' };
    expect(await notes('nc_action', a)).toEqual([{ user_id: t.users.staff, ...assigned }]);
    // edited, the same owner: nothing new
    const edit = (owner: number, description: string) =>
      actionVersion(t, a).then((version) => qo.post(`/actions/${a}`, { version, description, owner_id: String(owner), due_date: '2026-12-31' }));
    expect((await edit(t.users.staff, 'Tập huấn lại thao tác')).status).toBe(303);
    expect(await notes('nc_action', a)).toHaveLength(1);
    // re-assigned to the leader: the leader is told (and gets the mail, in English)
    expect((await edit(t.users.leader, 'Tập huấn lại thao tác')).status).toBe(303);
    expect(await notes('nc_action', a)).toEqual([
      { user_id: t.users.leader, ...assigned },
      { user_id: t.users.staff, ...assigned },
    ]);
    // the quality officer assigns one to themself: no notice
    expect((await edit(t.users.quality_officer, 'Tự làm')).status).toBe(303);
    expect(who(await notes('nc_action', a))).toEqual([t.users.leader, t.users.staff]);
    const mail = await rows(
      t,
      'select to_address, lang, subject, status from outbox where user_id = ? and notification_id in (select id from notifications where entity = ? and entity_id = ?)',
      t.users.leader,
      'nc_action',
      String(a),
    );
    expect(mail).toEqual([{ to_address: 'minh@example.org', lang: 'en', subject: `Action assigned to you: ${code} — ${title}`, status: 'pending' }]);
    // nobody else has an address: no other mail
    expect(await one(t, 'select count(*) as n from outbox where user_id <> ?', t.users.leader)).toEqual({ n: 0 });
  });
});

describe('a revision of a document', () => {
  it('waits for the managers when submitted, for the leader when reviewed, and for its readers when it takes effect', async () => {
    const docId = await createDocument(qo, { code: 'QT-TB-01', title: 'Quy trình thông báo', ack_scope: 'owner_unit', owner_unit_id: String(t.units.main) });
    const revId = await createDraft(qo, docId, 'Nội dung bản 1');
    const params = { code: 'QT-TB-01', title: 'Quy trình thông báo', revision: 1 };
    const revLink = `/documents/${docId}/revisions/${revId}`;
    expect((await submit(qo, t, docId, revId)).status).toBe(303);
    // the managers but the author (the quality officer): the admin, the leaders, the other quality officer (auditor)
    const managers = [t.users.admin, t.users.leader, f.auditor, f.leader2].sort((x, y) => x - y);
    const submitted = await notes('document_revision', revId);
    expect(submitted.map((n) => [n.user_id, n.kind, n.link, n.params, n.due_on])).toEqual(managers.map((u) => [u, 'revision_review', revLink, params, null]));
    // reviewed by the admin: the leaders may approve it (not the author, not the reviewer under the rule of 3)
    expect((await review(admin, t, docId, revId)).status).toBe(303);
    const approvers = (await notes('document_revision', revId)).filter((n) => n.kind === 'revision_approve');
    expect(approvers.map((n) => [n.user_id, n.link, n.params])).toEqual([t.users.leader, f.leader2].sort((x, y) => x - y).map((u) => [u, revLink, params]));
    const approveMail = await one(
      t,
      "select to_address, lang, subject from outbox where user_id = ? and subject like 'Revision waiting for your approval%'",
      t.users.leader,
    );
    expect(approveMail).toEqual({ to_address: 'minh@example.org', lang: 'en', subject: 'Revision waiting for your approval: QT-TB-01 — Quy trình thông báo' });
    // approved by the leader, in force today: the people of the owner unit must read it, but the leader who approved it
    expect((await approve(leader, t, docId, revId)).status).toBe(303);
    const ack = (await notes('document_revision', revId)).filter((n) => n.kind === 'document_acknowledge');
    expect(ack.map((n) => [n.user_id, n.link, n.params])).toEqual(
      [t.users.admin, t.users.quality_officer, t.users.staff].map((u) => [u, `/documents/${docId}`, { ...params, effective: '2026-11-26' }]),
    );
  });

  it('approved for a later date, tells its readers on the day it takes effect, the approver too', async () => {
    const docId = await createDocument(qo, { code: 'QT-TB-02', title: 'Quy trình lưu trữ', ack_scope: 'owner_unit', owner_unit_id: String(t.units.other) });
    const revId = await createDraft(qo, docId, 'Nội dung');
    expect((await submit(qo, t, docId, revId)).status).toBe(303);
    expect((await review(admin, t, docId, revId)).status).toBe(303);
    expect((await approve(leader, t, docId, revId, { effective_from: '2026-11-30' })).status).toBe(303);
    expect((await notes('document_revision', revId)).filter((n) => n.kind === 'document_acknowledge')).toEqual([]);
    t.clock.set('2026-11-30T01:00:00Z');
    try {
      const reader = await t.signIn('leader2'); // a session of that day
      // The pages show it in force from 00:00 without writing (issue 29); the notifications follow the recorded
      // transition, which the server's timer makes.
      expect((await reader.get('/documents/current')).status).toBe(200);
      expect((await notes('document_revision', revId)).filter((n) => n.kind === 'document_acknowledge')).toEqual([]);
      expect(await activateDueRevisions(t.ctx)).toBe(1);
      const ack = (await notes('document_revision', revId)).filter((n) => n.kind === 'document_acknowledge');
      // unit "other": the auditor and leader2 (staff and the others are of unit "main")
      expect(ack.map((n) => n.user_id)).toEqual([f.auditor, f.leader2].sort((x, y) => x - y));
    } finally {
      t.clock.set('2026-11-26T02:00:00Z');
    }
  });
});

describe('an audit', () => {
  it('planned, tells its team and the audited unit’s leaders; a finding waits for the leaders of the unit responsible', async () => {
    const auditor = await t.signIn('auditor');
    const res = await auditor.post('/audits', auditForm(f, { auditee_unit_id: String(t.units.main), member_ids: [String(f.leader2)] }));
    expect(res.status, res.text.slice(0, 500)).toBe(303);
    const auditId = idFromLocation(res.headers.location);
    const { code } = (await one<{ code: string }>(t, 'select code from audits where id = ?', auditId))!;
    const planned = await notes('audit', auditId);
    const params = { code, title: 'Đánh giá nội bộ quy trình bảo trợ xã hội', start: '2026-12-01', end: '2026-12-02' };
    // the lead auditor planned it: only the member (leader2) and the leader of the audited unit (main)
    expect(planned).toEqual(
      [f.leader2, t.users.leader]
        .sort((x, y) => x - y)
        .map((u) => ({ user_id: u, kind: 'audit_participant', link: `/audits/${auditId}`, params, due_on: '2026-12-01' })),
    );
    expect((await auditor.post(`/audits/${auditId}/checklist/generate`)).status).toBe(303);
    expect((await auditor.post(`/audits/${auditId}/start`, { actual_start: '2026-11-24', version: '1' })).status).toBe(303);
    const item = (await one<{ id: number; version: number; clause: string }>(
      t,
      'select id, version, clause from audit_checklist_items where audit_id = ? and procedure_id = ? order by position limit 1',
      auditId,
      f.p1,
    ))!;
    const saved = await auditor.post(`/audits/${auditId}/checklist/${item.id}`, {
      question: 'Hồ sơ có đủ thành phần không?',
      clause: item.clause,
      procedure_id: String(f.p1),
      version: String(item.version),
      result: 'minor_nc',
      statement: 'Ba hồ sơ thiếu biên nhận',
      evidence: '',
    });
    expect(saved.status, saved.text.slice(0, 500)).toBe(303);
    const finding = (await one<{ id: number; seq: number }>(t, 'select id, seq from audit_findings where audit_id = ?', auditId))!;
    // P1 belongs to unit main: its leader answers
    expect(await notes('audit_finding', finding.id)).toEqual([
      {
        user_id: t.users.leader,
        kind: 'finding_answer',
        link: `/audits/${auditId}`,
        params: { code, title: params.title, finding: finding.seq, grade: 'minor_nc' },
        due_on: null,
      },
    ]);
  });
});

describe('feedback', () => {
  it('recorded, waits for the quality officers; assigned, for its assignee; never carries the citizen’s name or contact', async () => {
    // new sessions: those of the 26th went idle when the clock moved to the 30th (above)
    staff = await t.signIn('staff');
    qo = await t.signIn('quality_officer');
    const res = await staff.post('/feedback', {
      channel: 'counter',
      kind: 'complaint',
      sender_name: 'Nguyễn Thị Lan',
      sender_contact: '0912 345 678',
      content: 'Công chức hướng dẫn hồ sơ không rõ.',
      procedure_id: String(f.p1),
      dossier_code: '',
      unit_id: '',
      received_on: '2026-11-25',
      answer_due_on: '2026-12-09',
    });
    expect(res.status, /<main[\s\S]*<\/main>/.exec(res.text)?.[0]).toBe(303);
    const id = Number(/\/feedback\/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
    const { code } = (await one<{ code: string }>(t, 'select code from feedback where id = ?', id))!;
    const triage = { kind: 'feedback_triage', link: `/feedback/${id}`, params: { code, received: '2026-11-25', due: '2026-12-09' }, due_on: '2026-12-09' };
    expect(await notes('feedback', id)).toEqual([t.users.quality_officer, f.auditor].sort((x, y) => x - y).map((u) => ({ user_id: u, ...triage })));
    expect((await qo.post(`/feedback/${id}/assign`, { assignee_id: String(t.users.leader) })).status).toBe(303);
    expect(who(await notes('feedback', id))).toEqual([t.users.quality_officer, f.auditor, t.users.leader].sort((x, y) => x - y));
    const stored = await rows<{ params: string }>(t, 'select params from notifications');
    const mails = await rows<{ subject: string; text_body: string; html_body: string }>(t, 'select subject, text_body, html_body from outbox');
    for (const text of [...stored.map((s) => s.params), ...mails.flatMap((m) => [m.subject, m.text_body, m.html_body])]) {
      expect(text).not.toContain('Nguyễn Thị Lan');
      expect(text).not.toContain('0912');
    }
  });
});

describe('a survey answer', () => {
  it('with a low score, opens a feedback record that waits for the quality officers (the citizen is nobody’s changer)', async () => {
    const { questions } = await defaultSet(t);
    const res = await answer(t, `/s/${ORG}/QT-A-01`, { [`q${questions[0]}`]: '1', comment: 'Tôi là Trần Văn Bình, số 0988 111 222' });
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    const fb = (await one<{ id: number; code: string; received_on: string; answer_due_on: string }>(
      t,
      "select id, code, received_on, answer_due_on from feedback where channel = 'survey'",
    ))!;
    expect(await notes('feedback', fb.id)).toEqual(
      [t.users.quality_officer, f.auditor]
        .sort((x, y) => x - y)
        .map((u) => ({
          user_id: u,
          kind: 'feedback_triage',
          link: `/feedback/${fb.id}`,
          params: { code: fb.code, received: fb.received_on, due: fb.answer_due_on },
          due_on: fb.answer_due_on,
        })),
    );
    expect(JSON.stringify(await rows(t, 'select params from notifications'))).not.toContain('Bình');
  });
});

describe('without SMTP_URL', () => {
  it('fills the inbox and queues no e-mail', async () => {
    const bare = await createTestApp();
    try {
      await run(bare, "update users set email = 'nv@example.org' where id = ?", bare.users.staff);
      const nc = await ncIn(bare, 'action_plan', { responsibleUserId: null });
      const a = Number((await one<{ id: number }>(bare, 'select max(id) as id from nc_actions where nonconformity_id = ?', nc.id))!.id);
      expect(await rows(bare, 'select user_id, kind from notifications where entity = ? and entity_id = ?', 'nc_action', String(a))).toEqual([
        { user_id: bare.users.staff, kind: 'action_assigned' },
      ]);
      expect(await one(bare, 'select count(*) as n from outbox')).toEqual({ n: 0 });
    } finally {
      await bare.close();
    }
  });
});
