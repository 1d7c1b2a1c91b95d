import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/core/db/database';
import { precompiled } from '../../src/core/db/precompiled';
import { findSessionWithUser } from '../../src/core/http/session.queries';
import { findOrganisation } from '../../src/features/organisation/organisation.queries';
import { addOrganisation } from '../support/orgs';
import { createTestApp, type TestApp } from '../support/app';

/**
 * Statements every request runs are built and compiled once per database, then run with new values: they must
 * answer exactly as the same query built each time, on both engines, with constants of the query kept.
 */
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('a precompiled query', () => {
  it('runs with each call’s values, keeps the constants it was built with, and answers as the query built each time', async () => {
    t = await createTestApp();
    const db = t.ctx.db;
    const byRoleAndActive = precompiled((d: Db, role: string, username: string) =>
      d
        .selectFrom('users')
        .select(['username', 'role'])
        .where('active', '=', 1)
        .where((eb) => eb.or([eb('role', '=', role as 'admin'), eb('username', '=', username)]))
        .orderBy('username'),
    );
    expect(await byRoleAndActive(db, 'admin', 'staff')).toEqual([
      { username: 'admin', role: 'admin' },
      { username: 'staff', role: 'staff' },
    ]);
    expect(await byRoleAndActive(db, 'leader', 'nobody')).toEqual([{ username: 'leader', role: 'leader' }]);
    await db.updateTable('users').set({ active: 0 }).where('username', '=', 'leader').execute();
    expect(await byRoleAndActive(db, 'leader', 'admin')).toEqual([{ username: 'admin', role: 'admin' }]);
    // inside a transaction too (compiled for it)
    await db.transaction().execute(async (trx) => {
      expect(await byRoleAndActive(trx, 'quality_officer', 'x')).toEqual([{ username: 'qualityofficer', role: 'quality_officer' }]);
    });
  });

  it('refuses a build that does not put a parameter into the query as a value', async () => {
    t = await createTestApp({ withUsers: false });
    const ignoresIt = precompiled((d: Db, _unused: string) => d.selectFrom('users').select('id'));
    await expect(ignoresIt(t.ctx.db, 'x')).rejects.toThrow(/parameter 0 is not a value of the query/);
  });
});

describe('the statement every request with a session cookie runs', () => {
  it('reads the session, its user and the organisation at once, and the organisation alone for an unknown session', async () => {
    t = await createTestApp();
    const org = await findOrganisation(t.ctx.db);
    expect(org?.name).toBe('Phòng Lao động - Thương binh và Xã hội');
    const unknown = await findSessionWithUser(t.ctx.db, 'no such session');
    // the organisation a request works in: the user's own (or the one chosen with ?org=CODE), else the first one
    const working = { id: 1, code: 'DV1', status: 'active', chosen: null };
    expect(unknown).toEqual({ session: undefined, user: null, organisation: org, working });
    const at = t.clock.now().toISOString();
    await t.ctx.db.insertInto('sessions').values({ id: 'h1', user_id: t.users.staff, csrf_token: 'tok', created_at: at, last_seen_at: at }).execute();
    await t.ctx.db.insertInto('sessions').values({ id: 'h2', user_id: null, csrf_token: 'tok2', created_at: at, last_seen_at: at }).execute();
    expect(await findSessionWithUser(t.ctx.db, 'h1')).toEqual({
      session: { id: 'h1', user_id: t.users.staff, csrf_token: 'tok', flash: null, created_at: at, last_seen_at: at },
      user: {
        id: t.users.staff,
        username: 'staff',
        full_name: 'Người dùng staff',
        role: 'staff',
        unit_id: t.units.main,
        active: 1,
        must_change_password: 0,
        organisation_id: 1,
        oversees: false,
        succeeds: false,
      },
      organisation: org,
      working,
    });
    expect(await findSessionWithUser(t.ctx.db, 'h2')).toEqual({
      session: { id: 'h2', user_id: null, csrf_token: 'tok2', flash: null, created_at: at, last_seen_at: at },
      user: null,
      organisation: org,
      working,
    });
    // before setup the organisation's settings are not filled in (its row has no name yet): the session is still read
    await t.ctx.db.updateTable('organisation').set({ name: '' }).execute();
    expect((await findSessionWithUser(t.ctx.db, 'h1')).organisation).toBeNull();
    expect((await findSessionWithUser(t.ctx.db, 'h1')).session?.id).toBe('h1');
    // a session that chose another organisation reads that one's settings
    await t.ctx.db.updateTable('organisation').set({ name: 'Phòng Lao động - Thương binh và Xã hội' }).execute();
    const b = await addOrganisation(t, 'SOB', { parent: 1 });
    await t.ctx.db.updateTable('sessions').set({ viewing_organisation_id: b.id }).where('id', '=', 'h1').execute();
    const chosen = await findSessionWithUser(t.ctx.db, 'h1');
    expect(chosen.working).toEqual({ id: b.id, code: 'SOB', status: 'active', chosen: b.id });
    expect(chosen.organisation?.name).toBe('Cơ quan SOB');
    expect(chosen.user?.oversees).toBe(true);
    await t.ctx.db.updateTable('organisation').set({ name: '' }).where('id', '=', 1).execute();
    expect(await findOrganisation(t.ctx.db)).toBeUndefined();
  });
});
