import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows as query, type SignedIn, type TestApp } from '../support/app';
import { buildOversightWorld, type OversightWorld } from './fixtures';
import { csvRows, pageRows } from './page';

/**
 * The acceptance test of issue 22: "the oversight page's figures equal the sum of each organisation's own reports".
 * For every organisation of the tree, its own quality officer reads its own pages (the summary report of 1 January
 * to today, the documents due for review, the NC register filtered to open major ones, the overdue actions) and
 * every figure of its row on the parent admin's oversight page equals what those pages show. Then a change in one
 * organisation (a new overdue action, a procedure's document) moves its row and its own pages alike.
 */
let t: TestApp;
let w: OversightWorld;
let admin: SignedIn;
const SUMMARY = '/reports/summary?from=2026-01-01&to=2026-11-26';

beforeAll(async () => {
  t = await createTestApp();
  w = await buildOversightWorld(t);
  admin = await t.signIn('admin');
});
afterAll(async () => t?.close());

const countOf = (html: string) => Number(/<p class="count"[^>]*>\D*([\d.]+)/.exec(html)![1].replace(/\./g, ''));

/** What an organisation's own pages show, read by its own quality officer. */
async function ownFigures(who: SignedIn) {
  const summary = await who.get(SUMMARY);
  expect(summary.status).toBe(200);
  const statuses = Object.fromEntries([...summary.text.matchAll(/<span data-total="([a-z_]+)">([^<]*)</g)].map((m) => [m[1], m[2]]));
  // The on-time rate of the totals line, from the summary's CSV (the page has no table when there is no procedure).
  const [keys, ...lines] = csvRows((await who.get(SUMMARY.replace('/reports/summary', '/reports/summary.csv'))).text);
  const rate = lines.at(-1)![keys.indexOf('onTimeRate')];
  const due = await who.get('/documents/due');
  expect(due.status).toBe(200);
  const major = await who.get('/nonconformities?status=active&severity=major');
  expect(major.status).toBe(200);
  const overdue = await who.get('/actions?status=all&overdue=1');
  expect(overdue.status).toBe(200);
  return {
    onTimeRate: rate,
    compliant: statuses.compliant,
    attention: statuses.attention,
    nonCompliant: statuses.non_compliant,
    documentsDue: String((due.text.match(/<a href="\/documents\/\d+">/g) ?? []).length),
    openMajor: String(countOf(major.text)),
    overdueActions: String(countOf(overdue.text)),
  };
}

async function expectRowsEqualOwnPages() {
  const rows = pageRows((await admin.get('/oversight')).text);
  expect(rows.map((r) => r.code)).toEqual(['DV1', 'SOA', 'SOB', 'SOC', 'SOD']);
  const officers: Record<string, string> = {
    DV1: 'quality_officer',
    SOA: w.a.usernames.quality_officer,
    SOB: w.b.usernames.quality_officer,
    SOC: w.c.usernames.quality_officer,
    SOD: w.d.usernames.quality_officer,
  };
  for (const r of rows) {
    const own = await ownFigures(await t.signIn(officers[r.code]));
    const { onTimeRate, compliant, attention, nonCompliant, documentsDue, openMajor, overdueActions } = r.v;
    expect({ onTimeRate, compliant, attention, nonCompliant, documentsDue, openMajor, overdueActions }, r.code).toEqual(own);
  }
  return rows;
}

describe("the oversight page's figures", () => {
  it("equal each organisation's own reports", async () => {
    const rows = await expectRowsEqualOwnPages();
    // Not all zeros: the comparison compares something.
    expect(rows.find((r) => r.code === 'SOA')!.v).toMatchObject({ openMajor: '1', overdueActions: '1', documentsDue: '1', nonCompliant: '1', attention: '1' });
  });

  it('still equal them after changes in one organisation', async () => {
    // SOB: a new open action due yesterday, and B1's document falls due (its next review in 10 days).
    const [b1] = await query<{ id: number }>(t, `select id from procedures where organisation_id = ? and code = 'B1'`, w.b.id);
    const ncId = (
      await query<{ id: number }>(
        t,
        `insert into nonconformities (code, year, seq, title, description, source, severity, procedure_id, detected_on, status, created_at, updated_at, organisation_id)
         values ('NC-2026-900', 2026, 900, 'NC', 'Mô tả', 'internal_audit', 'major', ?, '2026-11-20', 'open', ?, ?, ?) returning id`,
        b1.id,
        '2026-11-20T00:00:00.000Z',
        '2026-11-20T00:00:00.000Z',
        w.b.id,
      )
    )[0].id;
    await query(
      t,
      `insert into nc_status_history (nonconformity_id, from_status, to_status, changed_on, changed_at, organisation_id) values (?, null, 'reported', '2026-11-20', '2026-11-20T03:00:00.000Z', ?)`,
      ncId,
      w.b.id,
    );
    await query(
      t,
      `insert into nc_actions (nonconformity_id, type, description, owner_id, due_date, status, created_at, updated_at, organisation_id)
       values (?, 'corrective', 'Khắc phục', ?, '2026-11-25', 'planned', ?, ?, ?)`,
      ncId,
      w.b.users.staff,
      '2026-11-20T00:00:00.000Z',
      '2026-11-20T00:00:00.000Z',
      w.b.id,
    );
    await query(t, `update document_revisions set next_review_due = '2026-12-06' where organisation_id = ?`, w.b.id);
    const rows = await expectRowsEqualOwnPages();
    expect(rows.find((r) => r.code === 'SOB')!.v).toMatchObject({ openMajor: '1', overdueActions: '1', documentsDue: '1' });
  });

  it('leave out a document due for review once an approved revision of it is in force by its date (today)', async () => {
    // SOB's due document gets revision 2, approved for today: in force from 00:00, before the timer records it.
    const [due] = await query<{ id: number; author_id: number }>(
      t,
      `select document_id as id, author_id from document_revisions where organisation_id = ? and status = 'effective' and next_review_due <= '2026-12-26'`,
      w.b.id,
    );
    const [next] = await query<{ id: number }>(
      t,
      `insert into document_revisions (document_id, revision_no, body, change_summary, author_id, created_at, updated_at, organisation_id)
       values (?, 2, 'Nội dung mới', 'Soát xét', ?, 'now', 'now', ?) returning id`,
      due.id,
      due.author_id,
      w.b.id,
    );
    await query(t, "update document_revisions set status = 'in_review' where id = ?", next.id);
    await query(t, "update document_revisions set status = 'approved', effective_from = '2026-11-26' where id = ?", next.id);
    const rows = await expectRowsEqualOwnPages();
    expect(rows.find((r) => r.code === 'SOB')!.v).toMatchObject({ documentsDue: '0' });
  });
});
