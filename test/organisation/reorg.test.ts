import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../src/core/audit-log/audit-log';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { predecessorsOf, successorsOf } from '../../src/features/organisation/organisation.reorg.queries';
import { mergeOrganisations } from '../../src/features/organisation/organisation.reorg.service';
import { createTestApp, one, rows, type SignedIn, type TestApp } from '../support/app';
import { onPostgres } from '../support/engine';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';
import { createDocument, createDraft } from '../documents/helpers';

/**
 * Issue 22, reorganisation (July 2025: districts abolished, a district's offices pass to a new commune). The test
 * app's DV1 is the parent; its admin acts. Offices PA and PB (under DV1), each with a procedure, a document with a
 * draft, a unit and four users, merge into a new commune XA-MOI; office PC splits into XA-1 and XA-2; OUT is an
 * organisation outside DV1's subtree.
 */
let t: TestApp;
let pa: OtherOrganisation;
let pb: OtherOrganisation;
let pc: OtherOrganisation;
let out: OtherOrganisation;
let admin: SignedIn;
let staffPa: SignedIn;

const FORM = '/admin/organisations/reorganise';
const REASON = 'Nghị quyết 1656/NQ-UBTVQH15 về sắp xếp đơn vị hành chính cấp xã';
const orgId = async (code: string) => (await one<{ id: number }>(t, 'select id from organisation where code = ?', code))!.id;
const statusOf = async (code: string) => (await one<{ status: string }>(t, 'select status from organisation where code = ?', code))!.status;
const lineage = () =>
  rows(
    t,
    'select p.code as p, s.code as s, l.kind, l.effective_on, l.reason, l.created_by from organisation_lineage l join organisation p on p.id = l.predecessor_id join organisation s on s.id = l.successor_id order by l.id',
  );

/** Every table of an organisation's data (with organisation_id), either engine. */
async function orgTables(): Promise<string[]> {
  const found = onPostgres
    ? await rows<{ name: string }>(
        t,
        "select table_name as name from information_schema.columns where column_name = 'organisation_id' and table_schema = current_schema()",
      )
    : await rows<{ name: string }>(
        t,
        "select m.name from sqlite_master m join pragma_table_info(m.name) p where m.type = 'table' and p.name = 'organisation_id'",
      );
  return found.map((r) => r.name).sort();
}

/**
 * Every row of these organisations' data, table by table: users move (asserted on their own) and the audit log only
 * grows (its earlier rows are compared on their own), the figures kept by triggers count users and log entries.
 */
async function snapshot(ids: number[]): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const table of await orgTables()) {
    if (['users', 'audit_log', 'overview_counts'].includes(table)) continue;
    const found = await rows(t, `select * from ${table} where organisation_id in (${ids.map(() => '?').join(', ')})`, ...ids);
    result[table] = found.map((r) => JSON.stringify(r)).sort();
  }
  return result;
}

const merge = (body: Record<string, string | string[]>) => admin.post(FORM, { action: 'merge', effective_on: '2025-07-01', reason: REASON, ...body });

async function seedRecords(org: OtherOrganisation, code: string): Promise<void> {
  const base = { field: '', online_level: 'none' as const, unit_id: null, on_time_target: 1, national_code: null };
  await createProcedure(org.ctx, { ...base, code: `QT-${code}`, title: `Thủ tục của ${code}`, processing_days: 5 }, org.users.quality_officer);
  const qo = await t.signIn(org.usernames.quality_officer);
  const doc = await createDocument(qo, { code: `HD-${code}`, title: `Hướng dẫn ${code}`, type: 'work_instruction', ack_scope: 'all' });
  await createDraft(qo, doc, `Nội dung hướng dẫn của ${code}.`);
}

beforeAll(async () => {
  t = await createTestApp();
  pa = await addOrganisation(t, 'PA', { parent: 1 });
  pb = await addOrganisation(t, 'PB', { parent: 1 });
  pc = await addOrganisation(t, 'PC', { parent: 1 });
  out = await addOrganisation(t, 'OUT');
  await seedRecords(pa, 'PA');
  await seedRecords(pb, 'PB');
  admin = await t.signIn('admin');
  staffPa = await t.signIn(pa.usernames.staff);
});
afterAll(async () => t.close());

describe('merging two offices into a new commune', () => {
  it('offers the organisations under the admin’s own, not its own nor another subtree’s', async () => {
    const page = await admin.get(FORM);
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="PA"');
    expect(page.text).toContain('value="PC"');
    expect(page.text).not.toContain('value="OUT"');
    expect(page.text).not.toContain('name="predecessors" value="DV1"');
  });

  it('writes the lineage, turns both offices read-only, keeps every record of theirs, moves their users, logs both sides', async () => {
    const before = await snapshot([pa.id, pb.id]);
    expect(before.procedures).toHaveLength(2);
    expect(before.documents).toHaveLength(2);
    expect(before.document_revisions).toHaveLength(2);
    expect(before.units).toHaveLength(2);
    const lastLog = (await one<{ id: number }>(t, 'select max(id) as id from audit_log'))!.id;
    const oldLog = await rows(t, 'select * from audit_log where id <= ? order by id', lastLog);

    const res = await merge({ predecessors: ['PA', 'PB'], new_code: 'XA-MOI', new_name: 'UBND xã Mới', new_kind: 'commune' });
    expect(res.status, res.text).toBe(303);
    expect(res.headers.location).toBe(FORM);
    expect((await admin.get(FORM)).text).toContain('Đã sáp nhập PA, PB vào XA-MOI');

    const xa = await orgId('XA-MOI');
    expect(await one(t, 'select name, kind, parent_id, status from organisation where id = ?', xa)).toEqual({
      name: 'UBND xã Mới',
      kind: 'commune',
      parent_id: 1,
      status: 'active',
    });
    expect(await lineage()).toEqual([
      { p: 'PA', s: 'XA-MOI', kind: 'merge', effective_on: '2025-07-01', reason: REASON, created_by: t.users.admin },
      { p: 'PB', s: 'XA-MOI', kind: 'merge', effective_on: '2025-07-01', reason: REASON, created_by: t.users.admin },
    ]);
    expect(await statusOf('PA')).toBe('read_only');
    expect(await statusOf('PB')).toBe('read_only');

    // no row of the predecessors' data moved or changed; the log's earlier rows are as they were
    expect(await snapshot([pa.id, pb.id])).toEqual(before);
    expect(await rows(t, 'select * from audit_log where id <= ? order by id', lastLog)).toEqual(oldLog);

    // the eight users: same role, no unit, now the commune's; their sessions ended
    const moved = await rows(
      t,
      'select username, role, unit_id, organisation_id from users where id in (?, ?, ?, ?, ?, ?, ?, ?) order by id',
      ...Object.values(pa.users),
      ...Object.values(pb.users),
    );
    expect(moved).toEqual(
      [pa, pb].flatMap((o) =>
        (['admin', 'quality_officer', 'leader', 'staff'] as const).map((role) => ({ username: o.usernames[role], role, unit_id: null, organisation_id: xa })),
      ),
    );
    expect(Number((await one<{ n: number }>(t, 'select count(*) as n from sessions where user_id = ?', pa.users.staff))!.n)).toBe(0);
    // the kept user counts follow them (triggers on users): two of each role in the commune, none left in PA
    const usersCount = async (org: number) =>
      (
        await rows<{ name: string; n: number }>(t, "select name, n from overview_counts where organisation_id = ? and name like 'users:%' order by name", org)
      ).map((r) => `${r.name}=${Number(r.n)}`);
    expect(await usersCount(xa)).toEqual(['users:admin=2', 'users:leader=2', 'users:quality_officer=2', 'users:staff=2']);
    expect((await usersCount(pa.id)).filter((c) => !c.endsWith('=0'))).toEqual([]);
    const after = await staffPa.get('/');
    expect(after.status).toBe(303);
    expect(after.headers.location).toMatch(/^\/login/);

    // the three logs
    const entries = await rows<{ organisation_id: number; action: string; entity: string; entity_id: string; new_values: string }>(
      t,
      'select organisation_id, action, entity, entity_id, new_values from audit_log where id > ? order by id',
      lastLog,
    );
    const of = (org: number) => entries.filter((e) => Number(e.organisation_id) === org).map((e) => `${e.action} ${e.entity} ${e.entity_id}`);
    expect(of(pa.id)).toEqual([`merge organisation ${pa.id}`]);
    expect(of(pb.id)).toEqual([`merge organisation ${pb.id}`]);
    expect(of(xa)).toEqual([
      `create organisation ${xa}`,
      ...Object.values(pa.users).map((id) => `update user ${id}`),
      ...Object.values(pb.users).map((id) => `update user ${id}`),
      `merge organisation ${xa}`,
    ]);
    expect(entries).toHaveLength(1 + 1 + 1 + 8 + 1);
    const paEntry = JSON.parse(entries.find((e) => Number(e.organisation_id) === pa.id)!.new_values) as Record<string, unknown>;
    expect(paEntry).toEqual({ status: 'read_only', effective_on: '2025-07-01', successors: [{ id: xa, code: 'XA-MOI' }] });
    const xaEntry = JSON.parse(entries.at(-1)!.new_values) as Record<string, unknown>;
    expect(xaEntry).toEqual({
      effective_on: '2025-07-01',
      predecessors: [
        { id: pa.id, code: 'PA' },
        { id: pb.id, code: 'PB' },
      ],
      users_moved: 8,
    });

    const chain = await verify(t.appCtx.db);
    expect(chain.ok, chain.problem).toBe(true);
  });

  it('the commune’s users see the lineage: both predecessors, with the kind, date, reason and a link to read each', async () => {
    const staff = await t.signIn(pa.usernames.staff);
    const page = await staff.get('/organisation/lineage');
    expect(page.status).toBe(200);
    expect(page.text).toContain('XA-MOI');
    for (const code of ['PA', 'PB']) expect(page.text).toContain(`<a href="/?org=${code}">Xem hồ sơ (chỉ đọc)`);
    expect(page.text).toContain('01/07/2025');
    expect(page.text).toContain(REASON);
    expect(page.text).toContain('Sáp nhập');
  });
});

describe('refusals (422 with the message beside the field; nothing written)', () => {
  const refused = async (body: Record<string, string | string[]>, message: string) => {
    const before = await lineage();
    const res = await merge(body);
    expect(res.status).toBe(422);
    expect(res.text).toContain(message);
    expect(await lineage()).toEqual(before);
  };

  it('a predecessor outside the admin’s subtree', async () => {
    await refused({ predecessors: ['PC', 'OUT'], new_code: 'XA-X', new_name: 'Xã X' }, 'Không có cơ quan mã OUT thuộc phạm vi của bạn');
    expect(await statusOf('PC')).toBe('active');
    expect(await one(t, "select id from organisation where code = 'XA-X'")).toBeUndefined();
  });

  it('the successor itself among the predecessors', async () => {
    await refused({ predecessors: ['PC'], successor_code: 'PC' }, 'Cơ quan PC không thể vừa là cơ quan kế thừa vừa là cơ quan được sáp nhập');
  });

  it('an organisation read-only already (merged once: never again)', async () => {
    await refused({ predecessors: ['PA'], successor_code: 'PC' }, 'Cơ quan PA đã ở chế độ chỉ đọc');
    await expect(
      mergeOrganisations(t.appCtx, { predecessors: ['PB'], successor: { code: 'PC' }, effectiveOn: '2025-08-01', reason: 'x' }, null),
    ).rejects.toThrow('organisation PB is read-only');
  });

  it('the admin’s own organisation, and a new successor’s parent outside the subtree', async () => {
    await expect(
      mergeOrganisations(t.appCtx, { predecessors: ['DV1'], successor: { code: 'PC' }, effectiveOn: '2025-08-01', reason: 'x' }, t.users.admin),
    ).rejects.toThrow('your own organisation cannot be merged or split');
    await refused({ predecessors: ['PC'], new_code: 'XA-Y', new_name: 'Xã Y', new_parent: 'OUT' }, 'Không có cơ quan mã OUT thuộc phạm vi của bạn');
    expect(await one(t, "select id from organisation where code = 'XA-Y'")).toBeUndefined();
  });

  it('an empty reason, a bad date, no predecessor', async () => {
    const res = await merge({ predecessors: ['PC'], successor_code: 'XA-MOI', reason: '  ' });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="e-reason">Vui lòng nhập trường này\./);
    const date = await merge({ predecessors: ['PC'], successor_code: 'XA-MOI', effective_on: '2025-02-30' });
    expect(date.status).toBe(422);
    await refused({ successor_code: 'XA-MOI' }, 'Chọn ít nhất một cơ quan');
    expect(await statusOf('PC')).toBe('active');
  });

  it('a staff member or another organisation’s admin cannot reorganise', async () => {
    const staff = await t.signIn('staff');
    expect((await staff.post(FORM, { action: 'merge', predecessors: 'PC', successor_code: 'XA-MOI', effective_on: '2025-07-01', reason: 'x' })).status).toBe(
      403,
    );
    const other = await t.signIn(out.usernames.admin);
    const res = await other.post(FORM, { action: 'merge', predecessors: 'PC', successor_code: 'OUT', effective_on: '2025-07-01', reason: 'x' });
    expect(res.status).toBe(422);
    expect(await statusOf('PC')).toBe('active');
  });
});

describe('splitting one office, and a chain of two steps', () => {
  it('splits PC into XA-1 and XA-2: two lineage rows, PC read-only, its users stay', async () => {
    const lastLog = (await one<{ id: number }>(t, 'select max(id) as id from audit_log'))!.id;
    const res = await admin.post(FORM, {
      action: 'split',
      split_from: 'PC',
      split_into: 'XA-1: UBND xã Một\r\nXA-2: UBND xã Hai',
      effective_on: '2025-07-01',
      reason: REASON,
    });
    expect(res.status, res.text).toBe(303);
    expect((await lineage()).slice(2)).toEqual([
      { p: 'PC', s: 'XA-1', kind: 'split', effective_on: '2025-07-01', reason: REASON, created_by: t.users.admin },
      { p: 'PC', s: 'XA-2', kind: 'split', effective_on: '2025-07-01', reason: REASON, created_by: t.users.admin },
    ]);
    expect(await statusOf('PC')).toBe('read_only');
    expect(await rows(t, 'select name, kind, parent_id from organisation where code in (?, ?) order by code', 'XA-1', 'XA-2')).toEqual([
      { name: 'UBND xã Một', kind: 'office', parent_id: 1 },
      { name: 'UBND xã Hai', kind: 'office', parent_id: 1 },
    ]);
    expect(
      (await rows(t, 'select organisation_id from users where id in (?, ?, ?, ?)', ...Object.values(pc.users))).map((r) => Number(r.organisation_id)),
    ).toEqual([pc.id, pc.id, pc.id, pc.id]);
    const [x1, x2] = [await orgId('XA-1'), await orgId('XA-2')];
    const entries = await rows<{ organisation_id: number; action: string; entity: string; entity_id: string }>(
      t,
      'select organisation_id, action, entity, entity_id from audit_log where id > ? and action = ? order by id',
      lastLog,
      'split',
    );
    expect(entries.map((e) => [Number(e.organisation_id), e.entity, e.entity_id])).toEqual([
      [pc.id, 'organisation', String(pc.id)],
      [x1, 'organisation', String(x1)],
      [x2, 'organisation', String(x2)],
    ]);
    expect((await verify(t.appCtx.db)).ok).toBe(true);
  });

  it('predecessorsOf sees both steps back (XA-MOI and XA-1 merged into XA-LON), successorsOf the way forward', async () => {
    await mergeOrganisations(
      t.appCtx,
      { predecessors: ['XA-MOI', 'XA-1'], successor: { code: 'XA-LON', name: 'UBND xã Lớn' }, effectiveOn: '2026-01-01', reason: 'Sáp nhập lần hai' },
      t.users.admin,
    );
    const chain = await predecessorsOf(t.appCtx.db, await orgId('XA-LON'));
    expect(chain.map((s) => [s.depth, s.code, s.kind, s.effective_on, s.via_code])).toEqual([
      [1, 'XA-1', 'merge', '2026-01-01', 'XA-LON'],
      [1, 'XA-MOI', 'merge', '2026-01-01', 'XA-LON'],
      [2, 'PA', 'merge', '2025-07-01', 'XA-MOI'],
      [2, 'PB', 'merge', '2025-07-01', 'XA-MOI'],
      [2, 'PC', 'split', '2025-07-01', 'XA-1'],
    ]);
    expect((await successorsOf(t.appCtx.db, pc.id)).map((s) => [s.depth, s.code, s.kind])).toEqual([
      [1, 'XA-1', 'split'],
      [1, 'XA-2', 'split'],
      [2, 'XA-LON', 'merge'],
    ]);
    // the users moved twice now work for XA-LON
    expect(Number((await one<{ organisation_id: number }>(t, 'select organisation_id from users where id = ?', pa.users.staff))!.organisation_id)).toBe(
      await orgId('XA-LON'),
    );
    const staff = await t.signIn(pa.usernames.staff);
    const page = await staff.get('/organisation/lineage');
    for (const code of ['XA-MOI', 'XA-1', 'PA', 'PB', 'PC']) expect(page.text).toContain(`<a href="/?org=${code}">`);
  });
});
