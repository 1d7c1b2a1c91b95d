import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type SignedIn, type TestApp } from '../support/app';
import { action, dossier, nonconformity, procedure } from './fixtures';

/**
 * Issue 20, point 4: a period that ends after today is computed as of today. Today is 26/11/2026 (the fake clock,
 * 2026-11-26T02:00Z = 09:00 in Hà Nội). QT-FUT-01, period 01/11–31/12/2026, so asOf = 2026-11-26:
 *   F1 received 10/11, due 10/12, pending  → pending on track: due 10/12 >= 26/11 (read with `to` = 31/12 it would be
 *                                             "overdue", which is the bug: not due yet)
 *   F2 received 02/11, due 20/11, pending  → pending overdue (20/11 < 26/11)
 *   F3 received 03/11, due 30/11, returned 25/11 → resolved early
 *   → newlyReceived 3, resolved 1 (early 1), pending 2 = on track 1 + overdue 1, onTimeRate 1.
 *   NC N1 detected 05/11, open; actions: A1 due 15/11 planned → overdue at 26/11; A2 due 01/12 planned → not yet due
 *   at 26/11 (it would count as overdue read at 31/12) → overdueActions 1.
 * The same procedure for October (over) has asOf = 31/10 and no "as of" sentence; for 01–26/11 (ends today) asOf = to.
 */
let t: TestApp;
let quality: SignedIn;
const FUTURE = 'from=2026-11-01&to=2026-12-31';

beforeAll(async () => {
  t = await createTestApp();
  const p = await procedure(t, 'QT-FUT-01');
  await dossier(t, p, 'F1', { received: '2026-11-10', due: '2026-12-10' });
  await dossier(t, p, 'F2', { received: '2026-11-02', due: '2026-11-20' });
  await dossier(t, p, 'F3', { received: '2026-11-03', due: '2026-11-30', returned: '2026-11-25' });
  const n1 = await nonconformity(t, p, { severity: 'minor', detected: '2026-11-05', status: 'open', history: [['open', '2026-11-05']] });
  await action(t, n1, t.users.staff, { due: '2026-11-15', status: 'planned' });
  await action(t, n1, t.users.staff, { due: '2026-12-01', status: 'planned' });
  quality = await t.signIn('quality_officer');
});
afterAll(async () => t.close());

describe('a period that ends after today', () => {
  it('is computed as of today: asOf beside period, a dossier due after today is not overdue', async () => {
    const res = await quality.get(`/reports/procedures/QT-FUT-01.json?${FUTURE}`);
    expect(res.status).toBe(200);
    expect(res.body.period).toEqual({ from: '2026-11-01', to: '2026-12-31' });
    expect(res.body.asOf).toBe('2026-11-26');
    expect(res.body.dossiers).toMatchObject({ newlyReceived: 3, resolved: 1, early: 1, pending: 2, pendingOnTrack: 1, pendingOverdue: 1, onTimeRate: 1 });
    expect(res.body.nonconformities).toMatchObject({ raised: 1, openAtEnd: 1, overdueActions: 1, overdueCorrectiveActions: 1 });
  });

  it('says so on the page, in Vietnamese and in English', async () => {
    const vi = (await quality.get(`/reports/procedures/QT-FUT-01?${FUTURE}&lang=vi`)).text;
    expect(vi).toContain('Số liệu tính đến ngày 26/11/2026');
    expect(vi).toContain('data-figure="dossiers.pendingOverdue">1<');
    const en = (await quality.get(`/reports/procedures/QT-FUT-01?${FUTURE}&lang=en`)).text;
    expect(en).toContain('Figures as of 26/11/2026');
  });

  it('is computed and stated the same way in the summary, its print version, CSV and XLSX', async () => {
    const page = (await quality.get(`/reports/summary?${FUTURE}&lang=vi`)).text;
    expect(page).toContain('Số liệu tính đến ngày 26/11/2026');
    expect(page).toMatch(/data-code="QT-FUT-01">[\s\S]*?data-f="pendingOverdue" data-v="1"/);
    expect((await quality.get(`/reports/summary/print?${FUTURE}&lang=en`)).text).toContain('Figures as of 26/11/2026');

    const csv = await quality.get(`/reports/summary.csv?${FUTURE}`);
    const records: string[][] = parse(csv.text.slice(1));
    const col = (k: string) => records[0].indexOf(k);
    const row = records.find((r) => r[col('code')] === 'QT-FUT-01')!;
    expect([row[col('pendingOverdue')], row[col('overdueActions')], row[col('asOf')]]).toEqual(['1', '1', '2026-11-26']);
    expect(records.at(-1)![col('asOf')]).toBe('2026-11-26'); // the totals line too

    const xlsx = await quality
      .get(`/reports/summary.xlsx?${FUTURE}&lang=vi`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as never);
    const ws = wb.worksheets[0];
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    const asOfHeader = headers.indexOf('Số liệu tính đến ngày') + 1;
    expect(asOfHeader).toBeGreaterThan(0);
    expect(ws.getRow(2).getCell(asOfHeader).value).toBe('2026-11-26');
  });
});

describe('a period that is over, or ends today', () => {
  it('is computed as of its last day, without the "as of" sentence', async () => {
    const oct = await quality.get('/reports/procedures/QT-FUT-01.json?from=2026-10-01&to=2026-10-31');
    expect(oct.body.asOf).toBe('2026-10-31');
    const endsToday = await quality.get('/reports/procedures/QT-FUT-01.json?from=2026-11-01&to=2026-11-26');
    expect(endsToday.body.asOf).toBe('2026-11-26');
    expect(endsToday.body.dossiers).toEqual((await quality.get(`/reports/procedures/QT-FUT-01.json?${FUTURE}`)).body.dossiers);
    const page = (await quality.get('/reports/procedures/QT-FUT-01?from=2026-11-01&to=2026-11-26&lang=vi')).text;
    expect(page).not.toContain('Số liệu tính đến ngày');
  });
});
