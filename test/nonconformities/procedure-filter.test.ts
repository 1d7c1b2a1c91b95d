import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addManyProcedures } from '../support/procedures';
import { createTestApp, run, type SignedIn, type TestApp } from '../support/app';
import { PROCEDURE_SELECT_MAX } from '../../src/features/procedures/procedures.filter';
import { addProcedure, newNc } from './helpers';

/**
 * The register's procedure filter: an office (≤ 200 active procedures) picks from a select; a province (more) types a
 * code, since a select of 2,000 procedures was most of the page. Either way the list is filtered by the procedure,
 * an unknown code is said next to the field (200, never a 500) and the other filters still apply.
 */
const codes = (html: string) => [...html.matchAll(/<a href="\/nonconformities\/\d+"><code>(NC-\d{4}-\d{3})<\/code><\/a><\/td>/g)].map((m) => m[1]);
const unescape = (s: string) => s.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

/** `n` more active procedures, straight into the table (the register's size is all that matters here). */

describe('an office-size register (at most 200 active procedures)', () => {
  let t: TestApp;
  let qo: SignedIn;
  let p1: number;
  beforeAll(async () => {
    t = await createTestApp();
    qo = await t.signIn('quality_officer');
    p1 = await addProcedure(t, 'QT-BTXH-01');
    const p2 = await addProcedure(t, 'QT-NCC-02');
    await addManyProcedures(t, PROCEDURE_SELECT_MAX - 2);
    await newNc(t, { title: 'Một', procedureId: p1 });
    await newNc(t, { title: 'Hai', procedureId: p2 });
  });
  afterAll(async () => t.close());

  it('keeps the select, with the chosen procedure selected', async () => {
    const res = await qo.get(`/nonconformities?procedure=${p1}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<select id="procedure" name="procedure"');
    expect(res.text).toContain(`<option value="${p1}" selected>QT-BTXH-01 — Quy trình QT-BTXH-01</option>`);
    expect(res.text).not.toContain('name="procedure_code"');
    expect(codes(res.text)).toEqual(['NC-2026-001']);
  });

  it('also takes a code (a link from a province), and says so when it is unknown', async () => {
    const byCode = await qo.get('/nonconformities?procedure_code=QT-NCC-02');
    expect(codes(byCode.text)).toEqual(['NC-2026-002']);
    const unknown = await qo.get('/nonconformities?procedure_code=QT-KHONG-CO');
    expect(unknown.status).toBe(200);
    expect(unknown.text).toContain('Không có quy trình nào mang mã “QT-KHONG-CO”');
    expect(codes(unknown.text)).toEqual(['NC-2026-002', 'NC-2026-001']);
  });
});

describe('a province register (more than 200 active procedures)', () => {
  let t: TestApp;
  let qo: SignedIn;
  let p1: number;
  let retired: number;
  beforeAll(async () => {
    t = await createTestApp();
    qo = await t.signIn('quality_officer');
    p1 = await addProcedure(t, 'QT-BTXH-01');
    const p2 = await addProcedure(t, 'QT-NCC-02');
    retired = await addProcedure(t, 'QT-CU-09');
    await run(t, "update procedures set status = 'retired', national_code = '1.001776' where id = ?", retired);
    await addManyProcedures(t, PROCEDURE_SELECT_MAX - 1);
    await newNc(t, { title: 'Một', procedureId: p1, severity: 'major' }); // 001
    await newNc(t, { title: 'Hai', procedureId: p2, severity: 'minor' }); // 002
    await newNc(t, { title: 'Ba', procedureId: p1, severity: 'minor' }); // 003
    await newNc(t, { title: 'Bốn', procedureId: retired, severity: 'major' }); // 004
  });
  afterAll(async () => t.close());

  it('has a labelled text field for the code instead of a select of every procedure', async () => {
    const res = await qo.get('/nonconformities');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<label for="procedure">Quy trình</label>');
    expect(res.text).toMatch(/<input id="procedure" name="procedure_code" type="text" value=""[^>]*aria-describedby="procedure-help procedure-error">/);
    expect(res.text).toContain('<p class="help" id="procedure-help">Nhập mã quy trình hoặc mã TTHC');
    expect(res.text).not.toContain('<select id="procedure"');
    expect(res.text).not.toContain('QT-X-0001');
    expect(codes(res.text)).toEqual(['NC-2026-004', 'NC-2026-003', 'NC-2026-002', 'NC-2026-001']);
  });

  it('filters by a known code (typed in any case, or the national code, or a retired procedure’s), with the other filters', async () => {
    expect(codes((await qo.get('/nonconformities?procedure_code=QT-BTXH-01')).text)).toEqual(['NC-2026-003', 'NC-2026-001']);
    const lower = await qo.get('/nonconformities?procedure_code=qt-btxh-01&severity=minor');
    expect(codes(lower.text)).toEqual(['NC-2026-003']);
    expect(lower.text).toContain('name="procedure_code" type="text" value="QT-BTXH-01"');
    expect(lower.text).not.toContain('aria-invalid');
    expect(codes((await qo.get('/nonconformities?procedure_code=1.001776')).text)).toEqual(['NC-2026-004']);
    expect(codes((await qo.get('/nonconformities?procedure_code=%20QT-CU-09%20')).text)).toEqual(['NC-2026-004']);
  });

  it('keeps the code in the sort links, the page links and the CSV export', async () => {
    const res = await qo.get('/nonconformities?procedure_code=QT-BTXH-01');
    const sortLink = unescape(/<a href="([^"]+)"[^>]*>Ngày phát hiện/.exec(res.text)![1]);
    expect(sortLink).toBe('?procedure_code=QT-BTXH-01&sort=detected_on&dir=desc');
    expect(codes((await qo.get(`/nonconformities${sortLink}`)).text)).toEqual(['NC-2026-003', 'NC-2026-001']);
    const csvLink = unescape(/href="(\/nonconformities\/export\.csv[^"]*)"/.exec(res.text)![1]);
    expect(csvLink).toBe('/nonconformities/export.csv?procedure_code=QT-BTXH-01');
    const csv = await qo.get(csvLink);
    expect(csv.status).toBe(200);
    expect(
      csv.text
        .split('\r\n')
        .filter((l) => l.startsWith('NC-'))
        .map((l) => l.slice(0, 11)),
    ).toEqual(['NC-2026-003', 'NC-2026-001']);
  });

  it('an unknown code: 200, the message next to the field, the list filtered by the other filters only', async () => {
    const res = await qo.get('/nonconformities?procedure_code=QT-KHONG-CO&severity=major');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(
      /name="procedure_code" type="text" value="QT-KHONG-CO"[^>]* aria-invalid="true" aria-describedby="procedure-help procedure-error">/,
    );
    expect(res.text).toContain(
      '<p class="field-error" id="procedure-error">Không có quy trình nào mang mã “QT-KHONG-CO”. Danh sách bên dưới chưa được lọc theo quy trình.</p>',
    );
    expect(codes(res.text)).toEqual(['NC-2026-004', 'NC-2026-001']);
    const en = await qo.get('/nonconformities?procedure_code=%3Cb%3E&lang=en');
    expect(en.status).toBe(200);
    expect(en.text).toContain('No procedure has the code “&lt;b&gt;”. The list below is not filtered by procedure.');
    expect((await qo.get(`/nonconformities/export.csv?procedure_code=${'x'.repeat(500)}`)).status).toBe(200);
  });

  it('still takes a procedure id (links), showing its code in the field', async () => {
    const res = await qo.get(`/nonconformities?procedure=${p1}`);
    expect(codes(res.text)).toEqual(['NC-2026-003', 'NC-2026-001']);
    expect(res.text).toContain('name="procedure_code" type="text" value="QT-BTXH-01"');
  });
});
