import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addManyProcedures } from '../support/procedures';
import { createTestApp, run, type SignedIn, type TestApp } from '../support/app';
import { PROCEDURE_SELECT_MAX } from '../../src/features/procedures/procedures.filter';
import { searchDocuments, upsertSearchEntry } from '../../src/features/documents/documents.search.queries';
import { addEffectiveDocument } from '../nonconformities/helpers';
import { addProcedure } from './helpers';

/**
 * The current-documents list and its search, filtered by procedure: a select for an office (≤ 200 active
 * procedures), a code for a province; a search filtered by procedure or type ranks that procedure's documents (not
 * the best 50 of all, then filtered, which left a province's procedure with nothing).
 */
const docCodes = (html: string) => [...html.matchAll(/<td><code>([^<]+)<\/code><\/td>/g)].map((m) => m[1]);
const hitCodes = (html: string) => [...html.matchAll(/<h2 class="search-title"><a href="\/documents\/\d+"><code>([^<]+)<\/code>/g)].map((m) => m[1]);

async function addDocument(t: TestApp, procedureId: number, code: string, title: string, body: string, type = 'procedure') {
  const { documentId } = await addEffectiveDocument(t, procedureId, code, type);
  await run(t, 'update documents set title = ? where id = ?', title, documentId);
  await upsertSearchEntry(t.ctx.db, { documentId, code, title, body, fileName: null });
  return documentId;
}

describe('an office-size register', () => {
  let t: TestApp;
  let staff: SignedIn;
  let withDocs: number;
  beforeAll(async () => {
    t = await createTestApp();
    staff = await t.signIn('staff');
    withDocs = await addProcedure(t, 'QT-TD-01');
    await addProcedure(t, 'QT-TRONG-02');
    await addDocument(t, withDocs, 'HD-TD-01', 'Hướng dẫn thẩm định', 'Thẩm định hồ sơ.');
  });
  afterAll(async () => t.close());

  it('keeps a select of the procedures that have documents', async () => {
    const res = await staff.get(`/documents/current?procedure=${withDocs}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<select id="f-procedure" name="procedure"');
    expect(res.text).toContain(`<option value="${withDocs}" selected>QT-TD-01 — `);
    expect(res.text).not.toContain('QT-TRONG-02');
    expect(res.text).not.toContain('name="procedure_code"');
    expect(docCodes(res.text)).toEqual(['HD-TD-01']);
  });
});

describe('a province register', () => {
  let t: TestApp;
  let staff: SignedIn;
  let busy: number;
  let quiet: number;
  beforeAll(async () => {
    t = await createTestApp();
    staff = await t.signIn('staff');
    busy = await addProcedure(t, 'QT-BAN-01');
    quiet = await addProcedure(t, 'QT-IT-02');
    await addManyProcedures(t, PROCEDURE_SELECT_MAX);
    // 51 documents of the busy procedure with the words in their title rank above the quiet procedure's one.
    for (let i = 0; i < 51; i++) await addDocument(t, busy, `HD-BAN-${String(i).padStart(2, '0')}`, `Thẩm định hồ sơ ${i}`, 'Thẩm định hồ sơ theo quy định.');
    await addDocument(t, quiet, 'BM-IT-01', 'Biểu mẫu phiếu kiểm soát', 'Ghi kết quả thẩm định hồ sơ.', 'form');
  });
  afterAll(async () => t.close());

  it('has a labelled text field for the code, and filters the list by it', async () => {
    const res = await staff.get('/documents/current?procedure_code=qt-it-02');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<label for="f-procedure">');
    expect(res.text).toMatch(
      /<input id="f-procedure" name="procedure_code" type="text" value="QT-IT-02"[^>]*aria-describedby="f-procedure-help f-procedure-error">/,
    );
    expect(res.text).not.toContain('<select id="f-procedure"');
    expect(docCodes(res.text)).toEqual(['BM-IT-01']);
  });

  it('an unknown code: 200, the message next to the field, the list not filtered by procedure', async () => {
    const res = await staff.get('/documents/current?procedure_code=QT-KHONG-CO&type=form');
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      '<p class="field-error" id="f-procedure-error">Không có quy trình nào mang mã “QT-KHONG-CO”. Danh sách bên dưới chưa được lọc theo quy trình.</p>',
    );
    expect(res.text).toContain('aria-invalid="true"');
    expect(docCodes(res.text)).toEqual(['BM-IT-01']);
  });

  it('a search filtered by procedure or type ranks within them, beyond the best 50 of all documents', async () => {
    const all = await staff.get(`/documents/current?q=${encodeURIComponent('thẩm định hồ sơ')}`);
    expect(hitCodes(all.text)).toHaveLength(50);
    expect(hitCodes(all.text)).not.toContain('BM-IT-01');
    expect(hitCodes((await staff.get(`/documents/current?q=${encodeURIComponent('thẩm định hồ sơ')}&procedure_code=QT-IT-02`)).text)).toEqual(['BM-IT-01']);
    expect(hitCodes((await staff.get(`/documents/current?q=tham%20dinh&procedure=${quiet}`)).text)).toEqual(['BM-IT-01']);
    const forms = await staff.get('/documents/current?q=tham%20dinh&type=form');
    expect(hitCodes(forms.text)).toEqual(['BM-IT-01']);
    expect(forms.text).toContain('Biểu mẫu · Lần ban hành 1 · hiệu lực từ 26/11/2026 · QT-IT-02');
    expect(await searchDocuments(t.ctx.db, 'tham dinh', 50, { procedureId: busy, type: 'form' })).toEqual([]);
  });

  it('lists the documents in force 100 to a page, by procedure then code, with the total and a pager keeping the filter', async () => {
    // 52 documents so far (51 + 1); 50 more of the quiet procedure make 102.
    for (let i = 0; i < 50; i++) await addDocument(t, quiet, `HD-IT-${String(i).padStart(2, '0')}`, `Hướng dẫn ${i}`, 'Nội dung.');
    const first = await staff.get('/documents/current');
    expect(first.status).toBe(200);
    const one = docCodes(first.text);
    expect(one).toHaveLength(100);
    expect(one.slice(0, 2)).toEqual(['HD-BAN-00', 'HD-BAN-01']);
    expect(first.text).toContain('102');
    expect(first.text).toContain('href="?page&#x3D;2" rel="next"');
    const second = await staff.get('/documents/current?page=2');
    expect(docCodes(second.text)).toEqual(['HD-IT-48', 'HD-IT-49']);
    // Filtered: the quiet procedure has 51 documents, one page, no pager.
    const quietOnly = await staff.get('/documents/current?procedure_code=QT-IT-02');
    expect(docCodes(quietOnly.text)).toHaveLength(51);
    expect(quietOnly.text).not.toContain('rel="next"');
    expect((await staff.get('/documents/current?page=abc')).status).toBeLessThan(500);
  });

  it('the document register (managers) takes the procedure as a code too, and says when it is unknown', async () => {
    const quality = await t.signIn('quality_officer');
    const res = await quality.get('/documents?procedure_code=qt-it-02');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<input id="f-procedure" name="procedure_code" type="text" value="QT-IT-02"/);
    expect(res.text).not.toContain('<select id="f-procedure"');
    expect(res.text).toContain('BM-IT-01');
    expect(res.text).not.toContain('HD-BAN-00');
    const unknown = await quality.get('/documents?procedure_code=QT-KHONG-CO');
    expect(unknown.status).toBe(200);
    expect(unknown.text).toContain('<p class="field-error" id="f-procedure-error">Không có quy trình nào mang mã “QT-KHONG-CO”.');
  });
});
