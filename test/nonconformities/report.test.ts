import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, one, type TestApp } from '../support/app';
import { ncFiguresForProcedure } from '../../src/features/nonconformities/nonconformities.report.queries';
import { cancelNonconformity, createNonconformity, rejectReport, reopenNonconformity } from '../../src/features/nonconformities/nonconformities.service';
import { saveAnalysis, startImplementation, startPlanning, verifyEffectiveness } from '../../src/features/nonconformities/nonconformities.progress.service';
import { cancelAction, completeAction, createAction } from '../../src/features/nonconformities/nonconformities.actions.service';
import { actionVersion, addProcedure, baseNc, versionOf } from './helpers';

/**
 * Known answers for the compliance report's "Nonconformities" figures, worked out by hand for the period
 * 2026-03-01 … 2026-03-31 (local dates, Asia/Ho_Chi_Minh). Every change is made at a set clock time.
 *
 *  NC  detected  severity  life                                              raised open@31/3 closed
 *  A   02-10     major     stays open                                          –       ✓        –
 *  B   03-05     major     closed 03-20                                        ✓       –        ✓
 *  C   03-10     minor     closed 03-15, reopened 03-25                        ✓       ✓        ✓
 *  D   02-01     major     closed 03-28, reopened 04-05 (after the period)     –       –        ✓
 *  E   03-12     minor     cancelled 03-18                                     ✓       –        –
 *  F   03-20     major     cancelled 04-10 (after the period: open at 31/3)    ✓       ✓        –
 *  G   04-02     minor     open (detected after the period)                    –       –        –
 *  H   03-25     minor     staff report rejected as unfounded 03-26            –       –        –
 *  I   01-05     minor     closed 02-20 (before the period)                    –       –        –
 *  J   03-30     minor     recorded only on 04-03, still open                  ✓       ✓        –
 *  K   03-02     minor     closed 2026-03-31T17:30Z = 01/04 00:30 local        ✓       ✓        –
 *  Q   03-10     major     open, another procedure                             –       –        –
 *  raised 6 (B C E F J K); openAtEnd 5 = major 2 (A F) + minor 3 (C J K); closed 3 (B C D); awaitingTriage 0 (H was
 *  rejected on 26/3, before the end: counted nowhere)
 *
 *  Actions (overdue at `to`: due before 31/3, not completed by 31/3, not cancelled):
 *  A a1 due 03-20 open ✓ · a2 due 03-31 open – (not before `to`) · a3 due 03-05 done 03-31 – (done by `to`)
 *  B b1 due 03-10 done 03-18 – · C c1 due 03-10 done 03-12 – · c2 due 03-28 done 04-02 ✓
 *  D d0 due 03-20 done 03-22 – · d1 due 03-01 cancelled 03-05 – · E e1 open, cancelled with E – · Q q1 due 03-01 open – (other procedure)
 *  overdueActions 2 (a1, c2) = corrective 1 (c2) + other types 1 (a1 is a correction)
 */
let t: TestApp;
let p: number;
let q: number;
const ids: Record<string, number> = {};
const actions: Record<string, number> = {};

const on = (date: string) => t.clock.set(date.includes('T') ? date : `${date}T03:00:00Z`);
const qo = () => t.users.quality_officer;
const v = async (k: string) => Number(await versionOf(t, ids[k]));

async function nc(key: string, procedureId: number, detectedOn: string, severity: 'major' | 'minor', status: 'open' | 'reported' = 'open') {
  ids[key] = (await createNonconformity(t.ctx, baseNc({ procedureId, detectedOn, severity, status }), qo())).id;
}
async function action(key: string, ncKey: string, dueDate: string, type: 'correction' | 'corrective' = 'corrective') {
  actions[key] = await createAction(
    t.ctx,
    { source: { kind: 'nonconformity', id: ids[ncKey] }, type, description: key, ownerId: t.users.staff, dueDate },
    qo(),
  );
}
const done = async (key: string) => completeAction(t.ctx, actions[key], Number(await actionVersion(t, actions[key])), 'xong', t.users.staff);
async function toPlan(key: string) {
  await saveAnalysis(t.ctx, ids[key], await v(key), { whys: [{ why: 'Tại sao?', answer: 'Vì' }], causeCategory: 'method', rootCause: 'Cách làm' }, qo());
  await startPlanning(t.ctx, ids[key], await v(key), qo());
}
const start = async (key: string) => startImplementation(t.ctx, ids[key], await v(key), qo());
const verify = async (key: string) =>
  verifyEffectiveness(t.ctx, ids[key], await v(key), { result: 'effective', note: 'Đã kiểm tra' }, { id: t.users.leader, role: 'leader' });
const reopen = async (key: string) => reopenNonconformity(t.ctx, ids[key], await v(key), 'Tái diễn', qo());
const cancel = async (key: string) => cancelNonconformity(t.ctx, ids[key], await v(key), 'Hủy', qo());

beforeAll(async () => {
  t = await createTestApp();
  p = await addProcedure(t, 'QT-BTXH-01');
  q = await addProcedure(t, 'QT-BTXH-02');

  on('2026-01-05');
  await nc('I', p, '2026-01-05', 'minor');
  await toPlan('I');
  await action('i1', 'I', '2026-02-01');
  await start('I');
  on('2026-02-01');
  await nc('D', p, '2026-02-01', 'major');
  await toPlan('D');
  await action('d0', 'D', '2026-03-20');
  await action('d1', 'D', '2026-03-01');
  await start('D');
  on('2026-02-10');
  await nc('A', p, '2026-02-10', 'major');
  await action('a1', 'A', '2026-03-20', 'correction');
  await action('a2', 'A', '2026-03-31', 'correction');
  await action('a3', 'A', '2026-03-05', 'correction');
  on('2026-02-15');
  await done('i1');
  on('2026-02-20');
  await verify('I');

  on('2026-03-02');
  await nc('K', p, '2026-03-02', 'minor');
  await toPlan('K');
  await action('k1', 'K', '2026-03-20');
  await start('K');
  await done('k1');
  on('2026-03-05');
  await nc('B', p, '2026-03-05', 'major');
  await toPlan('B');
  await action('b1', 'B', '2026-03-10');
  await start('B');
  await cancelAction(t.ctx, actions.d1, Number(await actionVersion(t, actions.d1)), 'Không cần', qo());
  on('2026-03-10');
  await nc('C', p, '2026-03-10', 'minor');
  await nc('Q', q, '2026-03-10', 'major');
  await action('q1', 'Q', '2026-03-01', 'correction');
  await toPlan('C');
  await action('c1', 'C', '2026-03-10');
  await start('C');
  on('2026-03-12');
  await nc('E', p, '2026-03-12', 'minor');
  await action('e1', 'E', '2026-03-14', 'correction');
  await done('c1');
  on('2026-03-15');
  await verify('C');
  on('2026-03-18');
  await done('b1');
  await cancel('E');
  on('2026-03-20');
  await verify('B');
  await nc('F', p, '2026-03-20', 'major');
  on('2026-03-22');
  await done('d0');
  on('2026-03-25');
  await reopen('C');
  await action('c2', 'C', '2026-03-28');
  await start('C');
  await nc('H', p, '2026-03-25', 'minor', 'reported');
  on('2026-03-26');
  await rejectReport(t.ctx, ids.H, await v('H'), 'Không có cơ sở', qo());
  on('2026-03-28');
  await verify('D');
  on('2026-03-31');
  await done('a3');
  on('2026-03-31T17:30:00Z'); // 01/04/2026 00:30 in Hà Nội
  await verify('K');
  on('2026-04-02');
  await nc('G', p, '2026-04-02', 'minor');
  await done('c2');
  on('2026-04-03');
  await nc('J', p, '2026-03-30', 'minor');
  on('2026-04-05');
  await reopen('D');
  on('2026-04-10');
  await cancel('F');
});
afterAll(async () => t.close());

describe('ncFiguresForProcedure', () => {
  it('the scenario reached the states the table says', async () => {
    const status = async (k: string) =>
      String(Object.values((await one<Record<string, unknown>>(t, 'select status from nonconformities where id = ?', ids[k])) ?? {})[0]);
    expect(
      Object.fromEntries(
        await Promise.all(
          Object.keys(ids)
            .sort()
            .map(async (k) => [k, await status(k)]),
        ),
      ),
    ).toEqual({
      A: 'open',
      B: 'closed',
      C: 'awaiting_verification',
      D: 'action_plan',
      E: 'cancelled',
      F: 'cancelled',
      G: 'open',
      H: 'rejected',
      I: 'closed',
      J: 'open',
      K: 'closed',
      Q: 'open',
    });
  });

  it('gives the hand-computed figures for March 2026', async () => {
    expect(await ncFiguresForProcedure(t.ctx.db, p, '2026-03-01', '2026-03-31')).toEqual({
      raised: 6,
      openAtEnd: 5,
      closed: 3,
      awaitingTriage: 0,
      overdueActions: 2,
      overdueCorrectiveActions: 1,
      overdueOtherActions: 1,
      openMajorAtEnd: 2,
      openMinorAtEnd: 3,
    });
  });

  it('gives the hand-computed figures for February 2026 (D still open, I closed, A raised)', async () => {
    // raised: D (02-01), A (02-10); open at 28/2: A, D (closed only in March); closed in Feb: I.
    // Actions due before 28/2 and not done by then: none (i1 due 02-01 was done 02-15, after its due date but before the end).
    expect(await ncFiguresForProcedure(t.ctx.db, p, '2026-02-01', '2026-02-28')).toEqual({
      raised: 2,
      openAtEnd: 2,
      closed: 1,
      awaitingTriage: 0,
      overdueActions: 0,
      overdueCorrectiveActions: 0,
      overdueOtherActions: 0,
      openMajorAtEnd: 2,
      openMinorAtEnd: 0,
    });
  });

  it('gives the hand-computed figures for one day, 1 April 2026 (K closed that local day)', async () => {
    // raised: none detected that day. Open at 1/4: A, C (awaiting… still not closed), J (detected 30/3), F (cancelled
    // only on 10/4); D? closed 28/3, reopened 5/4 → closed; K closed 1/4 → closed. Major A, F; minor C, J.
    // closed on 1/4: K. Overdue at 1/4: a1 (due 20/3), a2 (due 31/3) — corrections, so "other" — and c2 (due 28/3,
    // done 2/4) — corrective.
    expect(await ncFiguresForProcedure(t.ctx.db, p, '2026-04-01', '2026-04-01')).toEqual({
      raised: 0,
      openAtEnd: 4,
      closed: 1,
      awaitingTriage: 0,
      overdueActions: 3,
      overdueCorrectiveActions: 1,
      overdueOtherActions: 2,
      openMajorAtEnd: 2,
      openMinorAtEnd: 2,
    });
  });

  it('counts nothing for a procedure without nonconformities', async () => {
    const empty = await addProcedure(t, 'QT-HT-01');
    expect(await ncFiguresForProcedure(t.ctx.db, empty, '2026-01-01', '2026-12-31')).toEqual({
      raised: 0,
      openAtEnd: 0,
      closed: 0,
      awaitingTriage: 0,
      overdueActions: 0,
      overdueCorrectiveActions: 0,
      overdueOtherActions: 0,
      openMajorAtEnd: 0,
      openMinorAtEnd: 0,
    });
  });
});
