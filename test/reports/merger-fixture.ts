import { expect } from 'vitest';
import { mergeOrganisations } from '../../src/features/organisation/organisation.reorg.service';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import type { SignedIn, TestApp } from '../support/app';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';

/**
 * The merger the reports' predecessor tests share (issue 22): office HUYEN-CU (A) and XA-MOI (B), each with dossiers of
 * October 2026, then A merged into B on 01/11/2026. QT-CHUNG is both offices' procedure, QT-CU A's only, QT-RIENG-B
 * B's only; every procedure takes 2 working days.
 */
export const PERIOD = 'from=2026-10-01&to=2026-10-31';
const HEADER = 'code,procedure_code,received_at,due_date,returned_at,outcome,channel';
// A: QT-CHUNG early (direct), late (online), on time (direct); QT-CU (A's only) late (postal).
const FILE_A = [
  HEADER,
  'HS-A-01,QT-CHUNG,2026-10-02,2026-10-06,2026-10-05,,direct',
  'HS-A-02,QT-CHUNG,2026-10-05,2026-10-07,2026-10-09,,online',
  'HS-A-03,QT-CHUNG,2026-10-12,2026-10-14,2026-10-14,,direct',
  'HS-A-04,QT-CU,2026-10-13,2026-10-15,2026-10-20,,postal',
].join('\n');
// B: QT-CHUNG on time (direct), early (online), pending and overdue at 31/10 (direct); QT-RIENG-B on time (direct).
const FILE_B = [
  HEADER,
  'HS-B-01,QT-CHUNG,2026-10-02,2026-10-06,2026-10-06,,direct',
  'HS-B-02,QT-CHUNG,2026-10-07,2026-10-09,2026-10-08,,online',
  'HS-B-03,QT-CHUNG,2026-10-20,2026-10-22,,,direct',
  'HS-B-04,QT-RIENG-B,2026-10-21,2026-10-23,2026-10-23,,direct',
].join('\n');

const upload = (who: SignedIn, text: string, name: string) =>
  who.agent.post('/dossiers/import').field('_csrf', who.csrf).attach('file', Buffer.from(text), name);

export interface MergerOffices {
  a: OtherOrganisation;
  b: OtherOrganisation;
  /** The procedures' ids: A's QT-CHUNG and QT-CU, B's QT-CHUNG. */
  procedures: { chungA: number; cu: number; chungB: number };
}

/** A and B with their procedures and dossiers, not merged yet (a test adds what it needs first, then `mergeAIntoB`). */
export async function mergerOffices(t: TestApp): Promise<MergerOffices> {
  const a = await addOrganisation(t, 'HUYEN-CU');
  const b = await addOrganisation(t, 'XA-MOI');
  const base = { field: 'Tư pháp', online_level: 'none' as const, national_code: null, processing_days: 2, on_time_target: 1 };
  const chungA = await createProcedure(a.ctx, { ...base, unit_id: a.units.main, code: 'QT-CHUNG', title: 'Thủ tục chung (huyện cũ)' }, null);
  const cu = await createProcedure(a.ctx, { ...base, unit_id: a.units.main, code: 'QT-CU', title: 'Thủ tục chỉ có ở huyện cũ' }, null);
  const chungB = await createProcedure(b.ctx, { ...base, unit_id: b.units.main, code: 'QT-CHUNG', title: 'Thủ tục chung (xã mới)' }, null);
  await createProcedure(b.ctx, { ...base, unit_id: b.units.main, code: 'QT-RIENG-B', title: 'Thủ tục riêng của xã' }, null);
  expect((await upload(await t.signIn(a.usernames.quality_officer), FILE_A, 'a.csv')).status).toBe(303);
  expect((await upload(await t.signIn(b.usernames.quality_officer), FILE_B, 'b.csv')).status).toBe(303);
  return { a, b, procedures: { chungA, cu, chungB } };
}

/** A merged into B on 01/11/2026. */
export async function mergeAIntoB(t: TestApp): Promise<void> {
  await mergeOrganisations(
    t.appCtx,
    { predecessors: ['HUYEN-CU'], successor: { code: 'XA-MOI' }, effectiveOn: '2026-11-01', reason: 'Sắp xếp đơn vị hành chính' },
    null,
  );
}
