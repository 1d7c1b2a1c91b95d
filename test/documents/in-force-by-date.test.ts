import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateDueRevisions } from '../../src/features/documents/documents.workflow';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { addProcedure, auditActions, count, createDocument, publish, revision } from './helpers';

/**
 * Issue 29, part 2: a revision approved with a later effective date is in force from 00:00 local time of that date
 * (Asia/Ho_Chi_Minh, UTC+7) on the document page, the staff home page and the compliance report, derived from the
 * dates with no timer having run and no request writing anything; the timer records the transition later, once.
 */
let t: TestApp;
let qo: SignedIn;
let leader: SignedIn;
let admin: SignedIn;
let staff: SignedIn;
let docId: number;
let rev1: number;
let rev2: number;

/** The effective date D of revision 2; the test app's clock starts on 26/11/2026 09:00 local. */
const D = '2026-12-01';
const BEFORE = '2026-11-30T16:59:59Z'; // 23:59:59 local on D-1
const AFTER = '2026-11-30T17:00:01Z'; // 00:00:01 local on D
const REPORT = `/reports/procedures/QT-HL-01.json?from=2026-11-01&to=${D}`;

async function signInAll(): Promise<void> {
  [qo, leader, admin, staff] = await Promise.all([t.signIn('quality_officer'), t.signIn('leader'), t.signIn('admin'), t.signIn('staff')]);
}

/** What a GET must not change: the audit log and every revision's recorded state. */
const snapshot = async () => ({
  audit: await count(t, 'select count(*) as n from audit_log'),
  revisions: await rows(t, 'select id, status, superseded_on, effective_at, next_review_due, version from document_revisions order by id'),
  acks: await count(t, 'select count(*) as n from document_acknowledgements'),
});

/** The document page, and the number of the revision it shows as in force (its details table). */
async function documentPage(who: SignedIn) {
  const res = await who.get(`/documents/${docId}`);
  expect(res.status, res.text.slice(0, 500)).toBe(200);
  return res.text;
}
const shownNo = (page: string) => Number(/<th scope="row">Lần ban hành<\/th><td>(\d+)<\/td>/.exec(page)?.[1]);

const staffHomeAcks = async () => {
  const res = await staff.get('/');
  expect(res.status).toBe(200);
  return [...res.text.matchAll(/data-ack="(\d+)"/g)].map((m) => Number(m[1]));
};

/** The staff home page's "recently changed documents" section. */
const staffHomeChanged = async () => {
  const res = await staff.get('/');
  expect(res.status).toBe(200);
  return /<section aria-labelledby="h-changed">[\s\S]*?<\/section>/.exec(res.text)?.[0] ?? '';
};

const reportRevisionNo = async () => {
  const res = await qo.get(REPORT);
  expect(res.status, res.text).toBe(200);
  return (res.body as { document: { revisionNo: number; effectiveFrom: string } | null }).document;
};

beforeAll(async () => {
  t = await createTestApp();
  await signInAll();
  const procedureId = await addProcedure(t, 'QT-HL-01');
  docId = await createDocument(qo, { code: 'QT-HL-01', title: 'Quy trình cấp giấy phép', ack_scope: 'all', procedure_id: String(procedureId) });
  const people = { author: qo, reviewer: admin, approver: leader };
  rev1 = await publish(t, people, docId, 'Nội dung lần một của quy trình');
  // Staff acknowledge revision 1, so the home page asks only for what is new.
  expect((await staff.post(`/documents/${docId}/revisions/${rev1}/acknowledge`, {})).status).toBe(303);
  rev2 = await publish(t, people, docId, 'Nội dung lần hai của quy trình', 'Rút ngắn thời hạn giải quyết', D);
  expect(await revision(t, rev2)).toMatchObject({ status: 'approved', effective_from: D });
});
afterAll(async () => t.close());

describe('a revision approved for a later date', () => {
  it('at 23:59:59 local on the day before, revision 1 is in force everywhere', async () => {
    t.clock.set(BEFORE);
    await signInAll();
    const before = await snapshot();
    const page = await documentPage(staff);
    expect(shownNo(page)).toBe(1);
    expect(page).toContain('Nội dung lần một');
    expect(page).not.toContain('Nội dung lần hai');
    expect(await staffHomeAcks()).not.toContain(rev2);
    expect(await staffHomeChanged()).not.toContain('01/12/2026');
    expect(await reportRevisionNo()).toMatchObject({ revisionNo: 1 });
    expect(await snapshot()).toEqual(before);
  });

  it('at 00:00:01 local on its date, revision 2 is in force on every page, and no GET wrote anything', async () => {
    t.clock.set(AFTER);
    await signInAll(); // signing in writes (sessions, its audit entry): the snapshot is taken after it
    const before = await snapshot();
    const page = await documentPage(staff);
    expect(shownNo(page)).toBe(2);
    expect(page).toContain('Nội dung lần hai');
    // The quality officer's page lists revision 1 as superseded on D, revision 2 effective.
    expect(shownNo(await documentPage(qo))).toBe(2);
    const old = await qo.get(`/documents/${docId}/revisions/${rev1}`);
    expect(old.status).toBe(200);
    expect(old.text).toContain('01/12/2026');
    expect(old.text).toContain('Đã được thay thế (từ ngày 01/12/2026)');
    expect(await staffHomeAcks()).toContain(rev2);
    // and lists it among the recently changed documents, dated 01/12/2026
    const changed = await staffHomeChanged();
    expect(changed).toContain('QT-HL-01');
    expect(changed).toContain('01/12/2026');
    expect(changed).toContain('Rút ngắn thời hạn giải quyết');
    expect(await reportRevisionNo()).toEqual({ revisionNo: 2, effectiveFrom: D, code: 'QT-HL-01', nextReviewDue: '2027-12-01' });
    expect((await staff.get('/documents/current')).text).toContain('QT-HL-01');
    expect((await leader.get('/documents')).status).toBe(200);
    expect(await snapshot()).toEqual(before);
    expect(await revision(t, rev2)).toMatchObject({ status: 'approved', superseded_on: null });
    expect(await revision(t, rev1)).toMatchObject({ status: 'effective', superseded_on: null });
  });

  it('the timer records the transition once, and the pages show the same', async () => {
    const audit = await count(t, 'select count(*) as n from audit_log');
    expect(await activateDueRevisions(t.ctx)).toBe(1);
    expect(await activateDueRevisions(t.ctx)).toBe(0);
    expect(await count(t, 'select count(*) as n from audit_log')).toBe(audit + 2);
    expect(await revision(t, rev2)).toMatchObject({ status: 'effective', next_review_due: '2027-12-01' });
    expect(await revision(t, rev1)).toMatchObject({ status: 'superseded', superseded_on: D });
    expect((await auditActions(t, 'document_revision', rev2)).filter((a) => a === 'make_effective')).toHaveLength(1);
    expect((await auditActions(t, 'document_revision', rev1)).filter((a) => a === 'supersede')).toHaveLength(1);
    expect(shownNo(await documentPage(staff))).toBe(2);
    expect(await staffHomeAcks()).toContain(rev2);
    expect(await reportRevisionNo()).toMatchObject({ revisionNo: 2, effectiveFrom: D });
  });
});

describe('acknowledging a revision in force by its date, before the timer', () => {
  it('is accepted and stored; the old revision is no longer acknowledged', async () => {
    t.clock.set('2026-12-01T02:00:00Z');
    await signInAll();
    const people = { author: qo, reviewer: admin, approver: leader };
    const rev3 = await publish(t, people, docId, 'Nội dung lần ba của quy trình', 'Bổ sung biểu mẫu', '2026-12-05');
    t.clock.set('2026-12-04T17:00:01Z'); // 00:00:01 local on 05/12
    await signInAll();
    // Revision 2 is no longer in force: staff no longer see it, nor acknowledge it; revision 3 they do.
    expect((await staff.post(`/documents/${docId}/revisions/${rev2}/acknowledge`, {})).status).toBe(404);
    expect(await count(t, 'select count(*) as n from document_acknowledgements where revision_id = ?', rev2)).toBe(0);
    const res = await staff.post(`/documents/${docId}/revisions/${rev3}/acknowledge`, {});
    expect(res.status, res.text.slice(0, 500)).toBe(303);
    expect(await rows(t, 'select user_id, acknowledged_at from document_acknowledgements where revision_id = ?', rev3)).toEqual([
      { user_id: t.users.staff, acknowledged_at: '2026-12-04T17:00:01.000Z' },
    ]);
    expect(await revision(t, rev3)).toMatchObject({ status: 'approved' });
    expect(await staffHomeAcks()).not.toContain(rev3);
  });
});

describe('a POST acting on the revision in force, before the timer', () => {
  it('a new draft at 00:00:01 records the transition first, in its own transaction, and starts from the revision in force', async () => {
    t.clock.set('2026-12-05T02:00:00Z');
    expect(await activateDueRevisions(t.ctx)).toBe(1); // revision 3 of the test above
    await signInAll();
    const people = { author: qo, reviewer: admin, approver: leader };
    const rev4 = await publish(t, people, docId, 'Nội dung lần bốn của quy trình', 'Sửa biểu mẫu', '2026-12-10');
    t.clock.set('2026-12-09T17:00:01Z'); // 00:00:01 local on 10/12
    await signInAll();
    // The register lists revision 4 in force, nothing in progress; the form for a new draft opens from it.
    expect((await leader.get('/documents')).text).not.toContain(`/revisions/${rev4}"`);
    const form = await qo.get(`/documents/${docId}/revisions/new`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Nội dung lần bốn');
    expect(await revision(t, rev4)).toMatchObject({ status: 'approved' });
    const res = await qo.post(`/documents/${docId}/revisions`, { body: 'Nội dung lần năm', change_summary: 'Bổ sung' });
    expect(res.status, res.text.slice(0, 500)).toBe(303);
    expect(await revision(t, rev4)).toMatchObject({ status: 'effective', next_review_due: '2027-12-10' });
    expect(await auditActions(t, 'document_revision', rev4)).toContain('make_effective');
    expect(await activateDueRevisions(t.ctx)).toBe(0);
  });
});
