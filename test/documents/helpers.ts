import { expect } from 'vitest';
import { hashPassword } from '../../src/core/security/passwords';
import { insertProcedure } from '../../src/features/procedures/procedures.queries';
import { insertUser } from '../../src/features/users/users.queries';
import { rows, TEST_PASSWORD, type SignedIn, type TestApp } from '../support/app';

/** Shared steps of the document-control tests: create a document, move a revision through the workflow. */
export const PASSWORD = TEST_PASSWORD;

export function idFrom(location: string | undefined, pattern: RegExp): number {
  const m = pattern.exec(location ?? '');
  if (!m) throw new Error(`unexpected Location ${location}`);
  return Number(m[1]);
}

export async function addProcedure(t: TestApp, code = 'QT-BTXH-01'): Promise<number> {
  return insertProcedure(
    t.ctx.db,
    {
      code,
      title: 'Thủ tục trợ cấp xã hội hàng tháng',
      field: 'Bảo trợ xã hội',
      national_code: null,
      processing_days: 17,
      online_level: 'partial',
      unit_id: t.units.main,
      on_time_target: 1,
    },
    t.clock.now().toISOString(),
  );
}

export async function addUser(t: TestApp, username: string, role: 'leader' | 'staff' | 'quality_officer', unitId: number | null): Promise<number> {
  return insertUser(
    t.ctx.db,
    { username, full_name: `Người dùng ${username}`, role, unit_id: unitId, email: null, position_title: null, password_hash: await hashPassword(PASSWORD) },
    t.clock.now().toISOString(),
  );
}

export async function createDocument(who: SignedIn, fields: Record<string, string | string[]> = {}): Promise<number> {
  const res = await who.post('/documents', {
    code: 'QT-BTXH-01',
    title: 'Quy trình trợ cấp xã hội hàng tháng',
    type: 'procedure',
    review_interval_months: '12',
    ack_scope: 'owner_unit',
    ...fields,
  });
  expect(res.status, res.text.slice(0, 2000)).toBe(303);
  return idFrom(res.headers.location, /^\/documents\/(\d+)$/);
}

export async function createDraft(who: SignedIn, docId: number, body: string, changeSummary?: string): Promise<number> {
  const res = await who.post(`/documents/${docId}/revisions`, changeSummary === undefined ? { body } : { body, change_summary: changeSummary });
  expect(res.status, res.text.slice(0, 2000)).toBe(303);
  return idFrom(res.headers.location, /\/revisions\/(\d+)$/);
}

export async function revision(
  t: TestApp,
  id: number,
): Promise<{ status: string; version: number; effective_from: string | null; superseded_on: string | null; next_review_due: string | null; body: string }> {
  return (
    await rows<{ status: string; version: number; effective_from: string | null; superseded_on: string | null; next_review_due: string | null; body: string }>(
      t,
      'select status, version, effective_from, superseded_on, next_review_due, body from document_revisions where id = ?',
      id,
    )
  )[0];
}

export const v = async (t: TestApp, revId: number) => String((await revision(t, revId)).version);

export async function submit(who: SignedIn, t: TestApp, docId: number, revId: number) {
  return who.post(`/documents/${docId}/revisions/${revId}/submit`, { version: await v(t, revId) });
}
export async function review(who: SignedIn, t: TestApp, docId: number, revId: number, password = PASSWORD) {
  return who.post(`/documents/${docId}/revisions/${revId}/review`, { version: await v(t, revId), review_password: password, review_comment: 'Đồng ý' });
}
export async function approve(who: SignedIn, t: TestApp, docId: number, revId: number, extra: Record<string, string> = {}) {
  return who.post(`/documents/${docId}/revisions/${revId}/approve`, { version: await v(t, revId), approve_password: PASSWORD, ...extra });
}

/** Draft → submitted → reviewed (by `reviewer`) → approved (by `approver`), effective today unless a date is given. */
export async function publish(
  t: TestApp,
  people: { author: SignedIn; reviewer: SignedIn; approver: SignedIn },
  docId: number,
  body: string,
  changeSummary?: string,
  effectiveFrom?: string,
): Promise<number> {
  const revId = await createDraft(people.author, docId, body, changeSummary);
  expect((await submit(people.author, t, docId, revId)).status).toBe(303);
  expect((await review(people.reviewer, t, docId, revId)).status).toBe(303);
  const res = await approve(people.approver, t, docId, revId, effectiveFrom ? { effective_from: effectiveFrom } : {});
  expect(res.status, res.text.slice(0, 2000)).toBe(303);
  return revId;
}

export const auditActions = async (t: TestApp, entity: string, entityId: number) =>
  (await rows<{ action: string }>(t, 'select action from audit_log where entity = ? and entity_id = ? order by id', entity, String(entityId))).map(
    (r) => r.action,
  );

export const count = async (t: TestApp, sqlText: string, ...params: unknown[]) => Number(Object.values((await rows(t, sqlText, ...params))[0])[0]);

/** One user per role signed in, and the author / reviewer / approver that publish() takes. */
export async function signInPeople(t: TestApp) {
  const [qo, leader, admin, staff] = await Promise.all([t.signIn('quality_officer'), t.signIn('leader'), t.signIn('admin'), t.signIn('staff')]);
  return { qo, leader, admin, staff, people: { author: qo, reviewer: admin, approver: leader } };
}
