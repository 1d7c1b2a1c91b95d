import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, record, verify } from '../../src/core/audit-log/audit-log';
import { dropTrigger } from '../../src/core/db/dialect/ddl';
import { createTestApp, rows, run, type TestApp } from '../support/app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

async function makeSomeChanges() {
  const admin = await t.signIn('admin');
  expect((await admin.post('/admin/units', { code: 'MOTCUA', name: 'Bộ phận Một cửa' })).status).toBe(303);
  expect((await admin.post('/admin/units', { code: 'TC', name: 'Tổ chức' })).status).toBe(303);
  return admin;
}

describe('audit log', () => {
  it('records who, what, old and new values in the same transaction as the change', async () => {
    const admin = await makeSomeChanges();
    const unit = (await rows<{ id: number }>(t, "select id from units where code = 'TC'"))[0];
    expect((await admin.post(`/admin/units/${unit.id}`, { code: 'TCHC', name: 'Tổ chức - Hành chính', version: '1' })).status).toBe(303);
    const entry = (
      await rows<Record<string, unknown>>(
        t,
        "select user_id, action, entity, entity_id, old_values, new_values from audit_log where entity = 'unit' order by id desc limit 1",
      )
    )[0];
    expect(entry.user_id).toBe(t.users.admin);
    expect(entry.action).toBe('update');
    expect(entry.entity_id).toBe(String(unit.id));
    expect(JSON.parse(entry.old_values as string)).toEqual({ code: 'TC', name: 'Tổ chức' });
    expect(JSON.parse(entry.new_values as string)).toEqual({ code: 'TCHC', name: 'Tổ chức - Hành chính' });
  });

  it('chains every row to the previous one and verifies', async () => {
    await makeSomeChanges();
    const chain = await rows<{ prev_hash: string; hash: string }>(t, 'select prev_hash, hash from audit_log order by id');
    expect(chain.length).toBe(3); // sign-in, two units
    expect(chain[0].prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < chain.length; i++) expect(chain[i].prev_hash).toBe(chain[i - 1].hash);
    expect(await verify(t.ctx.db)).toMatchObject({ ok: true, checked: chain.length, keyedFrom: 1 });
  });

  it('refuses UPDATE and DELETE of its rows', async () => {
    await makeSomeChanges();
    await expect(run(t, "update audit_log set action = 'x' where id = 1")).rejects.toThrow(/append-only/);
    await expect(run(t, 'delete from audit_log where id = 1')).rejects.toThrow(/append-only/);
    await expect(run(t, 'delete from audit_log')).rejects.toThrow(/append-only/);
  });

  it('finds a row tampered with behind its back (triggers dropped), naming the first broken row', async () => {
    await makeSomeChanges();
    const target = (await rows<{ id: number }>(t, "select id from audit_log where entity = 'unit' order by id limit 1"))[0].id;
    await dropTrigger(t.ctx.db, 'audit_log_no_update', 'audit_log');
    await run(t, `update audit_log set new_values = '{"code":"FAKE"}' where id = ?`, target);
    const result = await verify(t.ctx.db);
    expect(result.ok).toBe(false);
    expect(result.brokenAt).toEqual({ id: target, reason: 'hash_mismatch' });
    expect(result.checked).toBe(target - 1);
  });

  it('finds a deleted row as a broken link', async () => {
    await makeSomeChanges();
    await dropTrigger(t.ctx.db, 'audit_log_no_delete', 'audit_log');
    await run(t, 'delete from audit_log where id = 2');
    expect((await verify(t.ctx.db)).brokenAt).toEqual({ id: 3, reason: 'chain_broken' });
  });

  it('cannot record a row on a database opened without the audit key: a clear error, nothing written', async () => {
    await makeSomeChanges();
    const keyless = t.ctx.db.withoutPlugins(); // the same database, without what openDatabase gave it (its key among it)
    const entry = { userId: null, action: 'update', entity: 'unit', entityId: 1, new: {} };
    await expect(keyless.transaction().execute((trx) => record(trx, entry, t.clock.now()))).rejects.toThrow(
      /opened without an audit key .*cannot record audit rows/,
    );
    expect(await rows(t, 'select count(*) as n from audit_log')).toEqual([{ n: 3 }]); // sign-in, two units: as before
    await t.ctx.db.transaction().execute((trx) => record(trx, entry, t.clock.now()));
    expect(await verify(t.ctx.db)).toMatchObject({ ok: true, checked: 4 });
  });

  it('is browsed and filtered by admins only', async () => {
    const admin = await makeSomeChanges();
    const page = await admin.get('/admin/audit-log?entity=unit');
    expect(page.status).toBe(200);
    expect(page.text).toContain('MOTCUA');
    expect(page.text).toContain('Tổng số: 2');
    const staff = await t.signIn('staff');
    expect((await staff.get('/admin/audit-log')).status).toBe(403);
  });
});
