import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { buildScenario } from './fixtures';

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
  buildScenario(t);
  quality = await t.signIn('quality_officer');
});
afterAll(async () => t.close());

/** Rows of the HTML summary table: code → { field → raw value }. */
function htmlRows(html: string): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const m of html.matchAll(/<tr data-code="([^"]+)">([\s\S]*?)<\/tr>/g)) {
    const cells: Record<string, string> = {};
    for (const c of m[2]!.matchAll(/data-f="(\w+)" data-v="([^"]*)"/g)) cells[c[1]!] = c[2]!;
    out.set(m[1]!, cells);
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
    expect(total).toMatchObject({ received: '9', resolved: '5', early: '2', onTime: '2', late: '1', onTimeRate: '0.8', pending: '4', pendingOverdue: '2', ncOpenAtEnd: '2', overdueActions: '2' });
    expect(res.text).toContain('data-total="compliant">1<');
    expect(res.text).toContain('data-total="attention">1<');
    expect(res.text).toContain('data-total="non_compliant">1<');
  });

  it('gives each procedure the same figures and status as its own report (JSON)', async () => {
    const rows = htmlRows((await quality.get(`/reports/summary?${PERIOD}`)).text);
    for (const code of ['QT-TEST-01', 'QT-TEST-02', 'QT-TEST-03']) {
      const body = (await quality.get(`/reports/procedures/${code}.json?${PERIOD}`)).body;
      const row = rows.get(code)!;
      expect(row.status, code).toBe(body.status);
      for (const f of ['received', 'resolved', 'early', 'onTime', 'late', 'pending', 'pendingOverdue'] as const) expect(Number(row[f]), `${code} ${f}`).toBe(body.dossiers[f]);
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
    const header = records[0]!;
    const col = (k: string) => header.indexOf(k);
    expect(records.length).toBe(1 + 3 + 1);
    for (const rec of records.slice(1, 4)) {
      const h = html.get(rec[col('code')]!)!;
      expect(rec[col('status')]).toBe(h.status);
      for (const f of FIELDS) expect(rec[col(f)], f).toBe(h[f]);
      expect(rec[col('onTimeRate')]).toBe(h.onTimeRate);
    }
    const totals = records[4]!;
    expect(totals[col('code')]).toBe('Tổng cộng');
    for (const f of FIELDS) expect(totals[col(f)], f).toBe(html.get('TOTAL')![f]);
  });

  it('exports XLSX with the same rows and totals', async () => {
    const html = htmlRows((await quality.get(`/reports/summary?${PERIOD}`)).text);
    const res = await quality.get(`/reports/summary.xlsx?${PERIOD}`).buffer(true).parse(binary as never);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const ws = wb.worksheets[0]!;
    const csvHeader = parse((await quality.get(`/reports/summary.csv?${PERIOD}`)).text.slice(1))[0] as string[];
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
    expect(figure('dossiers.onTimeRate')).toBe('75 %');
    for (const [k, v] of Object.entries(body.nonconformities)) expect(figure(`nonconformities.${k}`), k).toBe(String(v));
    for (const [k, v] of Object.entries(body.audits)) expect(figure(`audits.${k}`), k).toBe(String(v));
    for (const c of body.checks) expect(html).toContain(`data-check="${c.id}" data-passed="${c.passed === true ? 'pass' : c.passed === false ? 'fail' : 'null'}"`);
  });
});

describe('listProcedureDocumentsAt', () => {
  it('picks, for every procedure and date, exactly what findProcedureDocumentAt picks', async () => {
    const { findProcedureDocumentAt } = await import('../../src/features/documents/documents.queries');
    const { listProcedureDocumentsAt } = await import('../../src/features/reports/reports.summary.queries');
    const ids = rows<{ id: number }>(t, 'select id from procedures').map((r) => r.id);
    for (const date of ['2024-12-31', '2025-01-01', '2026-02-14', '2026-02-15', '2026-03-31', '2027-06-01']) {
      const all = await listProcedureDocumentsAt(t.ctx.db, date);
      for (const id of ids) {
        const theirs = await findProcedureDocumentAt(t.ctx.db, id, date);
        const mine = all.get(id);
        const one = (await listProcedureDocumentsAt(t.ctx.db, date, id)).get(id);
        expect(mine && { code: mine.code, revisionNo: mine.revisionNo, effectiveFrom: mine.effectiveFrom, nextReviewDue: mine.nextReviewDue }, `${id} ${date}`).toEqual(theirs);
        expect(one).toEqual(mine);
      }
    }
  });
});
