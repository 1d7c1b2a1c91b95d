import { describe, expect, it } from 'vitest';
import {
  actionStatusAt,
  dueDateAt,
  monitoringFigures,
  objectivesFigures,
  previousActionsFigures,
  processesFigures,
  risksFigures,
  type ObjectiveLine,
  type PrevActionInput,
} from '../../src/features/reviews/reviews.figures';
import { emptyDossiers } from '../../src/features/reports/reports.dossiers';

/**
 * The management review's data pack: every computed figure with known answers worked out by hand from small rows
 * (reviews.figures.ts states the definitions). Period 2026-01-01 … 2026-06-30 throughout.
 */
const FROM = '2026-01-01';
const AS_OF = '2026-06-30';

const action = (over: Partial<PrevActionInput>): PrevActionInput => ({
  id: 1,
  reviewCode: 'XXLĐ-2025-01',
  decisionKind: 'improvement',
  description: 'x',
  ownerName: 'A',
  dueDate: '2026-03-31',
  dueChanges: [],
  startedOn: null,
  completedOn: null,
  cancelledOn: null,
  status: 'planned',
  createdOn: '2025-12-05',
  ...over,
});

describe('status of actions from previous reviews', () => {
  it('reads an action’s status at a date from its dates, never from its status today', () => {
    // done on 05/06: done at 30/06, in progress at 31/05 (started 01/05), planned at 30/04
    const a = action({ status: 'done', startedOn: '2026-05-01', completedOn: '2026-06-05' });
    expect([actionStatusAt(a, '2026-06-30'), actionStatusAt(a, '2026-05-31'), actionStatusAt(a, '2026-04-30')]).toEqual(['done', 'in_progress', 'planned']);
    // cancelled on 10/07: still planned at 30/06
    const c = action({ status: 'cancelled', cancelledOn: '2026-07-10' });
    expect([actionStatusAt(c, '2026-06-30'), actionStatusAt(c, '2026-07-10')]).toEqual(['planned', 'cancelled']);
  });

  it('reads the due date in force at a date from the history of changes', () => {
    // due 31/03, moved to 31/05 on 20/03, then to 30/09 on 05/07
    const a = action({
      dueDate: '2026-09-30',
      dueChanges: [
        { changedOn: '2026-03-20', dueBefore: '2026-03-31' },
        { changedOn: '2026-07-05', dueBefore: '2026-05-31' },
      ],
    });
    expect(dueDateAt(a, '2026-03-01')).toBe('2026-03-31');
    expect(dueDateAt(a, '2026-06-30')).toBe('2026-05-31');
    expect(dueDateAt(a, '2026-07-05')).toBe('2026-09-30');
  });

  it('counts total, done, open, overdue and cancelled as of the period’s end, leaving out what was finished before it or planned after', () => {
    const rows: PrevActionInput[] = [
      action({ id: 1, status: 'done', completedOn: '2026-03-20' }), // done in the period
      action({ id: 2, status: 'in_progress', startedOn: '2026-03-01', dueDate: '2026-04-30' }), // open, overdue
      action({ id: 3, status: 'done', startedOn: '2026-02-01', completedOn: '2026-07-15', dueDate: '2026-04-30' }), // in progress at 30/06, overdue
      action({ id: 4, dueDate: '2026-06-30' }), // due on the last day: not overdue
      action({ id: 5, dueDate: '2026-09-30', dueChanges: [{ changedOn: '2026-07-01', dueBefore: '2026-05-15' }] }), // overdue by the due date then
      action({ id: 6, status: 'cancelled', cancelledOn: '2026-02-01' }), // cancelled in the period
      action({ id: 7, status: 'done', completedOn: '2025-12-20' }), // finished before the period: left out
      action({ id: 8, status: 'cancelled', cancelledOn: '2025-12-31' }), // cancelled before the period: left out
      action({ id: 9, createdOn: '2026-07-02' }), // planned after the period: left out
    ];
    const f = previousActionsFigures(rows, FROM, AS_OF);
    expect(f.rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect({ total: f.total, done: f.done, open: f.open, overdue: f.overdue, cancelled: f.cancelled }).toEqual({
      total: 6,
      done: 1,
      open: 4,
      overdue: 3,
      cancelled: 1,
    });
    expect(f.rows.filter((r) => r.overdue).map((r) => r.id)).toEqual([2, 3, 5]);
    expect(f.rows.find((r) => r.id === 3)).toMatchObject({ status: 'in_progress', completedOn: null });
    expect(f.rows.find((r) => r.id === 5)!.dueDate).toBe('2026-05-15');
    expect(previousActionsFigures([], FROM, AS_OF)).toEqual({ rows: [], total: 0, done: 0, open: 0, overdue: 0, cancelled: 0 });
  });
});

describe('the other inputs', () => {
  it('counts the objectives by status', () => {
    const o = (seq: number, status: ObjectiveLine['status']): ObjectiveLine => ({
      seq,
      objective: `M${seq}`,
      comparison: 'gte',
      target: 95,
      unit: '%',
      value: null,
      status,
    });
    expect(objectivesFigures(2026, [o(1, 'on_track'), o(2, 'not_met'), o(3, 'on_track'), o(4, 'no_data'), o(5, 'met')])).toMatchObject({
      year: 2026,
      met: 1,
      onTrack: 2,
      notMet: 1,
      noData: 1,
    });
  });

  it('counts the procedures by compliance status', () => {
    const p = (code: string, status: 'compliant' | 'attention' | 'non_compliant') => ({ code, title: code, status, resolved: 1, onTimeRate: 1 });
    expect(processesFigures([p('A', 'compliant'), p('B', 'attention'), p('C', 'compliant'), p('D', 'non_compliant')])).toMatchObject({
      procedures: 4,
      compliant: 2,
      attention: 1,
      nonCompliant: 1,
    });
  });

  it('takes the office’s dossiers from the summary’s totals line, the rate as counted there', () => {
    const d = { ...emptyDossiers(), received: 10, resolved: 8, early: 5, onTime: 1, late: 2, pending: 2, pendingOverdue: 1, onTimeRate: 6 / 8 };
    expect(monitoringFigures(d)).toEqual({ received: 10, resolved: 8, early: 5, onTime: 1, late: 2, pending: 2, pendingOverdue: 1, onTimeRate: 0.75 });
    expect(monitoringFigures(emptyDossiers()).onTimeRate).toBeNull();
  });

  it('counts the reviews of risks held in the period by effectiveness, with the register’s figures', () => {
    const register = { openRisks: 3, openOpportunities: 1, withoutTreatment: 1, highInherent: 2, highResidual: 1, reviewsOverdue: 0 };
    const reviews = [
      { reviewedOn: '2025-12-31', effectiveness: 'effective' }, // before the period
      { reviewedOn: '2026-01-01', effectiveness: 'effective' },
      { reviewedOn: '2026-03-15', effectiveness: 'partly_effective' },
      { reviewedOn: '2026-04-01', effectiveness: 'partly_effective' },
      { reviewedOn: '2026-06-30', effectiveness: 'too_early' },
      { reviewedOn: '2026-07-01', effectiveness: 'not_effective' }, // after it
    ];
    expect(risksFigures(register, reviews, FROM, AS_OF)).toEqual({
      ...register,
      reviewsHeld: 4,
      effective: 1,
      partlyEffective: 2,
      notEffective: 0,
      tooEarly: 1,
    });
  });
});
