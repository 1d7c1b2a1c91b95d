import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchWorkbook } from '../support/xlsx';
import { scopeChange } from '../../src/features/declarations/declarations.scope';
import { createTestApp, one, rows, run, type SignedIn, type TestApp } from '../support/app';
import { fieldsWithErrors } from '../support/html';
import { addOrganisation } from '../support/orgs';

/**
 * Declarations of conformity (issue 23): recorded from the signed decision with the scope of the day, a
 * re-declaration due when the register's scope changes, the history kept (cancelled, never changed or deleted),
 * the exports and the print view, and each organisation's own. The test clock says 2026-11-26.
 */
let t: TestApp;
let qo: SignedIn;
let staff: SignedIn;

/** A tiny PDF, as a scanned decision (detected by its content). */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');

const procedure = (code: string, title: string, kind: string, organisation = 1) =>
  run(
    t,
    `insert into procedures (code, title, field, online_level, on_time_target, kind, status, search_text, created_at, updated_at, organisation_id)
     values (?, ?, 'Bảo trợ xã hội', 'partial', 1, ?, 'active', ?, 'now', 'now', ?)`,
    code,
    title,
    kind,
    code.toLowerCase(),
    organisation,
  );

/** Posts the declaration form (multipart, the token first), with the decision's file when given. */
function declare(who: SignedIn, fields: Record<string, string>, file?: { body: Buffer; name: string }) {
  let req = who.agent.post('/declarations').field('_csrf', who.csrf);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  if (file) req = req.attach('file', file.body, file.name);
  return req;
}

const FIRST = { decision_no: '125/QĐ-UBND', decided_on: '2024-03-15', signer_name: 'Trần Văn Hùng', signer_title: 'CHỦ TỊCH', note: 'Phạm vi ban đầu' };
const count = async () => Number((await one<{ n: number }>(t, 'select count(*) as n from qms_declarations'))!.n);
const declaredOn = async () => (await one<{ d: string | null }>(t, 'select qms_declared_on as d from organisation where id = 1'))!.d;

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  staff = await t.signIn('staff');
  await procedure('QT-01', 'Trợ cấp xã hội hằng tháng', 'administrative');
  await procedure('QT-02', 'Hỗ trợ mai táng phí', 'administrative');
  await procedure('QT-NB-01', 'Kiểm soát tài liệu', 'internal');
});
afterAll(async () => t?.close());

describe('the change of scope (known answers)', () => {
  it('lists what was added, removed and changed in kind, each in code order, a procedure known by its code', () => {
    const before = [
      { code: 'C', title: 'Ba', kind: 'internal' },
      { code: 'A', title: 'Một', kind: 'administrative' },
      { code: 'B', title: 'Hai', kind: 'administrative' },
      { code: 'E', title: 'Năm', kind: 'administrative' },
    ];
    const now = [
      { code: 'F', title: 'Sáu', kind: 'internal' },
      { code: 'B', title: 'Hai (sửa tên)', kind: 'internal' },
      { code: 'C', title: 'Ba', kind: 'internal' },
      { code: 'D', title: 'Bốn', kind: 'administrative' },
    ];
    expect(scopeChange(before, now)).toEqual({
      added: [
        { code: 'D', title: 'Bốn', kind: 'administrative' },
        { code: 'F', title: 'Sáu', kind: 'internal' },
      ],
      removed: [
        { code: 'A', title: 'Một', kind: 'administrative' },
        { code: 'E', title: 'Năm', kind: 'administrative' },
      ],
      kindChanged: [{ code: 'B', title: 'Hai (sửa tên)', from: 'administrative', to: 'internal' }],
    });
    expect(scopeChange(before, before)).toEqual({ added: [], removed: [], kindChanged: [] });
  });
});

describe('declarations of conformity', () => {
  it('shows that none is recorded yet, with the size of the current scope', async () => {
    const page = await qo.get('/declarations');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Chưa ghi nhận lần công bố HTQLCL nào. Phạm vi hiện tại: 3 quy trình đang áp dụng.');
    expect(page.text).toContain('href="/declarations/new"');
    expect((await qo.get('/')).text).not.toContain('data-declaration="due"');
  });

  it('refuses bad input next to its field (422) and stores nothing', async () => {
    const cases: [Record<string, string>, string[]][] = [
      [{ ...FIRST, decision_no: '' }, ['decision_no']],
      [{ ...FIRST, decided_on: '2026-11-27' }, ['decided_on']],
      [{ ...FIRST, decided_on: '15/03/2024' }, ['decided_on']],
      [{ ...FIRST, signer_name: ' ', signer_title: '' }, ['signer_name', 'signer_title']],
    ];
    for (const [fields, errors] of cases) {
      const res = await declare(qo, fields);
      expect(res.status, JSON.stringify(fields)).toBe(422);
      expect(fieldsWithErrors(res.text).sort(), JSON.stringify(fields)).toEqual(errors);
    }
    const future = await declare(qo, { ...FIRST, decided_on: '2026-11-27' });
    expect(future.text).toContain('Ngày quyết định không được sau ngày hôm nay.');
    const text = await declare(qo, FIRST, { body: Buffer.from('không phải tệp quyết định'), name: 'qd.txt' });
    expect(text.status).toBe(422);
    expect(fieldsWithErrors(text.text)).toEqual(['file']);
    expect(await count()).toBe(0);
    expect(await declaredOn()).toBe(null);
  });

  it('records the first declaration with the scope of the day and the decision’s file, in one audited change', async () => {
    const res = await declare(qo, FIRST, { body: PDF, name: 'Quyết định 125.pdf' });
    expect(res.status).toBe(303);
    const id = Number(/\/declarations\/(\d+)$/.exec(res.headers.location)![1]);
    const row = (await one<Record<string, unknown>>(t, 'select * from qms_declarations where id = ?', id))!;
    expect(row).toMatchObject({ kind: 'declaration', decision_no: '125/QĐ-UBND', decided_on: '2024-03-15', status: 'recorded', file_mime: 'application/pdf' });
    expect(JSON.parse(row.scope as string)).toEqual([
      { code: 'QT-01', title: 'Trợ cấp xã hội hằng tháng', kind: 'administrative' },
      { code: 'QT-02', title: 'Hỗ trợ mai táng phí', kind: 'administrative' },
      { code: 'QT-NB-01', title: 'Kiểm soát tài liệu', kind: 'internal' },
    ]);
    expect(await declaredOn()).toBe('2024-03-15');
    const [entry] = await rows<{ action: string; new_values: string }>(
      t,
      "select action, new_values from audit_log where entity = 'qms_declaration' and entity_id = ?",
      String(id),
    );
    expect(entry.action).toBe('create');
    expect(JSON.parse(entry.new_values)).toMatchObject({ kind: 'declaration', decision_no: '125/QĐ-UBND', procedures: 3 });

    const page = await staff.get(`/declarations/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Lần công bố đầu tiên.');
    expect([...page.text.matchAll(/data-scope-code="([^"]+)"/g)].map((m) => m[1])).toEqual(['QT-01', 'QT-02', 'QT-NB-01']);
    const file = await staff.get(`/declarations/${id}/file`);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toMatch(/^application\/pdf/);
    expect(Buffer.from(file.body as Buffer).equals(PDF)).toBe(true);
    const index = await staff.get('/declarations');
    expect(index.text).toContain('Công bố đang có hiệu lực: quyết định số 125/QĐ-UBND ngày 15/03/2024, phạm vi 3 quy trình.');
    expect(index.text).toContain('data-declaration="in-sync"');
    expect(index.text).not.toContain('href="/declarations/new"');
  });

  it('says a re-declaration is due once the scope changed: a procedure added, one retired, one changed in kind', async () => {
    await procedure('QT-03', 'Cấp thẻ bảo hiểm y tế cho trẻ em', 'administrative');
    await run(t, "update procedures set status = 'retired', retired_reason = 'Bãi bỏ', retired_at = 'now' where code = 'QT-02'");
    await run(t, "update procedures set kind = 'internal' where code = 'QT-01'");
    const home = await qo.get('/');
    expect(home.text).toContain('data-declaration="due"');
    expect(home.text).toContain('Phạm vi HTQLCL đã thay đổi sau lần công bố ngày 15/03/2024: cần công bố lại.');
    const index = await qo.get('/declarations');
    expect(index.text).toContain('data-added="QT-03"');
    expect(index.text).toContain('data-removed="QT-02"');
    expect(index.text).toContain('data-kind-changed="QT-01"');
    expect(index.text).toContain('Thủ tục hành chính → Quy trình nội bộ');
  });

  it('refuses a re-declaration without a reason, dated before the one in force, or with a number already recorded', async () => {
    const second = { ...FIRST, decision_no: '318/QĐ-UBND', decided_on: '2025-08-20', note: '' };
    for (const [fields, field, message] of [
      [second, 'note', 'Công bố lại cần ghi rõ lý do (phạm vi thay đổi thế nào).'],
      [{ ...second, note: 'Mở rộng', decided_on: '2024-03-14' }, 'decided_on', 'không được trước ngày của lần công bố đang có hiệu lực (15/03/2024)'],
      [{ ...second, note: 'Mở rộng', decision_no: '125/QĐ-UBND' }, 'decision_no', 'Số quyết định này đã được ghi nhận.'],
    ] as const) {
      const res = await declare(qo, fields);
      expect(res.status, field).toBe(422);
      expect(fieldsWithErrors(res.text), field).toEqual([field]);
      expect(res.text, field).toContain(message);
    }
    expect(await count()).toBe(1);
  });

  it('records the re-declaration: the new scope, the changes since the first, and nothing due any more', async () => {
    const res = await declare(qo, { ...FIRST, decision_no: '318/QĐ-UBND', decided_on: '2025-08-20', note: 'Bổ sung QT-03, bãi bỏ QT-02' });
    expect(res.status).toBe(303);
    const row = (await one<{ kind: string; scope: string }>(t, "select kind, scope from qms_declarations where decision_no = '318/QĐ-UBND'"))!;
    expect(row.kind).toBe('re_declaration');
    expect(JSON.parse(row.scope).map((e: { code: string; kind: string }) => `${e.code}:${e.kind}`)).toEqual([
      'QT-01:internal',
      'QT-03:administrative',
      'QT-NB-01:internal',
    ]);
    expect(await declaredOn()).toBe('2025-08-20');
    const page = await qo.get(res.headers.location);
    expect(page.text).toContain('So với lần công bố ngày 15/03/2024 (quyết định số 125/QĐ-UBND):');
    expect(page.text).toContain('data-added="QT-03"');
    expect(page.text).toContain('data-removed="QT-02"');
    expect(page.text).toContain('data-kind-changed="QT-01"');
    expect((await qo.get('/')).text).not.toContain('data-declaration="due"');
    const index = await qo.get('/declarations');
    expect(index.text).toContain('+1 / −1 / ⇄1');
    expect([...index.text.matchAll(/data-state="(\w+)"/g)].map((m) => m[1])).toEqual(['in_force', 'superseded']);
  });

  it('exports the register as CSV and XLSX, the latest first, with each scope and its changes', async () => {
    const csv = await qo.get('/declarations.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe('decisionNo,decidedOn,kind,kindLabel,signerName,signerTitle,procedures,added,removed,kindChanged,note,status,cancelReason,file');
    expect(lines.slice(1)).toEqual([
      '318/QĐ-UBND,2025-08-20,re_declaration,Công bố lại,Trần Văn Hùng,CHỦ TỊCH,3,1,1,1,"Bổ sung QT-03, bãi bỏ QT-02",Đang có hiệu lực,,',
      '125/QĐ-UBND,2024-03-15,declaration,Công bố,Trần Văn Hùng,CHỦ TỊCH,3,,,,Phạm vi ban đầu,Đã có lần công bố sau,,Quyết định 125.pdf',
    ]);
    const xlsx = await fetchWorkbook(qo, '/declarations.xlsx?lang=en');
    expect(xlsx.status).toBe(200);
    const wb = xlsx.wb!;
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(1).value).toBe('Decision number');
    expect(ws.getRow(2).getCell(1).value).toBe('318/QĐ-UBND');
    expect(ws.getRow(2).getCell(7).value).toBe(3);
    expect(ws.getRow(3).getCell(4).value).toBe('Declaration');
  });

  it('prints the scope attached to the decision in the administrative format, signed by the decision’s signer', async () => {
    const { id } = (await one<{ id: number }>(t, "select id from qms_declarations where decision_no = '318/QĐ-UBND'"))!;
    const page = await staff.get(`/declarations/${id}/print`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('class="doc-header"');
    expect(page.text).toContain('DANH MỤC');
    expect(page.text).not.toContain('class="number"'); // the list carries the decision's number, not its own
    expect(page.text).toContain('(Kèm theo Quyết định số 318/QĐ-UBND ngày 20/08/2025)');
    expect(page.text).toMatch(/class="signer-title">CHỦ TỊCH</);
    expect(page.text).toMatch(/class="signer-name">Trần Văn Hùng</);
  });

  it('lets only the quality officer and the admin record or cancel; staff read', async () => {
    expect((await staff.get('/declarations/new')).status).toBe(403);
    expect((await declare(staff, { ...FIRST, decision_no: '1/QĐ' })).status).toBe(403);
    const { id } = (await one<{ id: number }>(t, "select id from qms_declarations where decision_no = '318/QĐ-UBND'"))!;
    expect((await staff.post(`/declarations/${id}/cancel`, { reason: 'x' })).status).toBe(403);
    expect(await count()).toBe(2);
  });

  it('cancels a declaration recorded by mistake with a reason, keeping it; the one before is in force again', async () => {
    const { id } = (await one<{ id: number }>(t, "select id from qms_declarations where decision_no = '318/QĐ-UBND'"))!;
    const empty = await qo.post(`/declarations/${id}/cancel`, { reason: ' ' });
    expect(empty.status).toBe(422);
    expect(fieldsWithErrors(empty.text)).toEqual(['reason']);
    expect((await qo.post(`/declarations/${id}/cancel`, { reason: 'Ghi nhầm số quyết định' })).status).toBe(303);
    expect(await one(t, 'select status, cancel_reason from qms_declarations where id = ?', id)).toEqual({
      status: 'cancelled',
      cancel_reason: 'Ghi nhầm số quyết định',
    });
    expect(await declaredOn()).toBe('2024-03-15');
    expect([...(await qo.get('/declarations?lang=vi')).text.matchAll(/data-state="(\w+)"/g)].map((m) => m[1])).toEqual(['cancelled', 'in_force']);
    expect((await qo.post(`/declarations/${id}/cancel`, { reason: 'Lần nữa' })).status).toBe(409);
    // in force again: the first, whose scope differs from today's
    expect((await qo.get('/')).text).toContain('data-declaration="due"');
    expect((await qo.get(`/declarations/${id}?lang=vi`)).text).toMatch(/<dd data-cancelled>Đã hủy ngày \d{2}\/\d{2}\/\d{4}[^<]*: Ghi nhầm số quyết định<\/dd>/);
  });

  it('never changes or deletes a record in the database itself', async () => {
    const { id } = (await one<{ id: number }>(t, "select id from qms_declarations where decision_no = '125/QĐ-UBND'"))!;
    await expect(run(t, "update qms_declarations set decision_no = 'x' where id = ?", id)).rejects.toThrow(/does not change once recorded/);
    await expect(run(t, 'delete from qms_declarations where id = ?', id)).rejects.toThrow(/never deleted/);
  });

  it("keeps each organisation's own: another organisation's declaration and file answer 404", async () => {
    const b = await addOrganisation(t, 'ORGB');
    const bOfficer = await t.signIn(b.usernames.quality_officer);
    expect((await declare(bOfficer, { ...FIRST, decision_no: '9/QĐ-B' }, { body: PDF, name: 'b.pdf' })).status).toBe(303);
    const { id } = (await one<{ id: number }>(t, "select id from qms_declarations where decision_no = '9/QĐ-B'"))!;
    for (const path of [`/declarations/${id}`, `/declarations/${id}/print`, `/declarations/${id}/file`]) expect((await qo.get(path)).status, path).toBe(404);
    expect((await qo.post(`/declarations/${id}/cancel`, { reason: 'x' })).status).toBe(404);
    expect((await qo.get('/declarations')).text).not.toContain('9/QĐ-B');
    expect((await qo.get('/declarations.csv')).text).not.toContain('9/QĐ-B');
    // B's scope is its own (no procedures), A's unchanged
    expect(JSON.parse((await one<{ scope: string }>(t, 'select scope from qms_declarations where id = ?', id))!.scope)).toEqual([]);
  });
});
