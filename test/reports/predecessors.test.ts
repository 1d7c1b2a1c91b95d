import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type SignedIn, type TestApp } from '../support/app';
import type { OtherOrganisation } from '../support/orgs';
import { mergeAIntoB, mergerOffices, PERIOD } from './merger-fixture';

/**
 * Reports with the predecessors' figures (issue 22): office HUYEN-CU (A) had dossiers, then merged into XA-MOI (B) on
 * 01/11/2026; B has dossiers of its own for the same procedure code. As B's quality officer, `?with=predecessors` adds
 * A's dossier figures of the same procedure code to B's (summed, the rate recomputed from the sums), lists A's
 * procedure that B lacks, and names A; without it, B's figures alone. Organisation 1 has no predecessor: no checkbox,
 * and the option changes nothing. The period (October 2026) is over (the clock says 2026-11-26).
 */
let t: TestApp;
let b: OtherOrganisation;
let qb: SignedIn;
let q1: SignedIn;
const FIELDS = ['received', 'resolved', 'early', 'onTime', 'late', 'pending', 'pendingOverdue', 'onTimeRate'] as const;

const binary = (res: NodeJS.ReadableStream & { setEncoding(e: string): void }, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** Rows of the HTML summary table: code → { field → raw value }. */
function htmlRows(html: string): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const m of html.matchAll(/<tr data-code="([^"]+)">([\s\S]*?)<\/tr>/g)) {
    const cells: Record<string, string> = {};
    for (const c of m[2].matchAll(/data-f="(\w+)" data-v="([^"]*)"/g)) cells[c[1]] = c[2]!;
    out.set(m[1], cells);
  }
  return out;
}

/** The page's text with the escapes of links undone (`&amp;`, `&#x3D;`). */
const links = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
const pick = (cells: Record<string, string> | undefined) => Object.fromEntries(FIELDS.map((f) => [f, cells?.[f]]));
const figures = (received: number, resolved: number, early: number, onTime: number, late: number, pending: number, pendingOverdue: number) => ({
  received: String(received),
  resolved: String(resolved),
  early: String(early),
  onTime: String(onTime),
  late: String(late),
  pending: String(pending),
  pendingOverdue: String(pendingOverdue),
  onTimeRate: resolved === 0 ? '' : String((early + onTime) / resolved),
});

beforeAll(async () => {
  t = await createTestApp();
  ({ b } = await mergerOffices(t));
  await mergeAIntoB(t);
  qb = await t.signIn(b.usernames.quality_officer);
  q1 = await t.signIn('quality_officer');
});
afterAll(async () => t?.close());

describe('the summary with the predecessors', () => {
  it("shows B's figures alone without the option, with the checkbox unticked", async () => {
    const res = await qb.get(`/reports/summary?${PERIOD}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Gồm số liệu của cơ quan tiền nhiệm');
    expect(res.text).not.toMatch(/name="with" value="predecessors" checked/);
    expect(res.text).not.toContain('data-lineage');
    const rows = htmlRows(res.text);
    expect([...rows.keys()]).toEqual(['QT-CHUNG', 'QT-RIENG-B', 'TOTAL']);
    expect(pick(rows.get('QT-CHUNG'))).toEqual(figures(3, 2, 1, 1, 0, 1, 1));
    expect(pick(rows.get('TOTAL'))).toEqual(figures(4, 3, 1, 2, 0, 1, 1));
  });

  it("adds A's figures of the same code, lists A's own procedure, and names A", async () => {
    const res = await qb.get(`/reports/summary?${PERIOD}&with=predecessors`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/name="with" value="predecessors" checked/);
    expect(res.text).toMatch(/data-predecessor="HUYEN-CU">[^<]*\(HUYEN-CU\), sáp nhập vào XA-MOI từ ngày 01\/11\/2026/);
    const rows = htmlRows(res.text);
    expect([...rows.keys()]).toEqual(['QT-CHUNG', 'QT-CU', 'QT-RIENG-B', 'TOTAL']);
    // QT-CHUNG: A 3 received (early, late, on time) + B 3 (on time, early, pending overdue) → 6, 5 resolved, 4/5 good.
    expect(pick(rows.get('QT-CHUNG'))).toEqual(figures(6, 5, 2, 2, 1, 1, 1));
    expect(rows.get('QT-CHUNG')!.onTimeRate).toBe('0.8');
    expect(pick(rows.get('QT-CU'))).toEqual(figures(1, 1, 0, 0, 1, 0, 0));
    expect(res.text).toContain('data-predecessor="HUYEN-CU">Quy trình của cơ quan tiền nhiệm HUYEN-CU');
    expect(pick(rows.get('QT-RIENG-B'))).toEqual(figures(1, 1, 0, 1, 0, 0, 0));
    // Totals: A 4 received (4 resolved: 1 early, 1 on time, 2 late) + B 4 (3 resolved: 1 early, 2 on time; 1 pending).
    expect(pick(rows.get('TOTAL'))).toEqual(figures(8, 7, 2, 3, 2, 1, 1));
    expect(rows.get('TOTAL')!.onTimeRate).toBe(String(5 / 7));
    // The links keep the option: to the procedure's report, the exports and the print version.
    expect(links(res.text)).toContain('/reports/procedures/QT-CHUNG?from=2026-10-01&to=2026-10-31&with=predecessors');
    expect(links(res.text)).toMatch(/\/reports\/summary\.csv\?[^"]*with=predecessors/);
    const print = await qb.get(`/reports/summary/print?${PERIOD}&with=predecessors`);
    expect(pick(htmlRows(print.text).get('TOTAL'))).toEqual(figures(8, 7, 2, 3, 2, 1, 1));
  });

  it('exports the same sums in CSV, with the predecessor of a procedure found only there', async () => {
    const res = await qb.get(`/reports/summary.csv?${PERIOD}&with=predecessors`);
    expect(res.status).toBe(200);
    const records: string[][] = parse(res.text.slice(1), { relax_column_count: false });
    const header = records[0];
    const col = (k: string) => header.indexOf(k);
    expect(records.map((r) => r[col('code')])).toEqual(['code', 'QT-CHUNG', 'QT-CU', 'QT-RIENG-B', 'Tổng cộng']);
    const at = (i: number) => Object.fromEntries(FIELDS.map((f) => [f, records[i][col(f)]]));
    expect(at(1)).toEqual(figures(6, 5, 2, 2, 1, 1, 1));
    expect(records[2][col('predecessor')]).toBe('HUYEN-CU');
    expect(records[1][col('predecessor')]).toBe('');
    expect(at(4)).toEqual(figures(8, 7, 2, 3, 2, 1, 1));
    const without: string[][] = parse((await qb.get(`/reports/summary.csv?${PERIOD}`)).text.slice(1), { relax_column_count: false });
    expect(without[0]).not.toContain('predecessor');
    expect(without.map((r) => r[col('code')])).toEqual(['code', 'QT-CHUNG', 'QT-RIENG-B', 'Tổng cộng']);
    expect(without[3][col('received')]).toBe('4');
  });

  it('exports the same sums in XLSX', async () => {
    const res = await qb
      .get(`/reports/summary.xlsx?${PERIOD}&with=predecessors`)
      .buffer(true)
      .parse(binary as never);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const ws = wb.worksheets[0];
    const header: string[] = parse((await qb.get(`/reports/summary.csv?${PERIOD}&with=predecessors`)).text.slice(1))[0];
    const cell = (r: number, k: string) => ws.getRow(r).getCell(header.indexOf(k) + 1).value;
    expect(ws.rowCount).toBe(1 + 3 + 1);
    expect([cell(2, 'code'), cell(2, 'received'), cell(2, 'late'), cell(2, 'onTimeRate')]).toEqual(['QT-CHUNG', 6, 1, 0.8]);
    expect([cell(3, 'code'), cell(3, 'predecessor')]).toEqual(['QT-CU', 'HUYEN-CU']);
    expect([cell(5, 'received'), cell(5, 'resolved'), cell(5, 'early'), cell(5, 'onTime'), cell(5, 'late')]).toEqual([8, 7, 2, 3, 2]);
    expect(cell(5, 'onTimeRate')).toBe(5 / 7);
  });
});

describe('the per-procedure report with the predecessors', () => {
  it("adds A's dossier figures of the same code (JSON and HTML), and names A", async () => {
    const own = await qb.get(`/reports/procedures/QT-CHUNG.json?${PERIOD}`);
    expect(own.status).toBe(200);
    expect(own.body.dossiers).toMatchObject({ received: 3, resolved: 2, early: 1, onTime: 1, late: 0, onTimeRate: 1 });
    expect(own.body).not.toHaveProperty('predecessors');
    const json = await qb.get(`/reports/procedures/QT-CHUNG.json?${PERIOD}&with=predecessors`);
    expect(json.status).toBe(200);
    expect(json.body.procedure).toEqual({ code: 'QT-CHUNG', title: 'Thủ tục chung (xã mới)' });
    expect(json.body.dossiers).toMatchObject({ received: 6, resolved: 5, early: 2, onTime: 2, late: 1, pending: 1, pendingOverdue: 1, onTimeRate: 0.8 });
    expect(json.body.predecessors).toEqual([{ code: 'HUYEN-CU', name: expect.any(String), kind: 'merge', effectiveOn: '2026-11-01' }]);
    // 4 of 5 on time against an objective of 100 %: the check is judged on the summed figures.
    expect(json.body.checks.find((c: { id: string }) => c.id === 'on_time_target').passed).toBe(false);
    const html = await qb.get(`/reports/procedures/QT-CHUNG?${PERIOD}&with=predecessors`);
    expect(html.status).toBe(200);
    expect(html.text).toContain('data-lineage');
    expect(html.text).toContain('(HUYEN-CU), sáp nhập vào XA-MOI từ ngày 01/11/2026');
    expect(html.text).toMatch(/name="with" value="predecessors" checked/);
    expect(links(html.text)).toContain('QT-CHUNG.csv?from=2026-10-01&to=2026-10-31&with=predecessors');
    const plain = await qb.get(`/reports/procedures/QT-CHUNG?${PERIOD}`);
    expect(plain.text).toContain('Gồm số liệu của cơ quan tiền nhiệm');
    expect(plain.text).not.toContain('data-lineage');
  });

  it('gives the same sums in CSV', async () => {
    const res = await qb.get(`/reports/procedures/QT-CHUNG.csv?${PERIOD}&with=predecessors`);
    expect(res.status).toBe(200);
    const records: string[][] = parse(res.text.slice(1), { relax_column_count: false });
    const value = (section: string, key: string) => records.find((r) => r[0] === section && r[1] === key)?.[3];
    expect([value('dossiers', 'received'), value('dossiers', 'resolved'), value('dossiers', 'onTime'), value('dossiers', 'late')]).toEqual([
      '6',
      '5',
      '2',
      '1',
    ]);
    expect(value('dossiers', 'onTimeRate')).toBe('0.8');
    expect(records.find((r) => r[0] === 'predecessors')?.[1]).toBe('HUYEN-CU');
  });

  it('reports a procedure found only in a predecessor with the option, and 404 without it', async () => {
    expect((await qb.get(`/reports/procedures/QT-CU.json?${PERIOD}`)).status).toBe(404);
    const json = await qb.get(`/reports/procedures/QT-CU.json?${PERIOD}&with=predecessors`);
    expect(json.status).toBe(200);
    expect(json.body.procedure).toEqual({ code: 'QT-CU', title: 'Thủ tục chỉ có ở huyện cũ' });
    expect(json.body.predecessor).toEqual({ code: 'HUYEN-CU', name: expect.any(String) });
    expect(json.body.dossiers).toMatchObject({ received: 1, resolved: 1, late: 1, onTimeRate: 0 });
    const html = await qb.get(`/reports/procedures/QT-CU?${PERIOD}&with=predecessors`);
    expect(html.status).toBe(200);
    expect(html.text).toContain('data-predecessor-only="HUYEN-CU"');
  });
});

describe('an office without predecessors', () => {
  it('sees no checkbox, and the option changes nothing', async () => {
    const plain = await q1.get(`/reports/summary?${PERIOD}`);
    expect(plain.status).toBe(200);
    expect(plain.text).not.toContain('Gồm số liệu của cơ quan tiền nhiệm');
    const asked = await q1.get(`/reports/summary?${PERIOD}&with=predecessors`);
    expect(asked.status).toBe(200);
    expect(asked.text).not.toContain('Gồm số liệu của cơ quan tiền nhiệm');
    // The option is dropped: the exports, the print version and the procedures' links do not carry it.
    expect(links(asked.text)).not.toMatch(/(summary\.csv|summary\/print|procedures\/[^"?]+)\?[^"]*with=predecessors/);
    expect(asked.text).not.toContain('data-lineage');
    expect([...htmlRows(asked.text).entries()]).toEqual([...htmlRows(plain.text).entries()]);
    expect((await q1.get(`/reports/summary.csv?${PERIOD}&with=predecessors`)).text).toBe((await q1.get(`/reports/summary.csv?${PERIOD}`)).text);
    const codes = [...htmlRows(plain.text).keys()].filter((c) => c !== 'TOTAL');
    if (codes.length > 0) {
      const path = `/reports/procedures/${encodeURIComponent(codes[0])}`;
      const report = await q1.get(`${path}.json?${PERIOD}&with=predecessors`);
      expect(report.status).toBe(200);
      expect(report.body).not.toHaveProperty('predecessors');
      const page = await q1.get(`${path}?${PERIOD}&with=predecessors`);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('Gồm số liệu của cơ quan tiền nhiệm');
    }
  });
});
