import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maybeOrganisationOf, organisationOf, runInOrganisation, scopedDb, UnscopedQuery, withoutOrganisation } from '../../src/core/db/scope';
import { countNonconformities } from '../../src/features/nonconformities/nonconformities.list.queries';
import { createTestApp, one, rows, run, type TestApp } from '../support/app';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';

/** The organisation scope (core/db/scope.ts): where a query's organisation comes from, and that none means none. */
let t: TestApp;
let b: OtherOrganisation;
const today = '2026-11-26';

beforeAll(async () => {
  t = await createTestApp();
  b = await addOrganisation(t, 'SOB');
});
afterAll(async () => t?.close());

describe('the scope of a database handle', () => {
  it('comes from the handle, else from the request context, and is refused when there is none', async () => {
    const bare = t.appCtx.db;
    expect(maybeOrganisationOf(bare)).toBeUndefined();
    expect(() => organisationOf(bare)).toThrow(UnscopedQuery);
    await expect(countNonconformities(bare, { today })).rejects.toThrow(UnscopedQuery);
    expect(organisationOf(t.ctx.db)).toBe(1);
    expect(organisationOf(b.ctx.db)).toBe(b.id);
    // inside a transaction, the handle's scope holds
    expect(await t.ctx.db.transaction().execute(async (trx) => organisationOf(trx))).toBe(1);
    // the request context, and the handle's own scope before it
    expect(await runInOrganisation(b.id, async () => organisationOf(bare))).toBe(b.id);
    expect(await runInOrganisation(b.id, async () => organisationOf(t.ctx.db))).toBe(1);
    expect(maybeOrganisationOf(withoutOrganisation(b.ctx.db))).toBeUndefined();
    expect(() => scopedDb(t.ctx.db, b.id)).toThrow(/already works for organisation 1/);
  });
});

describe('two organisations in one database', () => {
  it('keep their own codes: the same NC number in each, counted per organisation', async () => {
    const at = '2026-11-26T02:00:00.000Z';
    for (const [org, user] of [
      [1, t.users.quality_officer],
      [b.id, b.users.quality_officer],
    ] as const) {
      await run(
        t,
        `insert into nonconformities (code, year, seq, title, description, source, severity, status, detected_on, reported_by, version, created_at, updated_at, organisation_id)
         values ('NC-2026-001', 2026, 1, 'Thiếu thành phần hồ sơ', 'Mô tả', 'internal_audit', 'major', 'open', '2026-11-20', ?, 1, ?, ?, ?)`,
        user,
        at,
        at,
        org,
      );
    }
    expect(await rows(t, "select organisation_id from nonconformities where code = 'NC-2026-001' order by organisation_id")).toEqual([
      { organisation_id: 1 },
      { organisation_id: b.id },
    ]);
    await expect(
      run(
        t,
        `insert into nonconformities (code, year, seq, title, description, source, severity, status, detected_on, reported_by, version, created_at, updated_at, organisation_id)
         values ('NC-2026-001', 2026, 2, 'x', 'x', 'internal_audit', 'minor', 'open', '2026-11-20', ?, 1, ?, ?, 1)`,
        t.users.quality_officer,
        at,
        at,
      ),
    ).rejects.toThrow();
    expect(await countNonconformities(t.ctx.db, { today })).toBe(1);
    expect(await countNonconformities(b.ctx.db, { today })).toBe(1);
    expect(await one(t, 'select sum(n) as n from nc_register_counts where organisation_id = ?', b.id)).toEqual({ n: 1 });
  });

  it("a user's requests work for the user's organisation: the register shows that organisation's NCs only", async () => {
    await run(t, "update nonconformities set title = 'Của tổ chức B' where organisation_id = ?", b.id);
    const a = await t.signIn('quality_officer');
    const other = await t.signIn(b.usernames.quality_officer);
    const pageA = await a.get('/nonconformities');
    const pageB = await other.get('/nonconformities');
    expect(pageA.status).toBe(200);
    expect(pageB.status).toBe(200);
    expect(pageA.text).toContain('Thiếu thành phần hồ sơ');
    expect(pageA.text).not.toContain('Của tổ chức B');
    expect(pageB.text).toContain('Của tổ chức B');
    expect(pageB.text).not.toContain('Thiếu thành phần hồ sơ');
  });
});
