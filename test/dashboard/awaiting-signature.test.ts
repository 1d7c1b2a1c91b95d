import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAwaitingSignature, listProgrammesAwaitingApproval, listRevisionsAwaitingSignature } from '../../src/features/dashboard/dashboard.queries';
import { listAnnualDrafts } from '../../src/features/reports/reports.annual.queries';
import { createTestApp, type TestApp } from '../support/app';
import { procedure, run } from '../reports/fixtures';

/**
 * What waits for a leader's signature, read in one statement: the same rows, in the same order, as the three lists
 * read alone, under both signing rules. Revisions in review by several authors (one by the leader, one the leader
 * reviewed), with and without a submission time, on an active and a withdrawn document; programmes and annual
 * reports, drafts and not.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await procedure(t, 'QT-SIGN-01');
  const doc = (code: string) =>
    run(
      t,
      `insert into documents (code, title, type, search_text, created_at, updated_at, organisation_id) values (?, ?, 'form', ?, 'now', 'now', 1)`,
      code,
      `Tài liệu ${code}`,
      code,
    );
  const inReview = async (documentId: number, author: number, submittedAt: string | null, reviewer: number | null = null) => {
    const id = await run(
      t,
      `insert into document_revisions (document_id, revision_no, body, author_id, created_at, updated_at, organisation_id) values (?, 1, 'x', ?, 'now', 'now', 1)`,
      documentId,
      author,
    );
    await run(t, `update document_revisions set status = 'in_review', submitted_at = ? where id = ?`, submittedAt, id);
    if (reviewer !== null) await run(t, `update document_revisions set reviewer_id = ?, reviewed_at = '2026-11-21T00:00:00Z' where id = ?`, reviewer, id);
    return id;
  };
  const qo = t.users.quality_officer;
  await inReview(await doc('S-3'), qo, '2026-11-20T02:00:00Z');
  await inReview(await doc('S-1'), qo, null);
  await inReview(await doc('S-2'), qo, '2026-11-19T02:00:00Z', t.users.leader); // reviewed by the leader
  await inReview(await doc('S-4'), t.users.staff, '2026-11-19T02:00:00Z', qo); // reviewed: awaits approval
  await inReview(await doc('S-5'), t.users.leader, '2026-11-18T00:00:00Z'); // the leader's own
  await inReview(await doc('S-6'), qo, null);
  const gone = await doc('S-7');
  await inReview(gone, qo, '2026-11-01T00:00:00Z');
  await run(t, "update documents set status = 'withdrawn', withdrawn_reason = 'cũ', withdrawn_on = '2026-11-22' where id = ?", gone);
  for (const year of [2028, 2027])
    await run(t, `insert into audit_programmes (year, created_at, updated_at, organisation_id) values (?, 'now', 'now', 1)`, year);
  await run(t, `insert into audit_programmes (year, status, created_at, updated_at, organisation_id) values (2026, 'approved', 'now', 'now', 1)`);
  for (const year of [2026, 2025]) await run(t, `insert into annual_reports (year, created_at, updated_at, organisation_id) values (?, 'now', 'now', 1)`, year);
});
afterAll(async () => t.close());

describe("what waits for a leader's signature", () => {
  it('equals the three lists read alone, in their order, under both signing rules', async () => {
    for (const signers of [3, 2] as const) {
      const together = await listAwaitingSignature(t.ctx.db, t.users.leader, signers);
      expect(together).toEqual({
        revisions: await listRevisionsAwaitingSignature(t.ctx.db, t.users.leader, signers),
        programmes: await listProgrammesAwaitingApproval(t.ctx.db),
        annual: await listAnnualDrafts(t.ctx.db),
      });
    }
    const three = await listAwaitingSignature(t.ctx.db, t.users.leader, 3);
    expect(three.revisions.map((r) => [r.code, r.reviewed])).toEqual([
      ['S-1', false],
      ['S-6', false],
      ['S-4', true],
      ['S-3', false],
    ]);
    expect((await listAwaitingSignature(t.ctx.db, t.users.leader, 2)).revisions.map((r) => r.code)).toEqual(['S-1', 'S-6', 'S-2', 'S-4', 'S-3']);
    expect(three.programmes.map((p) => [p.year, p.items])).toEqual([
      [2027, 0],
      [2028, 0],
    ]);
    expect(three.annual.map((a) => a.year)).toEqual([2025, 2026]);
  });
});
