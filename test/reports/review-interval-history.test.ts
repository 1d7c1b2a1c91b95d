import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editDocument } from '../../src/features/documents/documents.service';
import { buildProcedureReport } from '../../src/features/reports/reports.procedure';
import { createTestApp, rows, type TestApp } from '../support/app';
import { document, procedure } from './fixtures';

/**
 * Issue 20, point 1: the document-review check reads the review date recorded at the period's end, also when the
 * date moved because the document's review interval changed (no periodic review row).
 * TL-01 revision 1 effective 10/01/2026, next review 10/01/2027 (12 months). On 01/11/2026 the interval becomes
 * 6 months: the next review moves to 10/07/2026 (effective date + 6 months), already past.
 * - report to 31/10/2026: the date then was 10/01/2027 ≥ 31/10 → passes;
 * - report to 30/11/2026: 10/07/2026 < 30/11 → fails.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await procedure(t, 'QT-P-01');
  const [p] = await rows<{ id: number }>(t, "select id from procedures where code = 'QT-P-01'");
  const { documentId } = await document(t, p.id, 'TL-01', [{ effectiveFrom: '2026-01-10', nextReviewDue: '2027-01-10' }], t.users.quality_officer);
  t.clock.set('2026-11-01T03:00:00Z');
  const [d] = await rows<Record<string, never>>(t, 'select * from documents where id = ?', documentId);
  const values = {
    code: d.code,
    title: d.title,
    type: d.type,
    procedure_id: d.procedure_id,
    owner_unit_id: d.owner_unit_id,
    review_interval_months: 6,
    retention: d.retention,
    ack_scope: d.ack_scope,
  };
  await editDocument(t.ctx, documentId, values, [], d.version, t.users.quality_officer);
  t.clock.set('2026-12-31T03:00:00Z');
});
afterAll(async () => t.close());

const reviewCheck = async (to: string) => {
  const data = await buildProcedureReport(t.ctx, 'QT-P-01', { from: '2026-10-01', to }, 'vi', '2026-12-31');
  return { due: data!.report.document?.nextReviewDue, passed: data!.report.checks.find((c) => c.id === 'document_review')?.passed };
};

describe('a new review interval after the period', () => {
  it('is recorded with the date before and after', async () => {
    expect(await rows(t, 'select due_before, due_after, changed_on from document_review_due_changes')).toEqual([
      { due_before: '2027-01-10', due_after: '2026-07-10', changed_on: '2026-11-01' },
    ]);
  });

  it('does not change the review check of a period that ended before it', async () => {
    expect(await reviewCheck('2026-10-31')).toEqual({ due: '2027-01-10', passed: true });
    expect(await reviewCheck('2026-11-30')).toEqual({ due: '2026-07-10', passed: false });
  });
});
