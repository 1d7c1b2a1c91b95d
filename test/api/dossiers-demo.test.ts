import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/features/demo';
import { demoApiPush } from '../../src/features/api/api.dossiers.demo';
import { createTestApp, one, rows, type TestApp } from '../support/app';

/**
 * The demo's push from the one-stop system (its "now" is the test clock's, 2026-11-26): the demo made it once, through
 * the API's own service; the same push again writes nothing.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ withUsers: false });
  await runDemo(t.ctx, () => {}, { province: false });
}, 120_000);
afterAll(async () => t?.close());

describe('demoApiPush', () => {
  it('pushes eight dossiers of demo procedures as one API push, and the same push again writes nothing', async () => {
    expect(await rows(t, `select via, file_name, rows_added from dossier_imports where via = 'api'`)).toEqual([
      { via: 'api', file_name: 'API: Hệ thống thông tin giải quyết TTHC tỉnh', rows_added: 8 },
    ]);
    expect(await rows(t, `select action, entity, reason from audit_log where reason like 'API:%' order by id`)).toEqual([
      { action: 'api_batch', entity: 'dossier_import', reason: 'API: Hệ thống thông tin giải quyết TTHC tỉnh' },
    ]);
    const pending = await one<{ n: number }>(t, `select count(*) as n from dossiers where code like '%-API%' and returned_on is null`);
    expect(Number(pending!.n)).toBe(5);
    const audit = Number((await one<{ n: number }>(t, 'select count(*) as n from audit_log'))!.n);
    expect(await demoApiPush(t.ctx, 'Hệ thống thông tin giải quyết TTHC tỉnh')).toEqual({ created: 0, updated: 0, unchanged: 8 });
    expect(Number((await one<{ n: number }>(t, `select count(*) as n from dossier_imports where via = 'api'`))!.n)).toBe(1);
    expect(Number((await one<{ n: number }>(t, 'select count(*) as n from audit_log'))!.n)).toBe(audit);
  });
});
