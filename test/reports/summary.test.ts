import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUMMARY_PAGE_SIZE } from '../../src/features/reports/reports.summary.routes';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { buildScenario, dossier, procedure } from './fixtures';

/**
 * The all-procedures summary on the fixtures of procedure-report.test.ts: every row equals that procedure's own
 * report, the totals line is the sum of the rows, filters work, and the HTML, CSV, XLSX and JSON agree.
 */
let t: TestApp;
let quality: SignedIn;
const PERIOD = 'from=2026-01-01&to=2026-03-31';
const FIELDS = ['received', 'resolved', 'early', 'onTime', 'late', 'pending', 'pendingOverdue', 'ncOpenAtEnd', 'overdueActions'] as const;

beforeAll(async () => {
  t = await createTestApp();
  await buildScenario(t);
  quality = await t.signIn('quality_officer');
});
afterAll(async () => t.close());

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

const binary = (res: NodeJS.ReadableStream & { setEncoding(e: string): void }, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('GET /reports/summary', () => {
  it('shows one row per active procedure with its status, and a totals line equal to the sum of the rows', async () => {
    const res = await quality.get(`/reports/summary?${PERIOD}`);
    expect(res.status).toBe(200);
    const rows = htmlRows(res.text);
    expect([...rows.keys()]).toEqual(['QT-TEST-01', 'QT-TEST-02', 'QT-TEST-03', 'TOTAL']);
    expect(rows.get('QT-TEST-01')!.status).toBe('attention');
    expect(rows.get('QT-TEST-02')!.status).toBe('non_compliant');
    expect(rows.get('QT-TEST-03')!.status).toBe('compliant');
    const total = rows.get('TOTAL')!;
    for (const f of FIELDS) {
      const sum = ['QT-TEST-01', 'QT-TEST-02', 'QT-TEST-03'].reduce((s, c) => s + Number(rows.get(c)![f]), 0);
      expect(Number(total[f]), f).toBe(sum);
    }
    // Hand-computed: received 8 + 0 + 1, resolved 4 + 0 + 1 (early 1 + 1, on time 2, late 1) → rate 4/5.
    expect(total).toMatchObject({
      received: '9',
      resolved: '5',
      early: '2',
      onTime: '2',
      late: '1',
      onTimeRate: '0.8',
      pending: '4',
      pendingOverdue: '2',
      ncOpenAtEnd: '2',
      overdueActions: '2',
    });
    expect(res.text).toContain('data-total="compliant">1<');
    expect(res.text).toContain('data-total="attention">1<');
    expect(res.text).toContain('data-total="non_compliant">1<');
    // One page: it is the whole report, so it prints as it is (no pager, no pointer to the print version).
    expect(res.text).toContain('Tổng cộng (tất cả 3 quy trình)');
    expect(res.text).toContain('3 quy trình khớp bộ lọc.');
    expect(res.text).toMatch(/<article class="doc-page doc-wide"/);
    expect(res.text).not.toContain('data-print-note');
    expect(res.text).not.toContain('class="pager');
  });

  it('gives each procedure the same figures and status as its own report (JSON)', async () => {
    const rows = htmlRows((await quality.get(`/reports/summary?${PERIOD}`)).text);
    for (const code of ['QT-TEST-01', 'QT-TEST-02', 'QT-TEST-03']) {
      const body = (await quality.get(`/reports/procedures/${code}.json?${PERIOD}`)).body;
      const row = rows.get(code)!;
      expect(row.status, code).toBe(body.status);
      for (const f of ['received', 'resolved', 'early', 'onTime', 'late', 'pending', 'pendingOverdue'] as const)
        expect(Number(row[f]), `${code} ${f}`).toBe(body.dossiers[f]);
      expect(row.onTimeRate, code).toBe(body.dossiers.onTimeRate === null ? '' : String(body.dossiers.onTimeRate));
      expect(Number(row.ncOpenAtEnd)).toBe(body.nonconformities.openAtEnd);
      expect(Number(row.overdueActions)).toBe(body.nonconformities.overdueActions);
    }
  });

  it('filters by status, field and unit, the totals following the rows shown', async () => {
    const byStatus = htmlRows((await quality.get(`/reports/summary?${PERIOD}&status=attention`)).text);
    expect([...byStatus.keys()]).toEqual(['QT-TEST-01', 'TOTAL']);
    expect(byStatus.get('TOTAL')!.received).toBe('8');
    const byField = htmlRows((await quality.get(`/reports/summary?${PERIOD}&field=${encodeURIComponent('Người có công')}`)).text);
    expect([...byField.keys()]).toEqual(['QT-TEST-02', 'TOTAL']);
    const byUnit = htmlRows((await quality.get(`/reports/summary?${PERIOD}&unit=${t.units.main}`)).text);
    expect([...byUnit.keys()]).toEqual(['QT-TEST-01', 'QT-TEST-03', 'TOTAL']);
    expect(byUnit.get('TOTAL')!.received).toBe('9');
  });

  it('exports CSV (UTF-8 BOM, CRLF) with the same numbers as the HTML, and the totals line', async () => {
    const html = htmlRows((await quality.get(`/reports/summary?${PERIOD}`)).text);
    const res = await quality.get(`/reports/summary.csv?${PERIOD}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="tong-hop-tuan-thu-2026-01-01-2026-03-31\.csv"$/);
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    expect(res.text).toContain('\r\n');
    const records: string[][] = parse(res.text.slice(1), { relax_column_count: false });
    const header = records[0];
    const col = (k: string) => header.indexOf(k);
    expect(records.length).toBe(1 + 3 + 1);
    for (const rec of records.slice(1, 4)) {
      const h = html.get(rec[col('code')])!;
      expect(rec[col('status')]).toBe(h.status);
      for (const f of FIELDS) expect(rec[col(f)], f).toBe(h[f]);
      expect(rec[col('onTimeRate')]).toBe(h.onTimeRate);
    }
    const totals = records[4];
    expect(totals[col('code')]).toBe('Tổng cộng');
    for (const f of FIELDS) expect(totals[col(f)], f).toBe(html.get('TOTAL')![f]);
  });

  it('exports XLSX with the same rows and totals', async () => {
    const html = htmlRows((await quality.get(`/reports/summary?${PERIOD}`)).text);
    const res = await quality
      .get(`/reports/summary.xlsx?${PERIOD}`)
      .buffer(true)
      .parse(binary as never);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const ws = wb.worksheets[0];
    const csvHeader = parse((await quality.get(`/reports/summary.csv?${PERIOD}`)).text.slice(1))[0];
    const col = (k: string) => csvHeader.indexOf(k) + 1;
    expect(ws.rowCount).toBe(1 + 3 + 1);
    expect(ws.getRow(1).getCell(col('received')).value).toBe('Tổng số hồ sơ tiếp nhận');
    for (let r = 2; r <= 4; r++) {
      const row = ws.getRow(r);
      const h = html.get(String(row.getCell(col('code')).value))!;
      for (const f of FIELDS) expect(String(row.getCell(col(f)).value), f).toBe(h[f]);
    }
    const totals = ws.getRow(5);
    for (const f of FIELDS) expect(String(totals.getCell(col(f)).value), f).toBe(html.get('TOTAL')![f]);
    expect(totals.getCell(col('onTimeRate')).value).toBe(0.8);
  });

  it('defaults to this quarter without dates, and answers 400 for a bad period', async () => {
    const res = await quality.get('/reports/summary');
    expect(res.status).toBe(200);
    expect(res.text).toContain('từ ngày 01/10/2026 đến ngày 26/11/2026');
    expect((await quality.get('/reports/summary?from=2026-13-01&to=2026-12-31')).status).toBe(400);
    expect((await quality.get('/reports/summary.csv?from=2026-03-01&to=2026-01-01')).status).toBe(400);
  });
});

/**
 * Province scale: more procedures than a screen page. 250 procedures QT-BIG-001…250, none with a document (so all
 * non-compliant); odd numbers in the main unit, even in the other; multiples of 5 in "Hộ tịch", the rest in
 * "Đất đai". Number i ≡ 0 (mod 4): one dossier received 05/01, due 20/01, returned 10/01 (resolved, early);
 * i ≡ 1 (mod 4): one received 02/02, due 10/02, not returned (pending, overdue at 31/03). Hand-computed:
 * all 250 → received 62 + 63 = 125, resolved 62, early 62, pending 63, overdue 63, rate 62/62 = 1;
 * main unit (odd i, 125 procedures) → only the i ≡ 1 ones: received 63, resolved 0, pending 63, overdue 63;
 * "Đất đai" in the other unit (even i, not multiples of 5) → 100 procedures.
 */
describe('the summary at province scale: pages on screen, every row in print and exports', () => {
  let big: TestApp;
  let officer: SignedIn;
  const N = 250;
  const code = (i: number) => `QT-BIG-${String(i).padStart(3, '0')}`;
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);
  const codesOf = (html: string) => [...htmlRows(html).keys()].filter((c) => c !== 'TOTAL');
  const sttOf = (html: string) => [...html.matchAll(/<tr data-code="QT-BIG-\d+">\s*<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
  const unescape = (text: string) => text.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
  const hrefsOf = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => unescape(m[1]));
  const hrefOf = (html: string, rel: 'next' | 'prev') => {
    const m = new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(html);
    return m ? new URLSearchParams(unescape(m[1]).replace(/^\?/, '')) : undefined;
  };

  beforeAll(async () => {
    big = await createTestApp();
    for (const i of range(1, N)) {
      const id = await procedure(big, code(i), { unitId: i % 2 ? big.units.main : big.units.other, field: i % 5 === 0 ? 'Hộ tịch' : 'Đất đai' });
      if (i % 4 === 0) await dossier(big, id, `B${i}`, { received: '2026-01-05', due: '2026-01-20', returned: '2026-01-10' });
      if (i % 4 === 1) await dossier(big, id, `B${i}`, { received: '2026-02-02', due: '2026-02-10' });
    }
    officer = await big.signIn('quality_officer');
  });
  afterAll(async () => big.close());

  it('shows page 1 and page 2 with the right rows in order, numbered across pages, and the totals of all rows on each', async () => {
    expect(SUMMARY_PAGE_SIZE).toBe(100);
    const one = await officer.get(`/reports/summary?${PERIOD}`);
    expect(one.status).toBe(200);
    expect(codesOf(one.text)).toEqual(range(1, 100).map(code));
    expect(sttOf(one.text)).toEqual(range(1, 100));
    const two = await officer.get(`/reports/summary?${PERIOD}&page=2`);
    expect(two.status).toBe(200);
    expect(codesOf(two.text)).toEqual(range(101, 200).map(code));
    expect(sttOf(two.text)).toEqual(range(101, 200));
    const three = await officer.get(`/reports/summary?${PERIOD}&page=3`);
    expect(codesOf(three.text)).toEqual(range(201, 250).map(code));
    for (const page of [one, two, three]) {
      const total = htmlRows(page.text).get('TOTAL')!;
      expect(total).toMatchObject({
        received: '125',
        resolved: '62',
        early: '62',
        onTime: '0',
        late: '0',
        onTimeRate: '1',
        pending: '63',
        pendingOverdue: '63',
        ncOpenAtEnd: '0',
        overdueActions: '0',
      });
      expect(page.text).toContain('Tổng cộng (tất cả 250 quy trình)');
      expect(page.text).toContain('data-total="non_compliant">250<');
    }
    expect(one.text).toContain('Trang 1/3: quy trình thứ 1–100 trong tổng số 250 quy trình khớp bộ lọc.');
    expect(three.text).toContain('Trang 3/3: quy trình thứ 201–250 trong tổng số 250 quy trình khớp bộ lọc.');
    expect(hrefOf(one.text, 'prev')).toBeUndefined();
    expect(hrefOf(three.text, 'next')).toBeUndefined();
  });

  it('totals a filter over all its rows (not the page), and the pager links keep the period and every filter', async () => {
    const unit = `unit=${big.units.main}`;
    const one = await officer.get(`/reports/summary?${PERIOD}&${unit}`);
    const odd = range(1, N).filter((i) => i % 2 === 1);
    expect(codesOf(one.text)).toEqual(odd.slice(0, 100).map(code));
    expect(htmlRows(one.text).get('TOTAL')).toMatchObject({ received: '63', resolved: '0', onTimeRate: '', pending: '63', pendingOverdue: '63' });
    expect(one.text).toContain('Tổng cộng (tất cả 125 quy trình)');
    const next = hrefOf(one.text, 'next')!;
    expect(Object.fromEntries(next)).toEqual({ unit: String(big.units.main), from: '2026-01-01', to: '2026-03-31', page: '2' });
    const two = await officer.get(`/reports/summary?${next}`);
    expect(codesOf(two.text)).toEqual(odd.slice(100).map(code));
    expect(Object.fromEntries(hrefOf(two.text, 'prev')!)).toEqual({ unit: String(big.units.main), from: '2026-01-01', to: '2026-03-31', page: '1' });

    // Field, unit and status together: even i, not a multiple of 5 → 100 procedures, one page; without the unit, 200.
    const land = encodeURIComponent('Đất đai');
    const all3 = await officer.get(`/reports/summary?${PERIOD}&field=${land}&unit=${big.units.other}&status=non_compliant`);
    const evenLand = range(1, N).filter((i) => i % 2 === 0 && i % 5 !== 0);
    expect(codesOf(all3.text)).toEqual(evenLand.map(code));
    expect(hrefOf(all3.text, 'next')).toBeUndefined();
    // i ≡ 0 (mod 4) among them: 62 minus the multiples of 20 (12) = 50 resolved early, nothing pending.
    expect(htmlRows(all3.text).get('TOTAL')).toMatchObject({ received: '50', resolved: '50', early: '50', pending: '0' });
    const twoFilters = await officer.get(`/reports/summary?${PERIOD}&field=${land}&status=non_compliant`);
    expect(Object.fromEntries(hrefOf(twoFilters.text, 'next')!)).toEqual({
      field: 'Đất đai',
      status: 'non_compliant',
      from: '2026-01-01',
      to: '2026-03-31',
      page: '2',
    });
    // The go-to-page form carries the same filters.
    expect(twoFilters.text).toContain('<input type="hidden" name="field" value="Đất đai">');
    expect(twoFilters.text).toContain('<input type="hidden" name="status" value="non_compliant">');
  });

  it('answers a page number that is not a page with a clear 400 (never a 500), and an empty one with page 1', async () => {
    for (const page of ['0', '-1', 'abc', '1.5', '4', '99999999999999999999', '1e3']) {
      const res = await officer.get(`/reports/summary?${PERIOD}&unit=${big.units.main}&page=${encodeURIComponent(page)}`);
      expect(res.status, page).toBe(400);
      expect(res.text, page).toContain('Không có trang này');
      expect(res.text, page).toContain('báo cáo có 2 trang, đánh số từ 1 đến 2');
      expect(hrefsOf(res.text), page).toContain(`/reports/summary?unit=${big.units.main}&from=2026-01-01&to=2026-03-31`);
      expect(hrefsOf(res.text), page).toContain(`/reports/summary?unit=${big.units.main}&from=2026-01-01&to=2026-03-31&page=2`);
    }
    expect((await officer.get(`/reports/summary?${PERIOD}&page=1&page=2`)).status).toBe(400);
    expect((await officer.get(`/reports/summary?${PERIOD}&page=`)).status).toBe(200);
    // A filter that matches nothing still has its one (empty) page.
    const none = await officer.get(`/reports/summary?${PERIOD}&status=compliant&page=1`);
    expect(none.status).toBe(200);
    expect(none.text).toContain('Không có quy trình nào khớp với bộ lọc');
    const beyondEmpty = await officer.get(`/reports/summary?${PERIOD}&status=compliant&page=2`);
    expect(beyondEmpty.status).toBe(400);
    expect(beyondEmpty.text).toContain('với bộ lọc đã chọn, báo cáo chỉ có một trang');
  });

  it('keeps every row in the CSV and XLSX exports, whatever page was on screen', async () => {
    const csv = await officer.get(`/reports/summary.csv?${PERIOD}&page=2`);
    expect(csv.status).toBe(200);
    const records: string[][] = parse(csv.text.slice(1));
    const col = (k: string) => records[0].indexOf(k);
    expect(records.length).toBe(1 + N + 1);
    expect(records.slice(1, -1).map((r) => r[col('code')])).toEqual(range(1, N).map(code));
    expect(records.at(-1)![col('received')]).toBe('125');
    expect(records.at(-1)![col('pending')]).toBe('63');
    const xlsx = await officer
      .get(`/reports/summary.xlsx?${PERIOD}&unit=${big.units.main}`)
      .buffer(true)
      .parse(binary as never);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as never);
    expect(wb.worksheets[0].rowCount).toBe(1 + 125 + 1);
  });

  it('prints every row: the print version is never cut, and a paged screen page prints only a pointer to it', async () => {
    const screen = await officer.get(`/reports/summary?${PERIOD}&field=${encodeURIComponent('Đất đai')}`);
    expect(hrefsOf(screen.text)).toContain('/reports/summary/print?field=%C4%90%E1%BA%A5t+%C4%91ai&from=2026-01-01&to=2026-03-31');
    expect(screen.text).toContain('Bản in (tất cả 200 quy trình)');
    expect(screen.text).toMatch(/<article class="doc-page doc-wide no-print"/);
    expect(screen.text).toContain('data-print-note');

    const print = await officer.get(`/reports/summary/print?${PERIOD}`);
    expect(print.status).toBe(200);
    expect(codesOf(print.text)).toEqual(range(1, N).map(code));
    expect(sttOf(print.text)).toEqual(range(1, N));
    expect(print.text).toMatch(/<article class="doc-page doc-wide"/);
    expect(print.text).not.toContain('rel="next"');
    expect(print.text).not.toContain('data-print-note');
    expect(print.text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(print.text).toContain('Tổng cộng (tất cả 250 quy trình)');
    expect(htmlRows(print.text).get('TOTAL')).toMatchObject({ received: '125', resolved: '62', pending: '63' });
    const filtered = await officer.get(`/reports/summary/print?${PERIOD}&unit=${big.units.main}&page=2`);
    expect(codesOf(filtered.text)).toEqual(
      range(1, N)
        .filter((i) => i % 2 === 1)
        .map(code),
    );
    expect((await officer.get('/reports/summary/print?from=2026-03-01&to=2026-01-01')).status).toBe(400);
  });

  it('shows the paging in English too', async () => {
    const res = await officer.get(`/reports/summary?${PERIOD}&page=2&lang=en`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Page 2 of 3: procedures 101–200 of the 250 matching the filters.');
    expect(res.text).toContain('Total (all 250 procedures)');
    await officer.get('/?lang=vi');
  });
});

describe('GET /reports/procedures/:code.csv', () => {
  it('carries the same figures as the JSON, with a BOM and formula-safe text', async () => {
    const body = (await quality.get(`/reports/procedures/QT-TEST-01.json?${PERIOD}`)).body;
    const res = await quality.get(`/reports/procedures/QT-TEST-01.csv?${PERIOD}`);
    expect(res.status).toBe(200);
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const records: string[][] = parse(res.text.slice(1));
    const value = (section: string, key: string) => records.find((r) => r[0] === section && r[1] === key)?.[3];
    expect(value('status', 'status')).toBe(body.status);
    for (const [k, v] of Object.entries(body.dossiers)) expect(value('dossiers', k), k).toBe(v === null ? '' : String(v));
    for (const [k, v] of Object.entries(body.nonconformities)) expect(value('nonconformities', k), k).toBe(String(v));
    for (const [k, v] of Object.entries(body.audits)) expect(value('audits', k), k).toBe(String(v));
    for (const c of body.checks) expect(value('checks', c.id), c.id).toBe(c.passed === null ? '' : String(c.passed));
    expect(value('document', 'revisionNo')).toBe('2');
  });

  it('shows the same figures in the HTML report', async () => {
    const body = (await quality.get(`/reports/procedures/QT-TEST-01.json?${PERIOD}`)).body;
    const html = (await quality.get(`/reports/procedures/QT-TEST-01?${PERIOD}`)).text;
    const figure = (name: string) => new RegExp(`data-figure="${name.replace('.', '\\.')}">([^<]*)<`).exec(html)?.[1];
    for (const [k, v] of Object.entries(body.dossiers)) if (k !== 'onTimeRate' && k !== 'newlyReceived') expect(figure(`dossiers.${k}`), k).toBe(String(v));
    expect(figure('dossiers.onTimeRate')).toBe('75\u00a0%');
    for (const [k, v] of Object.entries(body.nonconformities)) expect(figure(`nonconformities.${k}`), k).toBe(String(v));
    for (const [k, v] of Object.entries(body.audits)) expect(figure(`audits.${k}`), k).toBe(String(v));
    for (const c of body.checks)
      expect(html).toContain(`data-check="${c.id}" data-passed="${c.passed === true ? 'pass' : c.passed === false ? 'fail' : 'null'}"`);
  });
});

describe('listProcedureDocumentsAt', () => {
  it('picks, for every procedure and date, exactly what findProcedureDocumentAt picks', async () => {
    const { findProcedureDocumentAt } = await import('../../src/features/documents/documents.queries');
    const { listProcedureDocumentsAt } = await import('../../src/features/reports/reports.summary.queries');
    const ids = (await rows<{ id: number }>(t, 'select id from procedures')).map((r) => r.id);
    for (const date of ['2024-12-31', '2025-01-01', '2026-02-14', '2026-02-15', '2026-03-31', '2027-06-01']) {
      const all = await listProcedureDocumentsAt(t.ctx.db, date);
      for (const id of ids) {
        const theirs = await findProcedureDocumentAt(t.ctx.db, id, date);
        const mine = all.get(id);
        const one = (await listProcedureDocumentsAt(t.ctx.db, date, id)).get(id);
        expect(
          mine && { code: mine.code, revisionNo: mine.revisionNo, effectiveFrom: mine.effectiveFrom, nextReviewDue: mine.nextReviewDue },
          `${id} ${date}`,
        ).toEqual(theirs);
        expect(one).toEqual(mine);
      }
    }
  });
});
