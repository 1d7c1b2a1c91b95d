import { hashPassword } from '../../src/core/security/passwords';
import { insertProcedure } from '../../src/features/procedures/procedures.queries';
import { insertUser } from '../../src/features/users/users.queries';
import { one, rows, run, TEST_PASSWORD, type TestApp } from '../support/app';

/**
 * Fixtures for the audit tests. The test app's users all belong to unit "main" (LĐTBXH); "auditor" and
 * "leader2" belong to unit "other" (VP), so they are independent of the procedures that "main" owns.
 */
let hash: Promise<string> | undefined;

export async function addUser(t: TestApp, username: string, role: 'admin' | 'quality_officer' | 'leader' | 'staff', unitId: number | null): Promise<number> {
  hash ??= hashPassword(TEST_PASSWORD);
  return insertUser(
    t.ctx.db,
    { username, full_name: `Chuyên gia ${username}`, role, unit_id: unitId, email: null, position_title: null, password_hash: await hash },
    t.clock.now().toISOString(),
  );
}

export async function addProcedure(t: TestApp, code: string, unitId: number | null, status: 'active' | 'retired' = 'active'): Promise<number> {
  const id = await insertProcedure(
    t.ctx.db,
    {
      code,
      title: `Quy trình ${code}`,
      field: 'Thử nghiệm',
      national_code: null,
      processing_days: 5,
      online_level: 'none',
      unit_id: unitId,
      on_time_target: 1,
    },
    t.clock.now().toISOString(),
  );
  if (status === 'retired') await run(t, "update procedures set status = 'retired' where id = ?", id);
  return id;
}

/** A document of the procedure with one draft revision written by `authorId`. */
export async function addAuthoredRevision(t: TestApp, procedureId: number, authorId: number, code: string): Promise<void> {
  const at = t.clock.now().toISOString();
  const doc = await one<{ id: number }>(
    t,
    "insert into documents (code, title, type, procedure_id, search_text, created_at, updated_at, organisation_id) values (?, ?, 'procedure', ?, ?, ?, ?, 1) returning id",
    code,
    `Tài liệu ${code}`,
    procedureId,
    code.toLowerCase(),
    at,
    at,
  );
  await run(
    t,
    "insert into document_revisions (document_id, revision_no, status, body, author_id, created_at, updated_at, organisation_id) values (?, 1, 'draft', 'nội dung', ?, ?, ?, 1)",
    doc?.id,
    authorId,
    at,
    at,
  );
}

export interface Fixture {
  /** Procedures owned by unit main (P1, P2) and other (P3); P4 has no owner. */
  p1: number;
  p2: number;
  p3: number;
  p4: number;
  auditor: number;
  leader2: number;
}

export async function fixture(t: TestApp): Promise<Fixture> {
  return {
    p1: await addProcedure(t, 'QT-A-01', t.units.main),
    p2: await addProcedure(t, 'QT-A-02', t.units.main),
    p3: await addProcedure(t, 'QT-B-01', t.units.other),
    p4: await addProcedure(t, 'QT-HT-01', null),
    auditor: await addUser(t, 'auditor', 'quality_officer', t.units.other),
    leader2: await addUser(t, 'leader2', 'leader', t.units.other),
  };
}

/** The form fields of a valid internal audit of P1 and P2 led by "auditor". */
export function auditForm(f: Fixture, extra: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    type: 'internal',
    title: 'Đánh giá nội bộ quy trình bảo trợ xã hội',
    objectives: 'Xác định sự phù hợp',
    procedure_ids: [String(f.p1), String(f.p2)],
    clauses: ['8.5.1', '7.5.3'],
    lead_auditor_id: String(f.auditor),
    planned_start: '2026-12-01',
    planned_end: '2026-12-02',
    ...extra,
  };
}

export function idFromLocation(location: string | undefined): number {
  const m = /^\/audits\/(\d+)/.exec(location ?? '');
  if (!m) throw new Error(`no audit id in ${location}`);
  return Number(m[1]);
}

export async function auditLog(t: TestApp, entity: string, entityId: number | string): Promise<{ action: string; user_id: number | null }[]> {
  return await rows(t, 'select action, user_id from audit_log where entity = ? and entity_id = ? order by id', entity, String(entityId));
}

/** The same fields for the edit form (the type cannot change), with the version. */
export function editForm(f: Fixture, version: number, extra: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  const { type: _type, ...rest } = auditForm(f, extra);
  return { ...rest, version: String(version) };
}
