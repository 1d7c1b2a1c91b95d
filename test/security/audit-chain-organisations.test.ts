import { afterEach, describe, expect, it } from 'vitest';
import { describeVerify, record, verify, verifyOrganisation } from '../../src/core/audit-log/audit-log';
import { readOrganisationEpoch } from '../../src/core/audit-log/audit-chain';
import type { Db } from '../../src/core/db/database';
import { dropTrigger } from '../../src/core/db/dialect/ddl';
import { migrateToLatest } from '../../src/core/db/migrate';
import { scopedDb, withoutOrganisation } from '../../src/core/db/scope';
import { runCli } from '../../src/cli';
import { createTestApp, one, rows, run, type TestApp } from '../support/app';
import { addOrganisation } from '../support/orgs';

/**
 * One audit chain per organisation (issue 22): from the second switch point on (audit_chain row 2), each row links to
 * the previous row of its own organisation and its HMAC covers its organisation; ids stay one sequence for the whole
 * database. Checked on both engines: the links as written, the whole database and each organisation verified, the
 * attacks a per-organisation chain must still show (a row moved to another organisation, a row removed between
 * two others, the switch point removed), an older database continuing per organisation, and the command.
 */
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

interface Row {
  id: number;
  organisation_id: number;
  prev_hash: string;
  hash: string;
}

/** Writes one entry in its own transaction, as the app does, for `organisation` (undefined: outside any). */
async function write(app: TestApp, organisation: number | undefined, n: number): Promise<number> {
  const base = withoutOrganisation(app.ctx.db);
  const db = organisation === undefined ? base : scopedDb(base, organisation);
  await db.transaction().execute((trx) => record(trx, { userId: null, action: 'update', entity: 'unit', entityId: n, new: { n } }, app.clock.now()));
  return Number((await one<{ id: number }>(app, 'select max(id) as id from audit_log'))!.id);
}

const rowOf = async (app: TestApp, id: number): Promise<Row> => {
  const row = (await one<Row>(app, 'select id, organisation_id, prev_hash, hash from audit_log where id = ?', id))!;
  return { ...row, id: Number(row.id), organisation_id: Number(row.organisation_id) };
};

/** What someone who can edit the database but not read the key does first. */
async function unprotect(db: Db): Promise<void> {
  await dropTrigger(db, 'audit_log_no_update', 'audit_log');
  await dropTrigger(db, 'audit_log_no_delete', 'audit_log');
  await dropTrigger(db, 'audit_chain_no_delete', 'audit_chain');
}

const cli = (app: TestApp, args: string[]) =>
  runCli(args, {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_PATH: app.config.databasePath,
    ...(app.config.databaseUrl ? { DATABASE_URL: app.config.databaseUrl } : {}),
  });

describe('one audit chain per organisation', () => {
  it("links each row to its own organisation's previous row; the database and each organisation verify", async () => {
    t = await createTestApp();
    const b = await addOrganisation(t, 'ORGB');
    const chains = (await readOrganisationEpoch(t.ctx.db))!;
    expect(chains).toBeDefined();
    const a1 = await write(t, 1, 1);
    const b1 = await write(t, b.id, 2);
    const b2 = await write(t, b.id, 3);
    const a2 = await write(t, 1, 4);
    const outside = await write(t, undefined, 5);
    // one sequence of ids for the whole database
    expect([b1, b2, a2, outside]).toEqual([a1 + 1, a1 + 2, a1 + 3, a1 + 4]);
    const [ra1, rb1, rb2, ra2, ro] = await Promise.all([a1, b1, b2, a2, outside].map((id) => rowOf(t!, id)));
    expect([ra1, rb1, rb2, ra2, ro].map((r) => r.organisation_id)).toEqual([1, b.id, b.id, 1, 1]);
    // B's first row links to the database's head at the switch point, its second to its first
    expect(rb1.prev_hash).toBe(chains.prev_hash);
    expect(rb2.prev_hash).toBe(rb1.hash);
    // A's rows link past B's; an entry written outside any organisation is the first organisation's
    expect(ra2.prev_hash).toBe(ra1.hash);
    expect(ro.prev_hash).toBe(ra2.hash);

    const total = Number((await one<{ n: number }>(t, 'select count(*) as n from audit_log'))!.n);
    const whole = await verify(t.ctx.db);
    expect(whole).toMatchObject({ ok: true, checked: total, keyedFrom: 1, perOrganisationFrom: chains.keyed_from });
    expect(describeVerify(whole)).toMatch(
      new RegExp(`^${total} rows, chain intact \\(keyed from row 1, one chain per organisation from row ${chains.keyed_from};`),
    );
    const ofB = await verifyOrganisation(t.ctx.db, b.id);
    expect(ofB).toMatchObject({ ok: true, checked: 2 });
    const inA = Number((await one<{ n: number }>(t, 'select count(*) as n from audit_log where organisation_id = 1 and id >= ?', chains.keyed_from))!.n);
    expect(await verifyOrganisation(t.ctx.db, 1)).toMatchObject({ ok: true, checked: inA });
    expect(inA + 2).toBe(total - chains.rows_before);
  });

  it('finds a row moved to another organisation, at that row, in the whole database and in either trail', async () => {
    t = await createTestApp();
    const b = await addOrganisation(t, 'ORGB');
    await write(t, b.id, 1);
    const a1 = await write(t, 1, 2);
    await write(t, b.id, 3);
    await unprotect(t.ctx.db);
    await run(t, 'update audit_log set organisation_id = ? where id = ?', b.id, a1);
    expect(await verify(t.ctx.db, { headFile: null })).toMatchObject({ ok: false, brokenAt: { id: a1 } });
    expect(await verifyOrganisation(t.ctx.db, b.id)).toMatchObject({ ok: false, brokenAt: { id: a1 } });
  });

  it("finds a row removed between two others (the last of its organisation's trail) without any anchor", async () => {
    t = await createTestApp();
    const b = await addOrganisation(t, 'ORGB');
    await write(t, 1, 1);
    const b1 = await write(t, b.id, 2);
    const a2 = await write(t, 1, 3);
    await unprotect(t.ctx.db);
    await run(t, 'delete from audit_log where id = ?', b1);
    // B's own trail is still a chain (the anchors and the ids of the whole database are what show its end missing)
    expect(await verifyOrganisation(t.ctx.db, b.id)).toMatchObject({ ok: true, checked: 0 });
    expect(await verify(t.ctx.db, { headFile: null })).toMatchObject({ ok: false, brokenAt: { id: a2, reason: 'chain_broken' } });
  });

  it("verifies one organisation's trail without the others': a forged row of B leaves A's verified", async () => {
    t = await createTestApp();
    const b = await addOrganisation(t, 'ORGB');
    const b1 = await write(t, b.id, 1);
    await write(t, 1, 2);
    await unprotect(t.ctx.db);
    await run(t, `update audit_log set new_values = '{"n":"forged"}' where id = ?`, b1);
    expect(await verifyOrganisation(t.ctx.db, 1)).toMatchObject({ ok: true });
    expect(await verifyOrganisation(t.ctx.db, b.id)).toMatchObject({ ok: false, checked: 0, brokenAt: { id: b1, reason: 'hash_mismatch' } });
    expect(await verify(t.ctx.db)).toMatchObject({ ok: false, brokenAt: { id: b1, reason: 'hash_mismatch' } });
  });

  it('continues an older database, keyed as one chain, per organisation from its head at the next start', async () => {
    t = await createTestApp();
    const b = await addOrganisation(t, 'ORGB');
    // a database from before the chains per organisation: no second switch point, rows chained as one
    await unprotect(t.ctx.db);
    await run(t, 'delete from audit_chain where id = 2');
    const old1 = await write(t, b.id, 1);
    const old2 = await write(t, 1, 2);
    expect((await rowOf(t, old2)).prev_hash).toBe((await rowOf(t, old1)).hash);
    await migrateToLatest(t.appCtx.db); // the new version starts: records the switch point at the head
    const chains = (await readOrganisationEpoch(t.ctx.db))!;
    expect(chains).toMatchObject({ keyed_from: old2 + 1, prev_hash: (await rowOf(t, old2)).hash });
    const new1 = await write(t, b.id, 3);
    const new2 = await write(t, 1, 4);
    expect((await rowOf(t, new1)).prev_hash).toBe(chains.prev_hash);
    expect((await rowOf(t, new2)).prev_hash).toBe(chains.prev_hash);
    expect(await verify(t.ctx.db)).toMatchObject({ ok: true, keyedFrom: 1, perOrganisationFrom: old2 + 1 });
    // the switch point removed: the rows after it no longer pass as one chain
    await run(t, 'delete from audit_chain where id = 2');
    expect(await verify(t.ctx.db, { headFile: null })).toMatchObject({ ok: false, brokenAt: { id: new1 } });
  });

  it('audit-log:verify --org CODE verifies one organisation, read-only ones too, and names an unknown code', async () => {
    t = await createTestApp();
    const b = await addOrganisation(t, 'ORGB');
    await write(t, b.id, 1);
    await write(t, b.id, 2);
    await run(t, "update organisation set status = 'read_only' where id = ?", b.id);
    const from = (await readOrganisationEpoch(t.ctx.db))!.keyed_from;
    const ok = await cli(t, ['audit-log:verify', '--org', 'orgb']);
    expect(ok.stderr).toBe('');
    expect(ok.stdout.trim()).toBe(
      `audit trail of organisation ORGB verified: 2 rows in its own chain (from row ${from}); audit-log:verify without --org checks the whole database and its anchors`,
    );
    const unknown = await cli(t, ['audit-log:verify', '--org', 'NOPE']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no organisation with code NOPE/);
    const [second] = await rows<{ id: number }>(t, 'select id from audit_log where organisation_id = ? order by id desc limit 1', b.id);
    await unprotect(t.ctx.db);
    await run(t, `update audit_log set reason = 'forged' where id = ?`, second.id);
    const broken = await cli(t, ['audit-log:verify', '--org', 'ORGB']);
    expect(broken.code).toBe(1);
    expect(broken.stderr.trim()).toBe(
      `qms audit-log:verify: audit trail of organisation ORGB broken at row ${second.id} (hash_mismatch); 1 of its rows before it verified`,
    );
  });
});
