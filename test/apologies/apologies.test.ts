import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apologyFigures, emptyFigures, type ApologyFigures } from '../../src/features/apologies/apologies.figures';
import { cancelSlip, recordSlip } from '../../src/features/apologies/apologies.service';
import { createTestApp, one, rows, run, type SignedIn, type TestApp } from '../support/app';
import { fieldsWithErrors } from '../support/html';
import { addOrganisation } from '../support/orgs';
import { fetchWorkbook } from '../support/xlsx';
import { dossier, procedure } from '../reports/fixtures';

/**
 * Apology slips for late dossiers (issue 24): the figures of a period by known answers worked out by hand below, the
 * slip form's rules, cancellation instead of change, the print view in the prescribed form, the exports, the roles,
 * and each organisation's own. The test clock says 2026-11-26.
 */
let t: TestApp;
let qo: SignedIn;
let staff: SignedIn;
let leader: SignedIn;
const ids: Record<string, number> = {};
let pa: number;
let pb: number;

const SIGNER = { signerName: 'Trần Văn Hùng', signerTitle: 'TRƯỞNG PHÒNG' };
let seq = 0;
const slip = (code: string, issuedOn: string, newDueOn: string, reason = 'Chờ kết quả xác minh') =>
  recordSlip(t.ctx, ids[code], { slipNo: `T${++seq}/PXL`, issuedOn, newDueOn, reason, ...SIGNER }, t.users.quality_officer);

const figures = (f: Partial<ApologyFigures>): ApologyFigures => ({ ...emptyFigures(), ...f });

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  staff = await t.signIn('staff');
  leader = await t.signIn('leader');
  pa = await procedure(t, 'P-A');
  pb = await procedure(t, 'P-B');
  const d = async (code: string, p: number, received: string, due: string, returned?: string, outcome?: 'returned' | 'withdrawn') =>
    (ids[code] = await dossier(t, p, code, { received, due, returned, outcome }));
  await d('A1', pa, '2026-09-20', '2026-10-05', '2026-10-08'); // late; slip new 10-09: met
  await d('A2', pa, '2026-09-25', '2026-10-10', '2026-10-20'); // late; slip new 10-15: returned after it
  await d('A3', pa, '2026-10-01', '2026-10-12', '2026-10-14'); // late, no slip
  await d('A4', pa, '2026-10-01', '2026-10-15'); // pending overdue; slip new 10-20: past it at 10-31
  await d('A5', pa, '2026-10-05', '2026-10-20'); // pending overdue; slip new 11-10: not yet at 10-31
  await d('A6', pa, '2026-10-05', '2026-10-25'); // pending overdue, no slip
  await d('A7', pa, '2026-10-01', '2026-10-20', '2026-10-18'); // early: not counted, takes no slip
  await d('A8', pa, '2026-10-01', '2026-10-10', '2026-10-12'); // late; its slip issued 11-05, after October
  await d('A9', pa, '2026-09-28', '2026-10-06', '2026-10-11'); // late; two slips (new 10-08, then 10-12): met by the second
  await d('A10', pa, '2026-10-01', '2026-10-07', '2026-10-09'); // late; its only slip cancelled
  await d('A11', pa, '2026-10-01', '2026-10-20', '2026-11-03'); // pending overdue at 10-31 (slip new 11-02, not yet); late in November, after it
  await d('A12', pa, '2026-11-20', '2026-12-10'); // pending, due after today: never overdue yet, whatever the period's end
  await d('B1', pb, '2026-10-01', '2026-10-10', '2026-10-15'); // late; slip issued before the due date (foreseen), new 10-15: met
  await d('B2', pb, '2026-09-01', '2026-09-20', '2026-09-25'); // late in September, not in October
  await d('B3', pb, '2026-10-01', '2026-10-10', '2026-10-12', 'withdrawn'); // withdrawn: takes no slip
  await slip('A1', '2026-10-05', '2026-10-09');
  await slip('A2', '2026-10-10', '2026-10-15');
  await slip('A4', '2026-10-15', '2026-10-20');
  await slip('A5', '2026-10-20', '2026-11-10');
  await slip('A8', '2026-11-05', '2026-11-20');
  await slip('A9', '2026-10-06', '2026-10-08');
  await slip('A9', '2026-10-08', '2026-10-12');
  await cancelSlip(t.ctx, await slip('A10', '2026-10-07', '2026-10-09'), 'Ghi nhầm hồ sơ', t.users.quality_officer);
  await slip('A11', '2026-10-20', '2026-11-02');
  await slip('B1', '2026-10-09', '2026-10-15');
  await slip('B2', '2026-09-20', '2026-09-25');
});
afterAll(async () => t?.close());

describe('the apology-slip figures (known answers)', () => {
  it('counts October: late and pending overdue dossiers with and without a slip, and the new dates met or not', async () => {
    const p = await apologyFigures(t.ctx.db, '2026-10-01', '2026-10-31');
    // P-A late: A1, A2, A3, A8, A9, A10 — with a slip in force at 10-31: A1 (met), A2 (after), A9 (met by its second);
    // without: A3, A8 (issued after the period), A10 (cancelled). Pending overdue at 10-31: A4, A5, A6, A11 — with a
    // slip: A4 (new date 10-20 passed), A5 and A11 (11-10 and 11-02, not yet); without: A6.
    const a = figures({
      late: 6,
      lateWithSlip: 3,
      lateWithoutSlip: 3,
      metNewDate: 2,
      returnedAfterNewDate: 1,
      pendingOverdue: 4,
      overdueWithSlip: 3,
      overdueWithoutSlip: 1,
      pendingPastNewDate: 1,
      pendingWithinNewDate: 2,
    });
    // P-B: B1 late with a slip, returned on its new date; B2 resolved in September; B3 withdrawn
    const b = figures({ late: 1, lateWithSlip: 1, metNewDate: 1 });
    expect(p.byProcedure.map((r) => [r.code, r.figures])).toEqual([
      ['P-A', a],
      ['P-B', b],
    ]);
    expect(p.total).toEqual(
      figures({
        late: 7,
        lateWithSlip: 4,
        lateWithoutSlip: 3,
        metNewDate: 3,
        returnedAfterNewDate: 1,
        pendingOverdue: 4,
        overdueWithSlip: 3,
        overdueWithoutSlip: 1,
        pendingPastNewDate: 1,
        pendingWithinNewDate: 2,
      }),
    );
  });

  it('counts November to date: A11 returned after its new date, A4 and A5 past theirs', async () => {
    const p = await apologyFigures(t.ctx.db, '2026-11-01', '2026-11-26');
    expect(p.byProcedure.map((r) => [r.code, r.figures])).toEqual([
      [
        'P-A',
        figures({ late: 1, lateWithSlip: 1, returnedAfterNewDate: 1, pendingOverdue: 3, overdueWithSlip: 2, overdueWithoutSlip: 1, pendingPastNewDate: 2 }),
      ],
    ]);
  });

  it('shows the figures and the work list on the page: dossiers without a slip, and those past their new date', async () => {
    const page = await leader.get('/apologies?from=2026-10-01&to=2026-10-31&lang=vi');
    expect(page.status).toBe(200);
    const cell = (proc: string, key: string) => new RegExp(`data-procedure="${proc}"[\\s\\S]*?data-key="${key}">(\\d+)<`).exec(page.text)?.[1];
    expect(cell('P-A', 'lateWithoutSlip')).toBe('3');
    expect(cell('P-B', 'metNewDate')).toBe('1');
    expect(cell('', 'late')).toBe('7');
    expect(cell('', 'pendingPastNewDate')).toBe('1');
    const work = [...page.text.matchAll(/data-dossier="([^"]+)" data-need="([a-z_]+)"/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(work).toEqual(['A10:no_slip', 'A8:no_slip', 'A3:no_slip', 'A4:new_date_passed', 'A6:no_slip']);
    // a leader reads, records nothing: no link to the form from here is needed, the dossier page has no form
    expect((await leader.get(`/apologies/dossiers/${ids.A3}`)).text).not.toContain(`action="/apologies/dossiers/${ids.A3}"`);
  });

  it('counts a period that ends after today as of today', async () => {
    const page = await qo.get('/apologies?from=2026-11-01&to=2026-12-31&lang=vi');
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-as-of="2026-11-26"');
    expect(/data-procedure=""[\s\S]*?data-key="pendingOverdue">(\d+)</.exec(page.text)?.[1]).toBe('3');
    const csv = await qo.get('/apologies.csv?from=2026-11-01&to=2026-12-31');
    expect(csv.text).toContain('2026-11-01,2026-12-31,P-A,Quy trình P-A,1,1,0,3,2,1,0,1,2,0');
  });

  it('tells the quality officer on the home page how many dossiers of the last 12 months need a slip', async () => {
    // at 2026-11-26: A3 and A10 (cancelled) have none; A4 and A5 are past their new dates; A6 has none
    expect((await qo.get('/')).text).toContain('data-apologies="5"');
  });

  it('answers a malformed period with 400 and the default period', async () => {
    expect((await qo.get('/apologies?from=2026-10-31&to=2026-10-01')).status).toBe(400);
    expect((await qo.get('/apologies.csv?from=x&to=2026-10-01')).status).toBe(400);
  });

  it('exports the figures as CSV (machine keys) and XLSX (labels), a row per procedure and the total', async () => {
    const csv = await qo.get('/apologies.csv?from=2026-10-01&to=2026-10-31');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines).toEqual([
      'from,to,procedureCode,procedureTitle,late,lateWithSlip,lateWithoutSlip,pendingOverdue,overdueWithSlip,overdueWithoutSlip,metNewDate,returnedAfterNewDate,pendingPastNewDate,pendingWithinNewDate',
      '2026-10-01,2026-10-31,P-A,Quy trình P-A,6,3,3,4,3,1,2,1,1,2',
      '2026-10-01,2026-10-31,P-B,Quy trình P-B,1,1,0,0,0,0,1,0,0,0',
      '2026-10-01,2026-10-31,,Tất cả thủ tục,7,4,3,4,3,1,3,1,1,2',
    ]);
    const xlsx = await fetchWorkbook(qo, '/apologies.xlsx?from=2026-10-01&to=2026-10-31&lang=en');
    expect(xlsx.status).toBe(200);
    const ws = xlsx.wb!.worksheets[0];
    expect(ws.getRow(1).getCell(5).value).toBe('Resolved late');
    expect(ws.getRow(2).getCell(3).value).toBe('P-A');
    expect(ws.getRow(4).getCell(4).value).toBe('All procedures');
    expect(ws.getRow(4).getCell(5).value).toBe(7);
  });
});

describe('recording a slip', () => {
  const good = (over: Record<string, string> = {}) => ({
    slip_no: '01/PXL-BPMC',
    issued_on: '2026-10-12',
    reason: 'Chờ ý kiến phối hợp của Sở Tài chính',
    new_due_on: '2026-10-14',
    signer_name: 'Trần Văn Hùng',
    signer_title: 'TRƯỞNG PHÒNG',
    ...over,
  });

  it('offers the form from the dossier page, with the organisation’s signer and today by default', async () => {
    const dossierPage = await qo.get(`/dossiers/${ids.A3}`);
    expect(dossierPage.text).toContain(`href="/apologies/dossiers/${ids.A3}"`);
    const page = await qo.get(`/apologies/dossiers/${ids.A3}?lang=vi`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`action="/apologies/dossiers/${ids.A3}"`);
    expect(page.text).toContain('value="2026-11-26"');
    const org = (await one<{ signer_name: string }>(t, 'select signer_name from organisation where id = 1'))!;
    expect(page.text).toContain(`value="${org.signer_name}"`);
  });

  it('says what is wrong next to each field, and records nothing', async () => {
    const before = (await rows(t, 'select id from apology_slips')).length;
    const cases: [Record<string, string>, string[]][] = [
      [
        { slip_no: '', issued_on: '', reason: '', new_due_on: '', signer_name: '', signer_title: '' },
        ['issued_on', 'new_due_on', 'reason', 'signer_name', 'signer_title', 'slip_no'],
      ],
      [good({ new_due_on: '2026-10-12' }), ['new_due_on']], // not after the due date (10-12)
      [good({ issued_on: '2026-11-27' }), ['issued_on']], // after today
      [good({ issued_on: '2026-09-30' }), ['issued_on']], // before it was received
      [good({ issued_on: '2026-10-13', new_due_on: '2026-10-13' }), []], // placeholder, replaced below
      [good({ slip_no: 'T1/PXL' }), ['slip_no']], // taken
      [good({ issued_on: '31/10/2026' }), ['issued_on']],
    ];
    cases[4] = [good({ issued_on: '2026-10-14', new_due_on: '2026-10-13' }), ['new_due_on']]; // before the slip's date
    for (const [body, fields] of cases) {
      const res = await qo.post(`/apologies/dossiers/${ids.A3}`, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(fieldsWithErrors(res.text).sort(), JSON.stringify(body)).toEqual(fields);
    }
    expect((await rows(t, 'select id from apology_slips')).length).toBe(before);
  });

  it('records a slip with its audit entry in one go; a second one must promise a later date', async () => {
    const res = await qo.post(`/apologies/dossiers/${ids.A3}`, good());
    expect(res.status).toBe(303);
    const s = (await one<{ id: number; organisation_id: number; status: string; created_by: number }>(
      t,
      "select id, organisation_id, status, created_by from apology_slips where slip_no = '01/PXL-BPMC'",
    ))!;
    expect(s).toMatchObject({ organisation_id: 1, status: 'recorded', created_by: t.users.quality_officer });
    const entry = (await one<{ action: string; new_values: string }>(
      t,
      "select action, new_values from audit_log where entity = 'apology_slip' and entity_id = ?",
      String(s.id),
    ))!;
    expect(entry.action).toBe('create');
    expect(JSON.parse(entry.new_values)).toMatchObject({ slip_no: '01/PXL-BPMC', dossier_code: 'A3', new_due_on: '2026-10-14', due_on: '2026-10-12' });
    const second = await qo.post(`/apologies/dossiers/${ids.A3}`, good({ slip_no: '02/PXL-BPMC', issued_on: '2026-10-14', new_due_on: '2026-10-14' }));
    expect(second.status).toBe(422);
    expect(fieldsWithErrors(second.text)).toEqual(['new_due_on']);
    const earlier = await qo.post(`/apologies/dossiers/${ids.A3}`, good({ slip_no: '02/PXL-BPMC', issued_on: '2026-10-11', new_due_on: '2026-10-16' }));
    expect(fieldsWithErrors(earlier.text)).toEqual(['issued_on']);
    expect((await qo.post(`/apologies/dossiers/${ids.A3}`, good({ slip_no: '02/PXL-BPMC', issued_on: '2026-10-14', new_due_on: '2026-10-16' }))).status).toBe(
      303,
    );
    const states = [...(await qo.get(`/apologies/dossiers/${ids.A3}`)).text.matchAll(/data-slip="([^"]+)" data-state="(\w+)"/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(states).toEqual(['02/PXL-BPMC:in_force', '01/PXL-BPMC:replaced']);
    // October: A3 now has a slip in force (new date 10-16), returned 10-14: met
    const p = await apologyFigures(t.ctx.db, '2026-10-01', '2026-10-31');
    expect(p.total).toMatchObject({ late: 7, lateWithSlip: 5, lateWithoutSlip: 2, metNewDate: 4 });
  });

  it('takes no slip for a dossier returned on time or withdrawn, nor for an unknown one', async () => {
    for (const code of ['A7', 'B3']) {
      const page = await qo.get(`/apologies/dossiers/${ids[code]}`);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain(`action="/apologies/dossiers/${ids[code]}"`);
      expect((await qo.post(`/apologies/dossiers/${ids[code]}`, good({ slip_no: `X-${code}` }))).status).toBe(409);
    }
    expect((await qo.get('/apologies/dossiers/999999')).status).toBe(404);
    expect((await qo.post('/apologies/dossiers/999999', good({ slip_no: 'X-404' }))).status).toBe(404);
  });

  it('lets the quality officer and the admin record and cancel; leaders and the inspector read; staff nothing', async () => {
    const { id } = (await one<{ id: number }>(t, "select id from apology_slips where slip_no = 'T1/PXL'"))!;
    expect((await staff.get('/apologies')).status).toBe(403);
    expect((await staff.get(`/apologies/dossiers/${ids.A6}`)).status).toBe(403);
    expect((await staff.get(`/apologies/${id}/print`)).status).toBe(403);
    expect((await staff.post(`/apologies/dossiers/${ids.A6}`, good({ slip_no: 'S-1' }))).status).toBe(403);
    expect((await leader.post(`/apologies/dossiers/${ids.A6}`, good({ slip_no: 'S-2' }))).status).toBe(403);
    expect((await leader.post(`/apologies/${id}/cancel`, { cancel_reason: 'x' })).status).toBe(403);
    expect((await leader.get(`/apologies/${id}/print`)).status).toBe(200);
    const admin = await t.signIn('admin');
    expect((await admin.post(`/apologies/dossiers/${ids.A6}`, good({ slip_no: 'ADM-1', issued_on: '2026-10-25', new_due_on: '2026-11-30' }))).status).toBe(303);
    // without the CSRF token: refused, nothing written
    const noToken = await qo.agent
      .post(`/apologies/dossiers/${ids.A6}`)
      .type('form')
      .send(good({ slip_no: 'CSRF-1' }));
    expect(noToken.status).toBe(403);
    expect(await one(t, "select id from apology_slips where slip_no in ('S-1', 'S-2', 'CSRF-1')")).toBeUndefined();
  });
});

describe('cancelling, printing, keeping', () => {
  it('cancels a slip recorded by mistake with a reason; the one before is in force again', async () => {
    const { id } = (await one<{ id: number }>(t, "select id from apology_slips where slip_no = '02/PXL-BPMC'"))!;
    const empty = await qo.post(`/apologies/${id}/cancel`, { cancel_reason: ' ' });
    expect(empty.status).toBe(422);
    expect(fieldsWithErrors(empty.text)).toEqual(['cancel_reason']);
    expect((await qo.post(`/apologies/${id}/cancel`, { cancel_reason: 'Ghi nhầm ngày hẹn' })).status).toBe(303);
    expect(await one(t, 'select status, cancel_reason from apology_slips where id = ?', id)).toEqual({
      status: 'cancelled',
      cancel_reason: 'Ghi nhầm ngày hẹn',
    });
    expect((await qo.post(`/apologies/${id}/cancel`, { cancel_reason: 'Lần nữa' })).status).toBe(409);
    const states = [...(await qo.get(`/apologies/dossiers/${ids.A3}`)).text.matchAll(/data-slip="([^"]+)" data-state="(\w+)"/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(states).toEqual(['02/PXL-BPMC:cancelled', '01/PXL-BPMC:in_force']);
    expect(
      (await one<{ action: string }>(t, "select action from audit_log where entity = 'apology_slip' and entity_id = ? order by id desc", String(id)))!.action,
    ).toBe('cancel');
    // the audit trail names the slip by its number
    const trail = await (await t.signIn('admin')).get('/admin/audit-log?lang=vi');
    expect(trail.text).toMatch(/đã hủy phiếu xin lỗi 02\/PXL-BPMC lúc/);
    // the number of a cancelled slip may be used again
    expect(
      (
        await qo.post(`/apologies/dossiers/${ids.A3}`, {
          slip_no: '02/PXL-BPMC',
          issued_on: '2026-10-13',
          reason: 'Chờ ký',
          new_due_on: '2026-10-15',
          signer_name: 'A',
          signer_title: 'B',
        })
      ).status,
    ).toBe(303);
  });

  it('prints the slip in the prescribed form with the letterhead, the dossier, both dates and the signer', async () => {
    const { id } = (await one<{ id: number }>(t, "select id from apology_slips where slip_no = '01/PXL-BPMC'"))!;
    const page = await leader.get(`/apologies/${id}/print?lang=vi`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('class="doc-header"');
    expect(page.text).toContain('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
    expect(page.text).toMatch(/class="number">Số: 01\/PXL-BPMC</);
    expect(page.text).toContain('mã hồ sơ A3');
    expect(page.text).toContain('Quy trình P-A');
    expect(page.text).toContain('Ngày 01/10/2026');
    expect(page.text).toContain('Thời gian hẹn trả kết quả giải quyết hồ sơ: ngày 12/10/2026.');
    expect(page.text).toContain('Lý do: Chờ ý kiến phối hợp của Sở Tài chính');
    expect(page.text).toContain('hẹn lại thời gian trả kết quả vào ngày 14/10/2026');
    expect(page.text).toMatch(/class="signer-title">TRƯỞNG PHÒNG</);
    expect(page.text).toMatch(/class="signer-name">Trần Văn Hùng</);
    expect(page.text).toContain('ngày 12 tháng 10 năm 2026');
  });

  it('never changes or deletes a slip in the database itself', async () => {
    const { id } = (await one<{ id: number }>(t, "select id from apology_slips where slip_no = '01/PXL-BPMC'"))!;
    await expect(run(t, "update apology_slips set new_due_on = '2026-12-31' where id = ?", id)).rejects.toThrow(/does not change once recorded/);
    await expect(run(t, 'delete from apology_slips where id = ?', id)).rejects.toThrow(/never deleted/);
  });

  it("keeps each organisation's own: another organisation's dossiers and slips answer 404 and are not counted", async () => {
    const b = await addOrganisation(t, 'ORGB');
    const at = '2026-11-01T00:00:00.000Z';
    await run(
      t,
      `insert into procedures (code, title, field, online_level, on_time_target, search_text, created_at, updated_at, organisation_id) values ('P-A', 'Quy trình B', 'Bảo trợ xã hội', 'none', 1, 'p-a', ?, ?, ?)`,
      at,
      at,
      b.id,
    );
    const procB = (await one<{ id: number }>(t, 'select id from procedures where organisation_id = ?', b.id))!.id;
    await run(
      t,
      `insert into dossier_imports (file_name, sha256, via, imported_at, organisation_id) values ('b.csv', ?, 'cli', ?, ?)`,
      'b'.repeat(64),
      at,
      b.id,
    );
    const imp = (await one<{ id: number }>(t, 'select id from dossier_imports where organisation_id = ?', b.id))!.id;
    await run(
      t,
      `insert into dossiers (code, procedure_id, received_on, due_on, due_computed, returned_on, outcome, channel, created_import_id, updated_import_id, created_at, updated_at, organisation_id)
       values ('B-LATE', ?, '2026-10-01', '2026-10-05', 0, '2026-10-09', 'returned', 'direct', ?, ?, ?, ?, ?)`,
      procB,
      imp,
      imp,
      at,
      at,
      b.id,
    );
    const dossierB = (await one<{ id: number }>(t, "select id from dossiers where code = 'B-LATE'"))!.id;
    const bOfficer = await t.signIn(b.usernames.quality_officer);
    const res = await bOfficer.post(`/apologies/dossiers/${dossierB}`, {
      slip_no: 'T1/PXL',
      issued_on: '2026-10-05',
      reason: 'Lý do B',
      new_due_on: '2026-10-09',
      signer_name: 'Lê Văn Khác',
      signer_title: 'GIÁM ĐỐC',
    });
    expect(res.status).toBe(303);
    const s = (await one<{ id: number; organisation_id: number }>(t, "select id, organisation_id from apology_slips where reason = 'Lý do B'"))!;
    expect(s.organisation_id).toBe(b.id);
    for (const path of [`/apologies/dossiers/${dossierB}`, `/apologies/${s.id}/print`]) expect((await qo.get(path)).status, path).toBe(404);
    expect((await qo.post(`/apologies/${s.id}/cancel`, { cancel_reason: 'x' })).status).toBe(404);
    expect(
      (
        await qo.post(`/apologies/dossiers/${dossierB}`, {
          slip_no: 'Z',
          issued_on: '2026-10-05',
          reason: 'x',
          new_due_on: '2026-10-09',
          signer_name: 'a',
          signer_title: 'b',
        })
      ).status,
    ).toBe(404);
    const aFigures = (await apologyFigures(t.ctx.db, '2026-10-01', '2026-10-31')).total;
    expect(aFigures.late).toBe(7);
    expect((await qo.get('/apologies.csv?from=2026-10-01&to=2026-10-31')).text).not.toContain('Quy trình B');
    const bPage = await bOfficer.get('/apologies?from=2026-10-01&to=2026-10-31');
    expect(bPage.text).toMatch(/data-procedure=""[\s\S]*?data-key="lateWithSlip">1</);
    expect(bPage.text).not.toContain('data-dossier="A3"');
  });
});
