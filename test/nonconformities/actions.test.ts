import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { insertUser } from '../../src/features/users/users.queries';
import { hashPassword } from '../../src/core/security/passwords';
import { TEST_PASSWORD } from '../support/app';
import { actionVersion, auditFor, ncIn, newAction, versionOf } from './helpers';

/** Actions: "Việc của tôi" with due-date colours, the steps of an action, progress notes and evidence files. */
let t: TestApp;
let staff: SignedIn;
let qo: SignedIn;
let outsider: SignedIn;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

beforeAll(async () => {
  t = await createTestApp({ env: { UPLOAD_MAX_MB: '1' } });
  await insertUser(
    t.ctx.db,
    {
      username: 'motcua',
      full_name: 'Vũ Thị Mai',
      role: 'staff',
      unit_id: t.units.other,
      email: null,
      position_title: null,
      password_hash: await hashPassword(TEST_PASSWORD),
    },
    t.clock.now().toISOString(),
  );
  staff = await t.signIn('staff');
  qo = await t.signIn('quality_officer');
  outsider = await t.signIn('motcua');
});
afterAll(async () => t.close());

describe('Việc của tôi', () => {
  it('lists the user’s open actions by due date: overdue in red, due within 7 days in amber', async () => {
    const nc = await ncIn(t, 'action_plan', { responsibleUserId: null });
    await newAction(t, nc.id, { dueDate: '2026-11-20' }); // overdue
    await newAction(t, nc.id, { dueDate: '2026-12-03' }); // today + 7: due soon
    await newAction(t, nc.id, { dueDate: '2026-12-04' }); // later
    await newAction(t, nc.id, { dueDate: '2026-11-01', ownerId: t.users.leader }); // someone else's
    const page = await staff.get('/actions/mine');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<span class="overdue">⚠ 20/11/2026 — quá hạn</span>');
    expect(page.text).toContain('<span class="due-soon">◔ 03/12/2026 — sắp đến hạn</span>');
    expect(page.text).toContain('<td>04/12/2026</td>');
    expect(page.text).not.toContain('01/11/2026');
    expect(page.text).toContain('1 quá hạn');
    expect(page.text).toContain('1 đến hạn trong 7 ngày');
    const order = [...page.text.split('Báo cáo và sự không phù hợp của tôi')[0].matchAll(/(\d\d\/\d\d\/2026)(?: — |<\/td>)/g)].map((m) => m[1]);
    expect(order).toEqual(['20/11/2026', '03/12/2026', '04/12/2026', '15/12/2026']);
    const empty = await outsider.get('/actions/mine');
    expect(empty.text).toContain('Bạn không có hành động nào cần thực hiện.');
  });
});

describe('the steps of an action', () => {
  it('starts, takes notes, is edited with its owner changed, completes — each audited', async () => {
    const nc = await ncIn(t, 'in_progress');
    const a = nc.actionId!;
    expect((await staff.post(`/actions/${a}/start`, { version: await actionVersion(t, a) })).status).toBe(303);
    expect(await rows(t, 'select status, started_on from nc_actions where id = ?', a)).toEqual([{ status: 'in_progress', started_on: '2026-11-26' }]);
    expect((await staff.post(`/actions/${a}/start`, { version: await actionVersion(t, a) })).status).toBe(409);
    expect((await staff.post(`/actions/${a}/notes`, { note: 'Đã soạn tài liệu hướng dẫn' })).status).toBe(303);
    expect((await staff.post(`/actions/${a}/notes`, { note: '' })).status).toBe(422);
    expect(
      (
        await qo.post(`/actions/${a}`, {
          version: await actionVersion(t, a),
          description: 'Hướng dẫn lại',
          owner_id: String(t.users.leader),
          due_date: '2026-12-20',
        })
      ).status,
    ).toBe(303);
    expect((await qo.post(`/actions/${a}`, { version: await actionVersion(t, a), description: 'x', owner_id: '9999', due_date: '2026-12-20' })).status).toBe(
      422,
    );
    const noNote = await qo.post(`/actions/${a}/complete`, { version: await actionVersion(t, a), completion_note: '' });
    expect(noNote.status).toBe(422);
    expect((await qo.post(`/actions/${a}/complete`, { version: await actionVersion(t, a), completion_note: 'Đã hướng dẫn xong' })).status).toBe(303);
    expect((await qo.post(`/actions/${a}/complete`, { version: await actionVersion(t, a), completion_note: 'Lần nữa' })).status).toBe(409);
    expect((await auditFor(t, 'nc_action', a)).map((e) => e.action)).toEqual(['create', 'start', 'add_note', 'update', 'complete']);
    const page = await qo.get(`/actions/${a}`);
    expect(page.text).toContain('Đã soạn tài liệu hướng dẫn');
    expect(page.text).toContain('Đã hướng dẫn xong');
  });

  it('refuses an unknown owner, a bad due date, an unknown type or field (422) and an unknown NC (404)', async () => {
    const nc = await ncIn(t, 'action_plan');
    const ok = { type: 'corrective', kind: 'general', description: 'Việc', owner_id: String(t.users.staff), due_date: '2026-12-31' };
    expect((await qo.post(`/nonconformities/${nc.id}/actions`, { ...ok, owner_id: '4242' })).status).toBe(422);
    expect((await qo.post(`/nonconformities/${nc.id}/actions`, { ...ok, due_date: '31/12/2026' })).status).toBe(422);
    expect((await qo.post(`/nonconformities/${nc.id}/actions`, { ...ok, type: 'magic' })).status).toBe(422);
    expect((await qo.post(`/nonconformities/${nc.id}/actions`, { ...ok, status: 'done' })).status).toBe(422);
    expect((await qo.post(`/nonconformities/${nc.id}/actions`, { ...ok, description: 'x'.repeat(2001) })).status).toBe(422);
    expect((await qo.post('/nonconformities/99999/actions', ok)).status).toBe(404);
    expect(await rows(t, 'select count(*) as n from nc_actions where nonconformity_id = ?', nc.id)).toEqual([{ n: 1 }]);
  });
});

describe('evidence files', () => {
  it('stores a PDF by its content, lists it and downloads it as an attachment, with an audit entry', async () => {
    const nc = await ncIn(t, 'in_progress');
    const a = nc.actionId!;
    const res = await staff.agent.post(`/actions/${a}/files`).field('_csrf', staff.csrf).attach('file', PDF, 'Biên bản tập huấn.pdf');
    expect(res.status).toBe(303);
    const stored = await rows<{ id: number; file_name: string; mime_type: string; size_bytes: number; uploaded_by: number }>(
      t,
      'select id, file_name, mime_type, size_bytes, uploaded_by from nc_action_files where action_id = ?',
      a,
    );
    expect(stored).toEqual([
      { id: stored[0].id, file_name: 'Biên bản tập huấn.pdf', mime_type: 'application/pdf', size_bytes: PDF.length, uploaded_by: t.users.staff },
    ]);
    expect((await auditFor(t, 'nc_action', a)).at(-1)).toMatchObject({ action: 'attach_file', user_id: t.users.staff });
    const page = await qo.get(`/actions/${a}`);
    expect(page.text).toContain('Biên bản tập huấn.pdf');
    const download = await qo.get(`/actions/${a}/files/${stored[0].id}`).buffer(true);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toMatch(/^attachment; /);
    expect((await outsider.get(`/actions/${a}/files/${stored[0].id}`)).status).toBe(403);
    expect((await qo.get(`/actions/${a}/files/99999`)).status).toBe(404);
  });

  it('refuses an HTML file named .pdf, an empty form, someone else’s action, and a file over the limit', async () => {
    const nc = await ncIn(t, 'in_progress');
    const a = nc.actionId!;
    const html = await staff.agent
      .post(`/actions/${a}/files`)
      .field('_csrf', staff.csrf)
      .attach('file', Buffer.from('<html><script>alert(1)</script></html>'), 'evil.pdf');
    expect(html.status).toBe(422);
    expect(html.text).toContain('Chỉ chấp nhận tệp PDF');
    const none = await staff.agent.post(`/actions/${a}/files`).field('_csrf', staff.csrf).field('x', '');
    expect(none.status).toBe(422);
    const foreign = await outsider.agent.post(`/actions/${a}/files`).field('_csrf', outsider.csrf).attach('file', PDF, 'a.pdf');
    expect(foreign.status).toBe(403);
    const big = await staff.agent
      .post(`/actions/${a}/files`)
      .field('_csrf', staff.csrf)
      .attach('file', Buffer.concat([PDF, Buffer.alloc(1_200_000)]), 'big.pdf');
    expect(big.status).toBe(413);
    const noToken = await staff.agent.post(`/actions/${a}/files`).attach('file', PDF, 'a.pdf');
    expect(noToken.status).toBe(403);
    expect(await rows(t, 'select count(*) as n from nc_action_files where action_id = ?', a)).toEqual([{ n: 0 }]);
  });
});

describe('analysis form', () => {
  it('needs at least one why with its answer, and an answer for every why (422 next to the field)', async () => {
    const nc = await ncIn(t, 'open');
    const none = await qo.post(`/nonconformities/${nc.id}/analysis`, { version: await versionOf(t, nc.id), cause_category: 'people', root_cause: 'x' });
    expect(none.status).toBe(422);
    expect(none.text).toContain('Nhập ít nhất một cặp “tại sao” và câu trả lời.');
    const half = await qo.post(`/nonconformities/${nc.id}/analysis`, {
      version: await versionOf(t, nc.id),
      why_1: 'Tại sao?',
      cause_category: 'people',
      root_cause: 'x',
    });
    expect(half.status).toBe(422);
    expect(half.text).toContain('value="Tại sao?"');
    const badCategory = await qo.post(`/nonconformities/${nc.id}/analysis`, {
      version: await versionOf(t, nc.id),
      why_1: 'a',
      answer_1: 'b',
      cause_category: 'luck',
      root_cause: 'x',
    });
    expect(badCategory.status).toBe(422);
    expect(await rows(t, 'select status from nonconformities where id = ?', nc.id)).toEqual([{ status: 'open' }]);
  });
});
