import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, type TestApp } from '../support/app';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { createHoliday } from '../../src/features/holidays/holidays.service';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';
import { dossierFigures, dossierFiguresForAll, monthlyOnTimeSeries, type DossierFigures } from '../../src/features/dossiers/dossiers.figures';

/**
 * Known answers for the figures of shared/domain/REPORTING.md, computed by hand.
 *
 * Calendar (April 2026: Wed 1 … Thu 30; Sat 4/11/18/25, Sun 5/12/19/26): declared holidays Mon 27 Apr, Thu 30 Apr,
 * Fri 1 May; make-up working day Sat 11 Apr. Procedure P1 (QT-KA-01, national code 1.009999) takes 3 working days,
 * P2 (QT-KA-02) 10. Organisation zone Asia/Ho_Chi_Minh (UTC+7). Period: 2026-04-01 … 2026-04-30.
 *
 * due = the 3rd working day after the local receipt date, the receipt date not counted (empty due_date).
 */
const CSV = `code,procedure_code,received_at,due_date,returned_at,outcome,channel,applicant
D01,QT-KA-01,2026-03-20,2026-03-25,2026-03-25,,direct,x
D02,QT-KA-01,2026-03-30,,2026-04-01,,direct,x
D03,QT-KA-01,2026-03-27,,2026-04-03,,direct,x
D04,QT-KA-01,2026-03-25,2026-03-30,,,direct,x
D05,1.009999,2026-03-31T17:30:00Z,,06/04/2026 09:00,returned,online,x
D06,QT-KA-01,2026-03-31T16:59:59Z,,2026-04-02,,postal,x
D07,QT-KA-01,2026-03-10,2026-03-13,2026-04-10,withdrawn,direct,x
D08,QT-KA-01,2026-03-16,2026-04-01,2026-03-31T17:00:00Z,,direct,x
D09,QT-KA-01,01/04/2026 08:00,,2026-04-03,,direct,x
D10,QT-KA-01,2026-04-03,,2026-04-08,,online,x
D11,QT-KA-01,2026-04-05,,2026-04-09,,,x
D12,QT-KA-01,2026-04-09,,2026-04-13,,trực tiếp,x
D13,QT-KA-01,2026-04-10,,2026-04-14,,postal,x
D14,QT-KA-01,2026-04-24,,,,direct,x
D15,QT-KA-01,2026-04-23,,,,online,x
D16,QT-KA-01,2026-04-27,,2026-05-05,,online,x
D17,QT-KA-01,2026-04-28,2026-04-30,,,direct,x
D18,QT-KA-01,2026-04-20,2026-04-29,2026-04-30,returned,direct,x
D19,QT-KA-01,2026-04-30,,2026-04-30,,online,x
D20,QT-KA-01,2026-04-15,,2026-04-16,rút hồ sơ,direct,x
D21,QT-KA-01,2026-04-14,2026-04-17,2026-04-17,,bưu chính,x
D22,QT-KA-01,2026-04-02,2026-04-06,2026-04-07,,online,x
D23,QT-KA-01,2026-05-02,,2026-05-04,,direct,x
D24,QT-KA-01,2026-04-30T17:30:00Z,,,,online,x
D25,QT-KA-01,2025-12-15,2025-12-18,,,direct,x
D26,QT-KA-01,2026-02-01,2026-02-05,2026-03-31,,direct,x
D27,QT-KA-01,2026-03-31,,2026-05-04,,direct,x
D28,QT-KA-02,2026-04-10,,2026-04-20,,direct,x
`;

let t: TestApp;
let p1: number;
let p2: number;

beforeAll(async () => {
  t = await createTestApp();
  const base = { field: '', online_level: 'none' as const, unit_id: null, on_time_target: 1 };
  p1 = await createProcedure(t.ctx, { ...base, code: 'QT-KA-01', title: 'Thủ tục thử 1', national_code: '1.009999', processing_days: 3 }, null);
  p2 = await createProcedure(t.ctx, { ...base, code: 'QT-KA-02', title: 'Thủ tục thử 2', national_code: null, processing_days: 10 }, null);
  for (const [date, kind, name] of [
    ['2026-04-27', 'holiday', 'Nghỉ bù Giỗ Tổ Hùng Vương'],
    ['2026-04-30', 'holiday', 'Ngày Chiến thắng'],
    ['2026-05-01', 'holiday', 'Quốc tế lao động'],
    ['2026-04-11', 'workday', 'Làm bù (lịch thử)'],
  ] as const) {
    await createHoliday(t.ctx, { date, kind, name }, null);
  }
  const s = await importDossiers(t.ctx, { buffer: Buffer.from(CSV) }, { fileName: 'known-answers.csv', actorId: null, via: 'cli' });
  expect(s).toMatchObject({ rows: 28, added: 28, updated: 0, unchanged: 0 });
});
afterAll(async () => t.close());

const stored = async (code: string) =>
  (
    await rows<{
      received_on: string;
      received_at: string | null;
      due_on: string;
      due_computed: number;
      returned_on: string | null;
      returned_at: string | null;
      outcome: string | null;
      channel: string;
    }>(t, 'select received_on, received_at, due_on, due_computed, returned_on, returned_at, outcome, channel from dossiers where code = ?', code)
  )[0];

describe('what the import stored (local dates, computed due dates)', () => {
  it('turns UTC instants into local dates: 17:30Z on 31 March is 1 April in Vietnam, 16:59:59Z is still 31 March', async () => {
    expect(await stored('D05')).toMatchObject({
      received_on: '2026-04-01',
      received_at: '2026-03-31T17:30:00.000Z',
      due_on: '2026-04-06',
      returned_on: '2026-04-06',
      returned_at: '2026-04-06T02:00:00.000Z',
    }); // 09:00 local
    expect(await stored('D06')).toMatchObject({ received_on: '2026-03-31', received_at: '2026-03-31T16:59:59.000Z' });
    expect((await stored('D08')).returned_on).toBe('2026-04-01'); // returned 2026-03-31T17:00Z = 1 April 00:00 local
    expect((await stored('D24')).received_on).toBe('2026-05-01'); // 30 April 17:30Z = 1 May 00:30 local
  });

  it('counts a Sunday receipt from Monday, skips holidays and counts the make-up Saturday', async () => {
    expect(await stored('D11')).toMatchObject({ received_on: '2026-04-05', due_on: '2026-04-08', due_computed: 1, channel: 'direct' }); // Sun → Mon 6, Tue 7, Wed 8
    expect((await stored('D12')).due_on).toBe('2026-04-13'); // Thu 9 → Fri 10, Sat 11 (make-up), Mon 13
    expect((await stored('D13')).due_on).toBe('2026-04-14'); // Fri 10 → Sat 11 (make-up), Mon 13, Tue 14
    expect((await stored('D14')).due_on).toBe('2026-05-04'); // Fri 24 → Tue 28, Wed 29, Mon 4 May (27, 30, 1 are holidays)
    expect((await stored('D15')).due_on).toBe('2026-04-29'); // Thu 23 → Fri 24, Tue 28, Wed 29
    expect((await stored('D16')).due_on).toBe('2026-05-04'); // Mon 27 (a holiday, received online) → Tue 28, Wed 29, Mon 4 May
    expect((await stored('D19')).due_on).toBe('2026-05-06'); // Thu 30 (holiday) → Mon 4, Tue 5, Wed 6 May
    expect((await stored('D28')).due_on).toBe('2026-04-23'); // P2, 10 days: Fri 10 → Sat 11, 13, 14, 15, 16, 17, 20, 21, 22, 23
    expect(await stored('D17')).toMatchObject({ due_on: '2026-04-30', due_computed: 0 });
  });

  it('matches the procedure by national code and reads Vietnamese values', async () => {
    expect((await rows(t, "select procedure_id from dossiers where code = 'D05'"))[0]).toEqual({ procedure_id: p1 });
    expect((await stored('D12')).channel).toBe('direct');
    expect((await stored('D20')).outcome).toBe('withdrawn');
    expect((await stored('D21')).channel).toBe('postal');
    expect((await stored('D02')).outcome).toBe('returned'); // returned_at given, outcome empty
    expect(await stored('D04')).toMatchObject({ returned_on: null, outcome: null });
  });
});

describe('dossierFigures for April 2026 (every row of the REPORTING.md table)', () => {
  it('gives the hand-computed figures', async () => {
    const f = await dossierFigures(t.ctx.db, p1, '2026-04-01', '2026-04-30');
    const expected: DossierFigures = {
      // r < from and (t null or t >= from): D02 D03 D04 D06 D07 D08 D25 D27. Not D01 (returned 25/3) nor D26
      // (returned 31/3): resolved before the period. Not D05: 17:30Z on 31/3 is 1/4 locally.
      carriedOver: 8,
      // from <= r <= to: D05 D09 D10 D11 D12 D13 D14 D15 D16 D17 D18 D19 D20 D21 D22. Not D24 (1/5 locally), D23, D28 (P2).
      newlyReceived: 15,
      newlyReceivedOnline: 6, // D05 D10 D15 D16 D19 D22
      newlyReceivedDirect: 7, // D09 D11 (empty = direct) D12 (trực tiếp) D14 D17 D18 D20
      newlyReceivedPostal: 2, // D13 D21 (bưu chính); D06 is postal but carried over
      received: 23,
      // from <= t <= to: D02 D03 D05 D06 D07 D08 D09 D10 D11 D12 D13 D18 D19 D20 D21 D22
      resolved: 16,
      early: 4, // t < due: D02 (1/4 < 2/4), D06 (2/4 < 3/4), D09 (3/4 < 6/4), D19 (30/4 < 6/5)
      // t = due: D05 (6/4), D08 (1/4, returned 17:00Z), D10 (8/4), D12 (13/4 thanks to the make-up Saturday),
      // D13 (14/4), D21 (17/4); withdrawn: D07 (withdrawn 10/4, after its due date 13/3, still on time), D20
      onTime: 8,
      late: 4, // t > due: D03 (3/4 > 1/4), D11 (9/4 > 8/4, Sunday receipt), D18 (30/4 > 29/4), D22 (7/4 > 6/4)
      pending: 7, // t null or t > to: D04 D14 D15 D16 (returned 5/5) D17 D25 D27 (returned 4/5)
      pendingOnTrack: 3, // due >= to: D14 (4/5), D16 (4/5), D17 (30/4 = to)
      pendingOverdue: 4, // due < to: D04 (30/3), D15 (29/4), D25 (18/12/2025), D27 (3/4)
      onTimeRate: 0.75, // (4 + 8) / 16
    };
    expect(f).toEqual(expected);
    expect(f.received).toBe(f.resolved + f.pending);
    expect(f.resolved).toBe(f.early + f.onTime + f.late);
    expect(f.pending).toBe(f.pendingOnTrack + f.pendingOverdue);
    expect(f.newlyReceived).toBe(f.newlyReceivedOnline + f.newlyReceivedDirect + f.newlyReceivedPostal);
  });

  it('carries April’s pending dossiers into May (May 2026)', async () => {
    const f = await dossierFigures(t.ctx.db, p1, '2026-05-01', '2026-05-31');
    expect(f).toEqual({
      carriedOver: 7, // April's 7 pending: D04 D14 D15 D16 D17 D25 D27
      newlyReceived: 2, // D23 (2/5), D24 (1/5 locally)
      newlyReceivedOnline: 1, // D24
      newlyReceivedDirect: 1, // D23
      newlyReceivedPostal: 0,
      received: 9,
      resolved: 3, // D16 (5/5), D23 (4/5), D27 (4/5)
      early: 1, // D23: 4/5 < 6/5 (Sat 2/5 → Mon 4, Tue 5, Wed 6)
      onTime: 0,
      late: 2, // D16 (5/5 > 4/5), D27 (4/5 > 3/4)
      pending: 6, // D04 D14 D15 D17 D24 D25
      pendingOnTrack: 0,
      pendingOverdue: 6, // every due date is before 31/5 (D24: Fri 1/5 holiday → Mon 4, Tue 5, Wed 6)
      onTimeRate: 1 / 3,
    });
  });

  it('has a null rate and zeros when nothing was resolved, and counts a single day', async () => {
    const none = await dossierFigures(t.ctx.db, p1, '2024-01-01', '2024-12-31');
    expect(none).toMatchObject({ received: 0, resolved: 0, pending: 0, onTimeRate: null });
    // 30 April alone: received r <= 30/4 and (t null or t >= 30/4): D04 D14 D15 D16 D17 D18 D19 D25 D27
    const day = await dossierFigures(t.ctx.db, p1, '2026-04-30', '2026-04-30');
    expect(day).toMatchObject({
      carriedOver: 8,
      newlyReceived: 1,
      received: 9,
      resolved: 2,
      early: 1,
      late: 1,
      pending: 7,
      pendingOnTrack: 3,
      pendingOverdue: 4,
      onTimeRate: 0.5,
    });
  });

  it('groups every procedure in one query', async () => {
    const all = await dossierFiguresForAll(t.ctx.db, '2026-04-01', '2026-04-30');
    expect([...all.keys()].sort()).toEqual([p1, p2].sort());
    expect(all.get(p1)).toEqual(await dossierFigures(t.ctx.db, p1, '2026-04-01', '2026-04-30'));
    // D28: received Fri 10/4, due Thu 23/4 (10 working days with the make-up Saturday), returned 20/4 → early
    expect(all.get(p2)).toMatchObject({
      carriedOver: 0,
      newlyReceived: 1,
      newlyReceivedDirect: 1,
      received: 1,
      resolved: 1,
      early: 1,
      onTime: 0,
      late: 0,
      pending: 0,
      onTimeRate: 1,
    });
  });
});

describe('monthlyOnTimeSeries', () => {
  it('counts resolved dossiers by the local month of their return, every month present', async () => {
    const series = await monthlyOnTimeSeries(t.ctx.db, p1, '2026-02-01', '2026-05-31');
    expect(series).toEqual([
      { month: '2026-02', resolved: 0, early: 0, onTime: 0, late: 0, onTimeRate: null },
      // D01 (t = due = 25/3), D26 (t 31/3 > due 5/2)
      { month: '2026-03', resolved: 2, early: 0, onTime: 1, late: 1, onTimeRate: 0.5 },
      { month: '2026-04', resolved: 16, early: 4, onTime: 8, late: 4, onTimeRate: 0.75 },
      { month: '2026-05', resolved: 3, early: 1, onTime: 0, late: 2, onTimeRate: 1 / 3 },
    ]);
  });

  it('adds all procedures together when no procedure is given, within the period only', async () => {
    const series = await monthlyOnTimeSeries(t.ctx.db, null, '2026-04-10', '2026-04-30');
    // t in 10/4..30/4: P1 D07 (withdrawn) D12 D13 D18 (late) D19 (early) D20 (withdrawn) D21, and D28 of P2 (early);
    // not D10, D11 or D22, returned before 10/4
    expect(series).toEqual([{ month: '2026-04', resolved: 8, early: 2, onTime: 5, late: 1, onTimeRate: 7 / 8 }]);
  });
});
