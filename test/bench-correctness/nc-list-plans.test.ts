import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plansOf as plansFor } from '../support/plans';
import { createTestApp, type TestApp } from '../support/app';
import { onPostgres } from '../support/engine';
import type { Db } from '../../src/core/db/database';
import { countNonconformities, listNonconformities, type NcFilter } from '../../src/features/nonconformities/nonconformities.list.queries';
import { findProcedureByTypedCode, hasMoreActiveProcedures } from '../../src/features/procedures/procedures.queries';
import { addProcedure, ncIn, newAction, newNc } from '../nonconformities/helpers';

/**
 * The register at province scale (100,000 nonconformities, npm run bench): the count reads `nonconformities` alone
 * (no filter needs a joined table), and a page is chosen by its ids first (an index scan for the default order), the
 * joins and the action subqueries running for the page's rows only. The known answers check that rows, order and
 * total are the ones the register always gave, across pages, filters and sorts.
 * The plans are SQLite's (EXPLAIN QUERY PLAN, its index names and strategies): those tests are SQLite-only, the
 * known answers run on both engines.
 */
let t: TestApp;
let p1: number;

beforeAll(async () => {
  t = await createTestApp();
  p1 = await addProcedure(t, 'QT-A-01');
  const p2 = await addProcedure(t, 'QT-B-02');
  await newNc(t, { title: 'Một', severity: 'major', source: 'internal_audit', detectedOn: '2026-01-10', procedureId: p1 }); // NC-2026-001 open
  await newNc(t, { title: 'Hai', severity: 'minor', source: 'complaint', detectedOn: '2026-02-10', procedureId: p2, status: 'reported' }); // NC-2026-002 reported
  const three = await ncIn(t, 'open', { title: 'Ba', severity: 'minor', source: 'complaint', detectedOn: '2026-03-10', procedureId: p1 }); // NC-2026-003 open
  await newAction(t, three.id, { type: 'correction', dueDate: '2026-11-01' }); // overdue on 2026-11-26
  await ncIn(t, 'closed', { title: 'Bốn', severity: 'major', detectedOn: '2026-04-10', procedureId: p2 }); // NC-2026-004 closed
  await ncIn(t, 'cancelled', { title: 'Năm', severity: 'minor', detectedOn: '2026-05-10' }); // NC-2026-005 cancelled
  await ncIn(t, 'awaiting_verification', { title: 'Sáu', severity: 'major', detectedOn: '2026-06-10', procedureId: p1 }); // NC-2026-006
  await newNc(t, { title: 'Bảy', severity: 'major', detectedOn: '2025-12-01', responsibleUnitId: t.units.other }); // NC-2025-001 open
});
afterAll(async () => t.close());

/** SQLite's EXPLAIN QUERY PLAN lines of every select `fn` runs (only the SQLite-only tests below call it). */
const plansOf = (fn: (db: Db) => Promise<unknown>) => {
  if (!t.ctx.sqlite) throw new Error('query plans are read on SQLite only');
  return plansFor(t.ctx.sqlite, fn);
};

const today = '2026-11-26';
const codesOf = async (f: Omit<NcFilter, 'today'>, limit: number, offset: number) =>
  (await listNonconformities(t.ctx.db, { ...f, today }, limit, offset)).map((r) => r.code);

/** Every page of `size` rows, and the total. */
async function pages(f: Omit<NcFilter, 'today'>, size: number): Promise<{ pages: string[][]; total: number }> {
  const total = await countNonconformities(t.ctx.db, { ...f, today });
  const out: string[][] = [];
  for (let offset = 0; offset < total; offset += size) out.push(await codesOf(f, size, offset));
  expect(await codesOf(f, size, Math.ceil(total / size) * size)).toEqual([]);
  return { pages: out, total };
}

/** A full table walk: SCAN of n other than through a covering index. */
const fullScans = (plan: string[]) => plan.filter((p) => /^SCAN n\b/.test(p) && !/USING COVERING INDEX/.test(p));

// SQLite-only: these read SQLite's EXPLAIN QUERY PLAN output; PostgreSQL plans differently and says it otherwise.
describe.skipIf(onPostgres)('register query plans', () => {
  it('counts without a filter from nonconformities alone, never joining', async () => {
    const plans = await plansOf((db) => countNonconformities(db, { today }));
    expect(plans).toHaveLength(1);
    expect(plans[0].sql).not.toMatch(/\bjoin\b/i);
    expect(plans[0].plan.filter((p) => p.includes('LEFT-JOIN'))).toEqual([]);
    expect(fullScans(plans[0].plan)).toEqual([]);
  });

  it('counts the filtered register from the status index alone', async () => {
    const plans = await plansOf((db) => countNonconformities(db, { status: 'active', severity: 'major', today }));
    expect(plans[0].sql).not.toMatch(/\bjoin\b/i);
    expect(plans[0].plan).toEqual(['SEARCH n USING COVERING INDEX nonconformities_status_code_idx (organisation_id=? AND status=? AND severity=?)']);
  });

  it("chooses a deep page's ids by a covering index scan, then joins only those rows", async () => {
    const plans = await plansOf((db) => listNonconformities(db, { today }, 50, 74_950));
    expect(plans).toHaveLength(1);
    const plan = plans[0].plan;
    // The joined rows are found by id ...
    expect(plan[0]).toBe('SEARCH n USING INTEGER PRIMARY KEY (rowid=?)');
    expect(plan.some((p) => p.startsWith('LIST SUBQUERY'))).toBe(true);
    // ... and the ids in the register's order straight from the organisation's (year, seq) index, reading no table row.
    expect(plan.filter((p) => /^SEARCH n USING COVERING INDEX sqlite_autoindex_nonconformities_\d+ \(organisation_id=\?\)$/.test(p))).toHaveLength(1);
    expect(fullScans(plan)).toEqual([]);
    // Only the page's 50 rows are sorted; the five joins are lookups by key.
    expect(plan.filter((p) => p === 'USE TEMP B-TREE FOR ORDER BY')).toHaveLength(1);
    expect(plan.filter((p) => p.includes('LEFT-JOIN'))).toHaveLength(5);
    expect(plan.filter((p) => p.includes('LEFT-JOIN') && !p.includes('USING INTEGER PRIMARY KEY'))).toEqual([]);
  });

  it('a filtered page reads the filter from its index, and the joins only for the page', async () => {
    const plans = await plansOf((db) => listNonconformities(db, { status: 'active', severity: 'major', today }, 50, 0));
    const plan = plans[0].plan;
    expect(plan[0]).toBe('SEARCH n USING INTEGER PRIMARY KEY (rowid=?)');
    // The ids from one of the organisation's indexes: its (status, severity) run, or (as SQLite chooses without
    // statistics on this small database) its (year, seq) order, read until the page is full.
    expect(plan.filter((p) => /^SEARCH n USING (COVERING )?INDEX \S+ \(organisation_id=\?( AND status=\? AND severity=\?)?\)$/.test(p))).toHaveLength(1);
    expect(fullScans(plan)).toEqual([]);
  });
});

// SQLite-only, as above: SQLite's query plans.
describe.skipIf(onPostgres)('register query plans, a status without a severity', () => {
  it('reads each (status, severity) run of the status index in code order and merges only their first rows', async () => {
    for (const status of ['closed', 'active'] as const) {
      const plan = (await plansOf((db) => listNonconformities(db, { status, today }, 50, 0)))[0].plan;
      expect(plan).toContain('COMPOUND QUERY');
      const runs = plan.filter((p) => p === 'SEARCH n USING COVERING INDEX nonconformities_status_code_idx (organisation_id=? AND status=? AND severity=?)');
      expect(runs).toHaveLength(status === 'closed' ? 2 : 12);
      expect(fullScans(plan)).toEqual([]);
    }
  });

  it('beyond the first 2,000 rows, sorts the matches as before', async () => {
    const plan = (await plansOf((db) => listNonconformities(db, { status: 'closed', today }, 50, 2_000)))[0].plan;
    expect(plan).not.toContain('COMPOUND QUERY');
    expect(plan.filter((p) => /^SEARCH n USING (COVERING )?INDEX \S+ \(organisation_id=\?( AND status=\?)?\)$/.test(p))).toHaveLength(1);
    expect(fullScans(plan)).toEqual([]);
  });
});

describe('register known answers (7 nonconformities, pages of 2 and 3)', () => {
  it('without a filter: newest code first, over three pages; oldest first when ascending', async () => {
    expect(await pages({}, 3)).toEqual({
      total: 7,
      pages: [['NC-2026-006', 'NC-2026-005', 'NC-2026-004'], ['NC-2026-003', 'NC-2026-002', 'NC-2026-001'], ['NC-2025-001']],
    });
    expect((await pages({ dir: 'asc' }, 3)).pages.flat()).toEqual([
      'NC-2025-001',
      'NC-2026-001',
      'NC-2026-002',
      'NC-2026-003',
      'NC-2026-004',
      'NC-2026-005',
      'NC-2026-006',
    ]);
    expect(await codesOf({}, 2, 5)).toEqual(['NC-2026-001', 'NC-2025-001']);
    expect(await codesOf({}, 50, 0)).toHaveLength(7);
  });

  it('with filters', async () => {
    expect(await pages({ status: 'active' }, 2)).toEqual({
      total: 5,
      pages: [['NC-2026-006', 'NC-2026-003'], ['NC-2026-002', 'NC-2026-001'], ['NC-2025-001']],
    });
    expect(await pages({ severity: 'major' }, 3)).toEqual({ total: 4, pages: [['NC-2026-006', 'NC-2026-004', 'NC-2026-001'], ['NC-2025-001']] });
    expect(await pages({ status: 'active', severity: 'major' }, 2)).toEqual({ total: 3, pages: [['NC-2026-006', 'NC-2026-001'], ['NC-2025-001']] });
    expect(await pages({ status: 'closed' }, 2)).toEqual({ total: 1, pages: [['NC-2026-004']] });
    // A status without a severity merges the runs of the status index (one per status and severity), both ways.
    expect(await pages({ status: 'active', dir: 'asc' }, 2)).toEqual({
      total: 5,
      pages: [['NC-2025-001', 'NC-2026-001'], ['NC-2026-002', 'NC-2026-003'], ['NC-2026-006']],
    });
    expect(await pages({ status: 'open' }, 1)).toEqual({ total: 3, pages: [['NC-2026-003'], ['NC-2026-001'], ['NC-2025-001']] });
    expect(await pages({ status: 'active', procedureId: p1 }, 2)).toEqual({ total: 3, pages: [['NC-2026-006', 'NC-2026-003'], ['NC-2026-001']] });
    expect(await pages({ source: 'complaint' }, 1)).toEqual({ total: 2, pages: [['NC-2026-003'], ['NC-2026-002']] });
    expect(await pages({ procedureId: p1 }, 2)).toEqual({ total: 3, pages: [['NC-2026-006', 'NC-2026-003'], ['NC-2026-001']] });
    expect(await pages({ unitId: t.units.other }, 2)).toEqual({ total: 1, pages: [['NC-2025-001']] });
    expect(await pages({ overdue: true }, 2)).toEqual({ total: 1, pages: [['NC-2026-003']] });
    expect(await pages({ q: '2025' }, 2)).toEqual({ total: 1, pages: [['NC-2025-001']] });
    expect(await pages({ q: 'b' }, 2)).toEqual({ total: 3, pages: [['NC-2026-004', 'NC-2026-003'], ['NC-2025-001']] }); // Ba, Bốn, Bảy
    expect(await pages({ status: 'cancelled', severity: 'major' }, 2)).toEqual({ total: 0, pages: [] });
  });

  it('with every sort, in both directions, across pages', async () => {
    const all = async (f: Omit<NcFilter, 'today'>) => (await pages(f, 3)).pages.flat();
    expect(await all({ sort: 'detected_on', dir: 'asc' })).toEqual([
      'NC-2025-001',
      'NC-2026-001',
      'NC-2026-002',
      'NC-2026-003',
      'NC-2026-004',
      'NC-2026-005',
      'NC-2026-006',
    ]);
    expect(await all({ sort: 'detected_on' })).toEqual([
      'NC-2026-006',
      'NC-2026-005',
      'NC-2026-004',
      'NC-2026-003',
      'NC-2026-002',
      'NC-2026-001',
      'NC-2025-001',
    ]);
    // Major first, then the newest record first within a severity.
    expect(await all({ sort: 'severity', dir: 'asc' })).toEqual([
      'NC-2025-001',
      'NC-2026-006',
      'NC-2026-004',
      'NC-2026-001',
      'NC-2026-005',
      'NC-2026-003',
      'NC-2026-002',
    ]);
    expect(await all({ sort: 'severity' })).toEqual(['NC-2026-005', 'NC-2026-003', 'NC-2026-002', 'NC-2025-001', 'NC-2026-006', 'NC-2026-004', 'NC-2026-001']);
    // The workflow's order: reported, open, …, awaiting verification, closed, cancelled.
    expect(await all({ sort: 'status', dir: 'asc' })).toEqual([
      'NC-2026-002',
      'NC-2025-001',
      'NC-2026-003',
      'NC-2026-001',
      'NC-2026-006',
      'NC-2026-004',
      'NC-2026-005',
    ]);
    // By procedure code, NCs without a procedure last.
    expect(await all({ sort: 'procedure', dir: 'asc' })).toEqual([
      'NC-2026-006',
      'NC-2026-003',
      'NC-2026-001',
      'NC-2026-004',
      'NC-2026-002',
      'NC-2025-001',
      'NC-2026-005',
    ]);
    expect(await all({ sort: 'procedure' })).toEqual(['NC-2026-004', 'NC-2026-002', 'NC-2026-006', 'NC-2026-003', 'NC-2026-001', 'NC-2025-001', 'NC-2026-005']);
    // Only NC-2026-003 has an open action; those without come last.
    expect(await all({ sort: 'next_due', dir: 'asc' })).toEqual([
      'NC-2026-003',
      'NC-2025-001',
      'NC-2026-006',
      'NC-2026-005',
      'NC-2026-004',
      'NC-2026-002',
      'NC-2026-001',
    ]);
    expect(await all({ sort: 'next_due', status: 'active' })).toEqual(['NC-2026-003', 'NC-2025-001', 'NC-2026-006', 'NC-2026-002', 'NC-2026-001']);
  });

  // SQLite-only: the test is about SQLite's query plans (its autoindex and covering-index strategies).
  it.skipIf(onPostgres)(
    'the procedure filter: the register size from a covering index, at most 201 entries; a typed code by the unique and national-code indexes',
    async () => {
      const plans = await plansOf(async (db) => {
        expect(await hasMoreActiveProcedures(db, 200)).toBe(false);
        expect(await hasMoreActiveProcedures(db, 1)).toBe(true);
        expect(await findProcedureByTypedCode(db, 'qt-a-01')).toEqual({ id: p1, code: 'QT-A-01' });
        expect(await findProcedureByTypedCode(db, 'QT-KHONG')).toBeUndefined();
      });
      const [size, , typed] = plans;
      expect(size.sql).toMatch(/limit \?\) as "a"$/);
      expect(size.plan.filter((p) => p.startsWith('SCAN procedures') && !p.includes('USING COVERING INDEX'))).toEqual([]);
      expect(typed.plan).toContain('SEARCH procedures USING INDEX sqlite_autoindex_procedures_1 (organisation_id=? AND code=?)');
      expect(typed.plan).toContain('SEARCH procedures USING INDEX procedures_national_code_idx (organisation_id=? AND national_code=?)');
      expect(typed.plan.filter((p) => p.startsWith('SCAN'))).toEqual([]);
    },
  );

  it("a page's rows carry their joined columns and action counts", async () => {
    const [row] = await listNonconformities(t.ctx.db, { today, overdue: true }, 1, 0);
    expect(row).toMatchObject({ code: 'NC-2026-003', procedure_code: 'QT-A-01', open_actions: 1, overdue_actions: 1, next_due: '2026-11-01', status: 'open' });
    const [last] = await listNonconformities(t.ctx.db, { today }, 1, 6);
    expect(last).toMatchObject({ code: 'NC-2025-001', procedure_code: null, unit_code: 'VP', open_actions: 0, overdue_actions: 0, next_due: null });
  });
});

describe('register known answers, runs longer than a page (a status without a severity merges them)', () => {
  let u: TestApp;
  beforeAll(async () => {
    u = await createTestApp();
    // NC-2026-001 … 009: open minor (1, 2, 4, 5, 7, 8), open major (3, 6), reported minor (9).
    for (let i = 1; i <= 9; i++) {
      await newNc(u, {
        title: `NC ${i}`,
        severity: i % 3 === 0 && i < 9 ? 'major' : 'minor',
        detectedOn: `2026-01-${String(10 + i)}`,
        ...(i === 9 ? { status: 'reported' as const } : {}),
      });
    }
  });
  afterAll(async () => u.close());

  const walk = async (f: Omit<NcFilter, 'today'>, size: number) => {
    const out: string[][] = [];
    for (let offset = 0; ; offset += size) {
      const codes = (await listNonconformities(u.ctx.db, { ...f, today }, size, offset)).map((r) => r.code.slice(-1));
      if (codes.length === 0) return out;
      out.push(codes);
    }
  };

  it('pages of 2 and 3, newest and oldest first', async () => {
    expect(await walk({ status: 'open' }, 2)).toEqual([
      ['8', '7'],
      ['6', '5'],
      ['4', '3'],
      ['2', '1'],
    ]);
    expect(await walk({ status: 'open', dir: 'asc' }, 3)).toEqual([
      ['1', '2', '3'],
      ['4', '5', '6'],
      ['7', '8'],
    ]);
    expect(await walk({ status: 'active' }, 3)).toEqual([
      ['9', '8', '7'],
      ['6', '5', '4'],
      ['3', '2', '1'],
    ]);
    expect(await walk({ status: 'active', dir: 'asc' }, 2)).toEqual([['1', '2'], ['3', '4'], ['5', '6'], ['7', '8'], ['9']]);
  });
});
