import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSystemOverview } from '../../src/features/dashboard/dashboard.queries';
import { createTestApp, type TestApp } from '../support/app';
import { procedure, run } from '../reports/fixtures';
import { rows } from '../support/app';

/**
 * The admin's system overview, read in one statement: known answers before and after an import, a withdrawn
 * document, an inactive unit and user (the test app has one active user per role, two units, no procedure).
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const importRow = (file: string, at: string, rows: number) =>
  run(
    t,
    `insert into dossier_imports (file_name, sha256, via, imported_at, rows_total, organisation_id) values (?, ?, 'cli', ?, ?, 1)`,
    file,
    'a'.repeat(64),
    at,
    rows,
  );

describe('the admin overview', () => {
  it('counts active users by role, units, procedures, documents, the audit log, and gives the last import', async () => {
    const before = await findSystemOverview(t.ctx.db);
    expect(before.usersByRole).toEqual({ admin: 1, quality_officer: 1, leader: 1, staff: 1 });
    expect(before.activeUsers).toBe(4);
    expect(before.activeUnits).toBe(2);
    expect(before.activeProcedures).toBe(0);
    expect(before.activeDocuments).toBe(0);
    expect(before.lastDossierImport).toBeNull();

    await importRow('first.csv', '2026-11-01T01:00:00Z', 10);
    await importRow('second.csv', '2026-11-02T01:00:00Z', 1234);
    await run(
      t,
      "insert into documents (code, title, type, search_text, created_at, updated_at, organisation_id) values ('TL-1', 'Một', 'form', 'tl-1', 'now', 'now', 1), ('TL-2', 'Hai', 'form', 'tl-2', 'now', 'now', 1)",
    );
    await run(t, "update documents set status = 'withdrawn', withdrawn_reason = 'cũ', withdrawn_on = '2026-11-03' where code = 'TL-2'");
    await run(t, 'update users set active = 0 where id = ?', t.users.leader);
    await run(t, 'update units set active = 0 where id = ?', t.units.other);
    const last = await t.ctx.db.selectFrom('audit_log').select(['id', 'at']).orderBy('id', 'desc').limit(1).executeTakeFirst();

    const after = await findSystemOverview(t.ctx.db);
    expect(after.usersByRole).toEqual({ admin: 1, quality_officer: 1, staff: 1 });
    expect(after.activeUsers).toBe(3);
    expect(after.activeUnits).toBe(1);
    expect(after.activeDocuments).toBe(1);
    expect(after.auditLogEntries).toBe(Number(last?.id ?? 0));
    expect(after.lastAuditLogAt).toBe(last?.at ?? null);
    expect(after.lastDossierImport).toEqual({ file_name: 'second.csv', imported_at: '2026-11-02T01:00:00Z', rows_total: 1234 });
  });

  it('keeps its counts (overview_counts) equal to the tables after rows are inserted, changed and deleted by hand', async () => {
    const live = async () => {
      const [u] = await rows<{ n: number }>(t, 'select count(*) as n from users where active = 1');
      const byRole = await rows<{ role: string; n: number }>(t, 'select role, count(*) as n from users where active = 1 group by role');
      const [p] = await rows<{ n: number }>(t, "select count(*) as n from procedures where status = 'active'");
      const [d] = await rows<{ n: number }>(t, "select count(*) as n from documents where status = 'active'");
      return {
        activeUsers: Number(u.n),
        usersByRole: Object.fromEntries(byRole.map((r) => [r.role, Number(r.n)])),
        activeProcedures: Number(p.n),
        activeDocuments: Number(d.n),
      };
    };
    const kept = async () => {
      const o = await findSystemOverview(t.ctx.db);
      return { activeUsers: o.activeUsers, usersByRole: o.usersByRole, activeProcedures: o.activeProcedures, activeDocuments: o.activeDocuments };
    };
    const user = (username: string, role: string, active: number) =>
      run(
        t,
        `insert into users (username, full_name, role, unit_id, active, password_hash, password_changed_at, created_at, updated_at, organisation_id) values (?, ?, ?, ?, ?, 'x', 'now', 'now', 'now', 1)`,
        username,
        username,
        role,
        t.units.main,
        active,
      );

    const a = await user('kept-a', 'staff', 1);
    const b = await user('kept-b', 'leader', 0);
    await user('kept-c', 'quality_officer', 1);
    expect(await kept()).toEqual(await live());
    await run(t, "update users set role = 'admin' where id = ?", a); // active, another role
    await run(t, 'update users set active = 1 where id = ?', b); // the leader role back (the first test deactivated the other)
    expect(await kept()).toEqual(await live());
    await run(t, "update users set role = 'staff', active = 0 where id = ?", a); // both at once
    await run(t, 'delete from users where id = ?', b);
    expect(await kept()).toEqual(await live());
    expect((await kept()).usersByRole).toEqual({ admin: 1, quality_officer: 2, staff: 1 });

    const p1 = await procedure(t, 'QT-KEPT-1');
    const p2 = await procedure(t, 'QT-KEPT-2');
    await procedure(t, 'QT-KEPT-3');
    await run(t, "update procedures set status = 'retired' where id = ?", p1);
    await run(t, "update procedures set title = 'Đổi tên' where id = ?", p2); // another column: no change of count
    await run(
      t,
      "insert into documents (code, title, type, search_text, created_at, updated_at, organisation_id) values ('KEPT-1', 'Một', 'form', 'kept-1', 'now', 'now', 1), ('KEPT-2', 'Hai', 'form', 'kept-2', 'now', 'now', 1)",
    );
    await run(t, "update documents set status = 'withdrawn', withdrawn_reason = 'cũ', withdrawn_on = '2026-11-03' where code = 'KEPT-1'");
    await run(t, "update documents set title = 'Hai (sửa)' where code = 'KEPT-2'"); // another column: no change of count
    expect(await kept()).toEqual(await live());
    expect(await kept()).toMatchObject({ activeProcedures: 2, activeDocuments: 2 });
    await run(t, "update documents set status = 'active', withdrawn_reason = null, withdrawn_on = null where code = 'KEPT-1'");
    await run(t, "update procedures set status = 'active' where id = ?", p1);
    expect(await kept()).toEqual(await live());
    expect(await kept()).toMatchObject({ activeProcedures: 3, activeDocuments: 3 });
  });
});
