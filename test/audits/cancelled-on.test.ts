import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditFiguresForProcedure, lastAuditDateForProcedure } from '../../src/features/audits/audits.report.queries';
import { cancelAudit, startAudit } from '../../src/features/audits/audits.service';
import { countAuditsHeld } from '../../src/features/reports/reports.annual.queries';
import { createTestApp, rows, type TestApp } from '../support/app';
import { auditForm, fixture, idFromLocation, type Fixture } from './support';

/**
 * Issue 20, point 1: an audit is counted as of the period's end. Internal audit A of P1 and P2, planned for
 * 01–02/12/2026, started on 10/10/2026 (its first day of fieldwork), cancelled on 05/11/2026.
 * - October (01–31/10): conducted within, not yet cancelled at 31/10 → counted; P1 last audited 10/10/2026.
 * - October–November (to 30/11): cancelled by 30/11 → not counted; no audit of P1 on record at 30/11.
 */
let t: TestApp;
let f: Fixture;
let id: number;

const version = async () => (await rows<{ version: number }>(t, 'select version from audits where id = ?', id))[0].version;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-10-01T03:00:00Z');
  f = await fixture(t);
  const qo = await t.signIn('quality_officer');
  const res = await qo.post('/audits', auditForm(f));
  expect(res.status).toBe(303);
  id = idFromLocation(res.headers.location);
  t.clock.set('2026-10-10T03:00:00Z');
  await startAudit(t.ctx, id, '2026-10-10', await version(), t.users.quality_officer);
  t.clock.set('2026-11-05T03:00:00Z');
  await cancelAudit(t.ctx, id, 'Đoàn đánh giá thay đổi kế hoạch', await version(), t.users.quality_officer);
});
afterAll(async () => t.close());

describe('an audit cancelled after the period', () => {
  it('records the day it was cancelled', async () => {
    expect(await rows(t, 'select status, cancelled_on from audits where id = ?', id)).toEqual([{ status: 'cancelled', cancelled_on: '2026-11-05' }]);
  });

  it('still counts for a period that ended before the cancellation, not for one after', async () => {
    expect(await auditFiguresForProcedure(t.ctx.db, f.p1, '2026-10-01', '2026-10-31', 'internal')).toMatchObject({ count: 1 });
    expect(await lastAuditDateForProcedure(t.ctx.db, f.p1, '2026-10-31', 'internal')).toBe('2026-10-10');
    expect(await countAuditsHeld(t.ctx.db, '2026-10-01', '2026-10-31')).toMatchObject({ held: 1, internal: 1 });
    expect(await auditFiguresForProcedure(t.ctx.db, f.p1, '2026-10-01', '2026-11-30', 'internal')).toMatchObject({ count: 0 });
    expect(await lastAuditDateForProcedure(t.ctx.db, f.p1, '2026-11-30', 'internal')).toBeUndefined();
    expect(await countAuditsHeld(t.ctx.db, '2026-10-01', '2026-11-30')).toMatchObject({ held: 0, internal: 0 });
  });
});
