import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { auditActions, count, createDocument, createDraft, publish, signInPeople, v } from '../documents/helpers';

/**
 * Print marks of process documents (issue 25): what the printed page carries for each state of the revision shown,
 * and the register of controlled copies. The test clock stands at 2026-11-26T02:00:00Z: 09:00 on 26/11/2026 in
 * Asia/Ho_Chi_Minh, the print time every mark must show.
 */
let t: TestApp;
let qo: SignedIn;
let leader: SignedIn;
let staff: SignedIn;
let people: { author: SignedIn; reviewer: SignedIn; approver: SignedIn };
let docId: number;
let rev1: number;
let rev2: number;
let draft: number;

/** The marks of a page, as text without tags: [data-mark, text] of each. */
function marks(html: string): [string, string][] {
  return [...html.matchAll(/<(?:div|p) class="([^"]*)" data-mark="(\w+)">([\s\S]*?)<\/(?:div|p)>\s*(?=<|$)/g)].map((m) => [
    m[2],
    m[3]
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  ]);
}
const stamp = (html: string) =>
  (/<div class="doc-stamp" data-mark="controlled">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** Moves the clock, then signs everyone in again (sessions idle out over a jump of hours). */
async function moveClock(at: string): Promise<void> {
  t.clock.set(at);
  ({ qo, leader, staff, people } = await signInPeople(t));
}

beforeAll(async () => {
  t = await createTestApp();
  ({ qo, leader, staff, people } = await signInPeople(t));
  docId = await createDocument(qo, { code: 'QT-TP-05', title: 'Chứng thực chữ ký' });
  rev1 = await publish(t, people, docId, 'Bản đầu tiên.');
  rev2 = await publish(t, people, docId, 'Bản thứ hai.', 'Sửa thời hạn');
  draft = await createDraft(qo, docId, 'Dự thảo lần 3.', 'Dự thảo mới');
});
afterAll(async () => t.close());

describe('print marks', () => {
  it('a draft prints DỰ THẢO with the print time; an in-review one too', async () => {
    const page = await leader.get(`/documents/${docId}/revisions/${draft}`);
    expect(marks(page.text)).toEqual([
      ['draft', 'DỰ THẢO'],
      ['draft', 'DỰ THẢO · In lúc: 26/11/2026 09:00'],
    ]);
    expect(page.text).toContain('<link rel="stylesheet" href="/static/documents-print.css">');
  });

  it('a superseded revision prints HẾT HIỆU LỰC', async () => {
    const page = await leader.get(`/documents/${docId}/revisions/${rev1}`);
    expect(marks(page.text)).toEqual([
      ['obsolete', 'HẾT HIỆU LỰC'],
      ['obsolete', 'HẾT HIỆU LỰC · In lúc: 26/11/2026 09:00'],
    ]);
  });

  it('an ordinary print of the revision in force says BẢN KHÔNG KIỂM SOÁT, with the note that only stamped copies are controlled', async () => {
    for (const who of [staff, qo]) {
      const page = await who.get(`/documents/${docId}`);
      expect(marks(page.text)).toEqual([
        ['uncontrolled', 'BẢN KHÔNG KIỂM SOÁT · Mã: QT-TP-05 · Lần ban hành: 2 · Hiệu lực từ: 26/11/2026 · In lúc: 26/11/2026 09:00'],
      ]);
      expect(page.text).toContain('Bản in chỉ là bản được kiểm soát khi có dấu “BẢN KIỂM SOÁT”');
      expect(page.text).not.toContain('data-mark="controlled"');
    }
  });

  it('the English page says DRAFT', async () => {
    await leader.get('/documents?lang=en');
    const page = await leader.get(`/documents/${docId}/revisions/${draft}`);
    expect(marks(page.text)[0]).toEqual(['draft', 'DRAFT']);
    await leader.get('/documents?lang=vi');
  });
});

describe('controlled copies', () => {
  it('a quality officer issues copy no. 1 to a holder and prints it with the stamp BẢN KIỂM SOÁT', async () => {
    await moveClock('2026-11-27T08:30:00Z');
    const res = await qo.post(`/documents/${docId}/copies`, { holder: 'Bộ phận Một cửa — quầy 2' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/documents/${docId}?copy=1`);
    const [copy] = await rows<{ id: number; copy_no: number; holder: string; revision_id: number; issued_by: number; issued_at: string }>(
      t,
      'select id, copy_no, holder, revision_id, issued_by, issued_at from document_controlled_copies where document_id = ?',
      docId,
    );
    expect(copy).toMatchObject({
      copy_no: 1,
      holder: 'Bộ phận Một cửa — quầy 2',
      revision_id: rev2,
      issued_by: t.users.quality_officer,
      issued_at: '2026-11-27T08:30:00.000Z',
    });
    expect(await auditActions(t, 'document_controlled_copy', copy.id)).toEqual(['issue']);

    await moveClock('2026-11-27T17:05:00Z'); // 00:05 on the 28th in Hà Nội
    const page = await qo.get(`/documents/${docId}?copy=1`);
    expect(stamp(page.text)).toBe(
      'BẢN KIỂM SOÁT Bản số: 1 · Nơi giữ: Bộ phận Một cửa — quầy 2 Mã: QT-TP-05 · Lần ban hành: 2 · Hiệu lực từ: 26/11/2026 In lúc: 28/11/2026 00:05',
    );
    expect(page.text).not.toContain('data-mark="uncontrolled"');
  });

  it('anyone else asking for the copy, or an unknown copy, prints uncontrolled', async () => {
    for (const [who, url] of [
      [staff, `/documents/${docId}?copy=1`],
      [leader, `/documents/${docId}?copy=1`],
      [qo, `/documents/${docId}?copy=9`],
      [qo, `/documents/${docId}?copy=abc`],
    ] as const) {
      const page = await who.get(url);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('data-mark="controlled"');
      expect(page.text).toContain('data-mark="uncontrolled"');
    }
  });

  it('only quality officers and admins issue and withdraw; a holder and a reason are required; nothing is written otherwise', async () => {
    const before = await count(t, 'select count(*) from document_controlled_copies');
    for (const who of [staff, leader]) expect((await who.post(`/documents/${docId}/copies`, { holder: 'X' })).status).toBe(403);
    const empty = await qo.post(`/documents/${docId}/copies`, { holder: '  ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toMatch(/id="e-holder">[^<]+</);
    const [copy] = await rows<{ id: number }>(t, 'select id from document_controlled_copies where document_id = ? and copy_no = 1', docId);
    expect((await staff.post(`/documents/${docId}/copies/${copy.id}/withdraw`, { copy_reason: 'Mất' })).status).toBe(403);
    const noReason = await qo.post(`/documents/${docId}/copies/${copy.id}/withdraw`, { copy_reason: '' });
    expect(noReason.status).toBe(422);
    expect(await count(t, 'select count(*) from document_controlled_copies')).toBe(before);
    expect(await rows(t, 'select withdrawn_at from document_controlled_copies where id = ?', copy.id)).toEqual([{ withdrawn_at: null }]);
  });

  it('a withdrawn copy prints uncontrolled, cannot be withdrawn twice, and the register keeps it with its reason', async () => {
    const [copy] = await rows<{ id: number }>(t, 'select id from document_controlled_copies where document_id = ? and copy_no = 1', docId);
    const res = await qo.post(`/documents/${docId}/copies/${copy.id}/withdraw`, { copy_reason: 'Thay bằng bản số 2' });
    expect(res.status).toBe(303);
    expect((await qo.post(`/documents/${docId}/copies/${copy.id}/withdraw`, { copy_reason: 'Lần nữa' })).status).toBe(409);
    expect(await auditActions(t, 'document_controlled_copy', copy.id)).toEqual(['issue', 'withdraw']);
    const page = await qo.get(`/documents/${docId}?copy=1`);
    expect(page.text).toContain('data-mark="uncontrolled"');
    expect(page.text).toContain('Đã thu hồi 28/11/2026: Thay bằng bản số 2');
    await expect(t.ctx.db.deleteFrom('document_controlled_copies').where('id', '=', copy.id).execute()).rejects.toThrow(/never deleted/);
    // The next copy takes number 2.
    expect((await qo.post(`/documents/${docId}/copies`, { holder: 'Phòng Tư pháp' })).headers.location).toBe(`/documents/${docId}?copy=2`);
  });

  it('a copy of an older revision no longer prints controlled once a new revision is in force', async () => {
    expect((await qo.post(`/documents/${docId}/revisions/${draft}/cancel`, { version: await v(t, draft), cancel_reason: 'Không dùng' })).status).toBe(303);
    await publish(t, people, docId, 'Bản thứ ba.', 'Bản mới');
    const page = await qo.get(`/documents/${docId}?copy=2`);
    expect(page.text).toContain('data-mark="uncontrolled"');
    expect(page.text).toContain('Lần ban hành cũ: cần thu hồi');
  });
});
