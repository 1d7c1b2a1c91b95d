import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSystemOverview } from '../../src/features/dashboard/dashboard.queries';
import { createTestApp, type TestApp } from '../support/app';
import { run } from '../reports/fixtures';

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
  run(t, `insert into dossier_imports (file_name, sha256, via, imported_at, rows_total) values (?, ?, 'cli', ?, ?)`, file, 'a'.repeat(64), at, rows);

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
      "insert into documents (code, title, type, search_text, created_at, updated_at) values ('TL-1', 'Một', 'form', 'tl-1', 'now', 'now'), ('TL-2', 'Hai', 'form', 'tl-2', 'now', 'now')",
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
});
