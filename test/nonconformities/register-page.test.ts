import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, run, type SignedIn, type TestApp } from '../support/app';
import {
  countNonconformities,
  listNonconformities,
  listRegisterPage,
  SORTS,
  type NcFilter,
  type NcListRow,
  type NcPageRow,
} from '../../src/features/nonconformities/nonconformities.list.queries';
import { editNonconformity } from '../../src/features/nonconformities/nonconformities.service';
import { addProcedure, baseNc, ncIn, newAction, newNc, versionOf } from './helpers';
import { onPostgres } from '../support/engine';
import { plansOf } from '../support/plans';

/**
 * The register's page (listRegisterPage): totals read from nc_register_counts for filters by status and severity,
 * and pages of the whole register in code order found from their first row's (year, seq). Every page, total and
 * order must be the ones of the plain query (an offset over the register's order, and a count of the matches).
 */
let t: TestApp;
let qo: SignedIn;
const today = '2026-11-26';

/** The counts table against a count of the rows it stands for. */
async function countsAgree(): Promise<void> {
  const kept = await rows<{ year: number; status: string; severity: string; n: number }>(
    t,
    'select year, status, severity, n from nc_register_counts where n <> 0 order by year, status, severity',
  );
  const counted = await rows<{ year: number; status: string; severity: string; n: number }>(
    t,
    'select year, status, severity, count(*) as n from nonconformities group by year, status, severity order by year, status, severity',
  );
  expect(kept.map((r) => ({ ...r, n: Number(r.n) }))).toEqual(counted.map((r) => ({ ...r, n: Number(r.n) })));
}

/** What the list page shows of a row, from the page's rows and from the full rows (the CSV's). */
const SHOWN = [
  'id',
  'code',
  'title',
  'status',
  'severity',
  'source',
  'procedure_code',
  'unit_code',
  'responsible_name',
  'detected_on',
  'verify_due_on',
] as const;
const pick = (r: Record<string, unknown>) => Object.fromEntries(SHOWN.map((k) => [k, r[k]]));
const actions = (r: { open_actions: number; overdue_actions: number; next_due: string | null }) => ({
  open_actions: Number(r.open_actions),
  overdue_actions: Number(r.overdue_actions),
  next_due: r.next_due,
});
const shownOfPage = (r: NcPageRow) => ({ ...pick(r), ...actions(r), repeat: r.repeat_of_id !== null });
const shownOfFull = (r: NcListRow) => ({ ...pick(r), ...actions(r), repeat: r.repeat_of_code !== null });

/** Every page of `size` rows through listRegisterPage equals the plain query's page, with the plain count as total. */
async function samePages(f: Omit<NcFilter, 'today'>, size: number): Promise<number> {
  const filter = { ...f, today };
  const total = await countNonconformities(t.ctx.db, filter);
  for (let offset = 0; offset <= total + size; offset += size) {
    const page = await listRegisterPage(t.ctx.db, filter, size, offset);
    const plain = await listNonconformities(t.ctx.db, filter, size, offset);
    expect({ f, offset, rows: page.rows.map(shownOfPage) }).toEqual({ f, offset, rows: plain.map(shownOfFull) });
    expect({ f, offset, total: page.total }).toEqual({ f, offset, total });
  }
  return total;
}

const FILTERS: Omit<NcFilter, 'today'>[] = [
  {},
  { status: 'active' },
  { status: 'closed' },
  { severity: 'major' },
  { status: 'active', severity: 'major' },
  { status: 'cancelled', severity: 'major' },
  { source: 'complaint' },
  { q: 'b' },
  { overdue: true },
];

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  const p1 = await addProcedure(t, 'QT-A-01');
  await newNc(t, { title: 'Bảy', severity: 'major', detectedOn: '2025-12-01' }); // NC-2025-001
  await newNc(t, { title: 'Tám', severity: 'minor', detectedOn: '2025-12-02', status: 'reported' }); // NC-2025-002
  await newNc(t, { title: 'Một', severity: 'major', source: 'internal_audit', detectedOn: '2026-01-10', procedureId: p1 }); // NC-2026-001
  await newNc(t, { title: 'Hai', severity: 'minor', source: 'complaint', detectedOn: '2026-02-10', status: 'reported' }); // NC-2026-002
  const three = await ncIn(t, 'open', { title: 'Ba', severity: 'minor', source: 'complaint', detectedOn: '2026-03-10', procedureId: p1 }); // NC-2026-003
  await newAction(t, three.id, { type: 'correction', dueDate: '2026-11-01' });
  await ncIn(t, 'closed', { title: 'Bốn', severity: 'major', detectedOn: '2026-04-10' }); // NC-2026-004
  await ncIn(t, 'cancelled', { title: 'Năm', severity: 'minor', detectedOn: '2026-05-10' }); // NC-2026-005
  await ncIn(t, 'awaiting_verification', { title: 'Sáu', severity: 'major', detectedOn: '2026-06-10' }); // NC-2026-006
  await ncIn(t, 'rejected', { title: 'Chín', detectedOn: '2026-07-10' }); // NC-2026-007
  // NC-2026-006 repeats NC-2026-001 (the page shows a badge, the CSV the earlier code).
  await run(t, "update nonconformities set repeat_of_id = (select id from nonconformities where code = 'NC-2026-001') where code = 'NC-2026-006'");
});
afterAll(async () => t.close());

describe('nc_register_counts', () => {
  it('is kept by every insert, status change and edit of severity', async () => {
    await countsAgree();
    const [nc] = await rows<{ id: number }>(t, "select id from nonconformities where code = 'NC-2026-001'");
    await editNonconformity(
      t.ctx,
      nc.id,
      Number(await versionOf(t, nc.id)),
      { ...baseNc({ title: 'Một', severity: 'minor', detectedOn: '2026-01-10' }), procedureId: null, responsibleUnitId: null, responsibleUserId: null },
      t.users.quality_officer,
    );
    await countsAgree();
    await run(t, "update nonconformities set severity = 'major' where id = ?", nc.id);
    await countsAgree();
    // A row written and removed by hand (a script, a repair): its year's count follows it.
    await run(
      t,
      `insert into nonconformities (code, year, seq, title, description, source, severity, detected_on, status, created_at, updated_at, organisation_id)
       values ('NC-2024-001', 2024, 1, 'Tay', 'Tay', 'other', 'minor', '2024-05-01', 'open', '2024-05-01T00:00:00Z', '2024-05-01T00:00:00Z', 1)`,
    );
    await countsAgree();
    expect((await listRegisterPage(t.ctx.db, { today }, 50, 0)).total).toBe(10);
    await run(t, "delete from nonconformities where code = 'NC-2024-001'");
    await countsAgree();
    expect((await listRegisterPage(t.ctx.db, { today }, 50, 0)).total).toBe(9);
  });
});

describe('the register page: the same rows, order and total as the plain query', () => {
  it('for every filter, pages of 1, 2 and 3, both directions, in code order', async () => {
    for (const f of FILTERS) for (const dir of [undefined, 'asc'] as const) for (const size of [1, 2, 3]) await samePages({ ...f, dir }, size);
  });

  it('for every sort', async () => {
    for (const sort of SORTS)
      for (const dir of [undefined, 'asc'] as const) for (const f of [{}, { status: 'active' as const }]) await samePages({ ...f, sort, dir }, 2);
  });

  it('a deep page of the whole register starts at its first row, across the change of year', async () => {
    const page = await listRegisterPage(t.ctx.db, { today }, 3, 6);
    expect(page).toMatchObject({ total: 9, rows: [{ code: 'NC-2026-001' }, { code: 'NC-2025-002' }, { code: 'NC-2025-001' }] });
    const asc = await listRegisterPage(t.ctx.db, { today, dir: 'asc' }, 3, 1);
    expect(asc.rows.map((r) => r.code)).toEqual(['NC-2025-002', 'NC-2026-001', 'NC-2026-002']);
    expect(await listRegisterPage(t.ctx.db, { today }, 3, 9)).toEqual({ rows: [], total: 9 });
  });

  it('when a year has a gap in its numbers, pages by offset and still gives the same rows', async () => {
    await run(t, "update nonconformities set seq = 40, code = 'NC-2026-040' where code = 'NC-2026-004'");
    try {
      for (const dir of [undefined, 'asc'] as const) for (const size of [1, 2, 4]) expect(await samePages({ dir }, size)).toBe(9);
    } finally {
      await run(t, "update nonconformities set seq = 4, code = 'NC-2026-004' where code = 'NC-2026-040'");
    }
  });

  it('through the page: ?page=N shows the same rows and total', async () => {
    const codes = (html: string) => [...html.matchAll(/<code>(NC-\d{4}-\d{3})<\/code><\/a><\/td>/g)].map((m) => m[1]);
    const all = (await listNonconformities(t.ctx.db, { today: '2099-01-01' }, 50, 0)).map((r) => r.code);
    const first = await qo.get('/nonconformities');
    expect(first.status).toBe(200);
    expect(codes(first.text)).toEqual(all);
    expect(first.text).toContain('9 sự không phù hợp');
    expect(codes((await qo.get('/nonconformities?page=2')).text)).toEqual([]);
    const filtered = await qo.get('/nonconformities?status=active&severity=major');
    expect(codes(filtered.text)).toEqual(['NC-2026-006', 'NC-2026-001', 'NC-2025-001']);
    expect(filtered.text.match(/badge-warn/g)).toHaveLength(1);
  });
});

// SQLite-only: its EXPLAIN QUERY PLAN (PostgreSQL's plans are checked on the province data, see test/bench/README.md).
describe.skipIf(onPostgres)('the register page: statements and plans', () => {
  it('a deep page of the whole register: the per-year counts, then 3 rows from the (year, seq) index, without offset or count', async () => {
    const plans = await plansOf(t.ctx.sqlite!, (db) => listRegisterPage(db, { today }, 3, 6));
    expect(plans).toHaveLength(2);
    expect(plans[0].sql).toMatch(/from "nc_register_counts"/);
    expect(plans[1].sql).not.toMatch(/\boffset\b/i);
    expect(plans[1].plan).toContain('SEARCH n USING COVERING INDEX sqlite_autoindex_nonconformities_1 (organisation_id=? AND (year,seq)<(?,?))');
  });

  it('a first page, filtered by status and severity: one statement, its total from the counts', async () => {
    const plans = await plansOf(t.ctx.sqlite!, (db) => listRegisterPage(db, { today, status: 'active', severity: 'major' }, 3, 0));
    expect(plans).toHaveLength(1);
    expect(plans[0].sql).toMatch(/from "nc_register_counts"/);
    expect(plans[0].sql).not.toMatch(/\boffset\b|count\(\*\) as "n" from "nonconformities"/i);
  });
});
