import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notify, type Notice } from '../../src/features/notifications/notifications.notify';
import { hashPassword } from '../../src/core/security/passwords';
import { insertUser } from '../../src/features/users/users.queries';
import { createTestApp, one, rows, TEST_PASSWORD, type SignedIn, type TestApp } from '../support/app';

/**
 * The inbox (issue 26): each person's own notifications, newest first, the unread ones marked, with the kind, the
 * record, the due date and the time in the organisation's zone (UTC+7), a link to the record; the unread figure in
 * every page's header; marking one or all read by POST with the CSRF token; another's notification is not found.
 */
let t: TestApp;
let staff: SignedIn;
let ids: number[] = [];

const put = async (notice: Omit<Notice, 'dedupeKey'> & { dedupeKey?: string }, at: string): Promise<number> => {
  const id = await t.ctx.db
    .transaction()
    .execute((trx) => notify(trx, { dedupeKey: `${notice.kind}:${notice.entityId}:${notice.userId}`, ...notice }, new Date(at)));
  return id!;
};
const readAt = async (id: number) => (await one<{ read_at: string | null }>(t, 'select read_at from notifications where id = ?', id))!.read_at;
const itemsOf = (html: string) => [...html.matchAll(/<li class="inbox-item[^"]*">[\s\S]*?<\/li>/g)].map((m) => m[0]);
const headerOf = (html: string) => /<a class="inbox-link"[^>]*>[\s\S]*?<\/a>/.exec(html)?.[0] ?? '';

beforeAll(async () => {
  t = await createTestApp();
  staff = await t.signIn('staff');
  ids = [
    await put(
      {
        userId: t.users.staff,
        kind: 'action_assigned',
        entity: 'nc_action',
        entityId: 7,
        link: '/nonconformities/3',
        params: { code: 'NC-2026-003', title: 'Hồ sơ trả chậm', due: '2026-12-31' },
        dueOn: '2026-12-31',
      },
      '2026-11-24T01:30:00.000Z',
    ),
    await put(
      {
        userId: t.users.staff,
        kind: 'document_acknowledge',
        entity: 'document_revision',
        entityId: 12,
        link: '/documents/5',
        params: { code: 'QT-01', title: 'Quy trình <tiếp nhận>', revision: 2 },
      },
      '2026-11-25T10:15:00.000Z',
    ),
    await put(
      {
        userId: t.users.staff,
        kind: 'feedback_triage',
        entity: 'feedback',
        entityId: 9,
        link: '/feedback/9',
        params: { code: 'PA-2026-009' },
        dueOn: '2026-12-09',
      },
      '2026-11-25T18:05:00.000Z',
    ),
  ];
});
afterAll(async () => t?.close());

describe('the inbox page', () => {
  it('lists one’s own notifications newest first, with kind, record, due date, local time and link; the header counts the unread', async () => {
    const other = await put(
      {
        userId: t.users.leader,
        kind: 'revision_approve',
        entity: 'document_revision',
        entityId: 12,
        link: '/documents/5/revisions/12',
        params: { code: 'QT-01' },
      },
      '2026-11-25T11:00:00.000Z',
    );
    const page = await staff.get('/inbox');
    expect(page.status).toBe(200);
    const items = itemsOf(page.text);
    expect(items).toHaveLength(3);
    // 18:05 UTC on the 25th is 01:05 on the 26th in Hà Nội
    expect(items[0]).toContain('Phản ánh, kiến nghị chờ phân loại');
    expect(items[0]).toContain('<a href="/feedback/9">PA-2026-009</a>');
    expect(items[0]).toContain('Hạn: 09/12/2026');
    expect(items[0]).toContain('26/11/2026 01:05');
    expect(items[1]).toContain('Tài liệu cần xác nhận đã đọc');
    expect(items[1]).toContain('<a href="/documents/5">QT-01 — Quy trình &lt;tiếp nhận&gt;</a>');
    expect(items[1]).toContain('(lần ban hành 2)');
    expect(items[1]).not.toContain('Hạn:');
    expect(items[1]).toContain('25/11/2026 17:15');
    expect(items[2]).toContain('Hành động được giao cho bạn');
    expect(items[2]).toContain('<a href="/nonconformities/3">NC-2026-003 — Hồ sơ trả chậm</a>');
    expect(items[2]).toContain('Hạn: 31/12/2026');
    expect(items[2]).toContain('24/11/2026 08:30');
    for (const item of items) expect(item).toContain('Chưa đọc');
    expect(page.text).not.toContain('/documents/5/revisions/12');
    expect(headerOf(page.text)).toContain('aria-label="Hộp thư, 3 chưa đọc"');
    expect(headerOf(page.text)).toContain('<span class="inbox-count" aria-hidden="true">3</span>');
    // another page's header counts the same, in English too
    expect(headerOf((await staff.get('/actions/mine')).text)).toContain('aria-label="Hộp thư, 3 chưa đọc"');
    expect(headerOf((await staff.get('/inbox?lang=en')).text)).toContain('aria-label="Inbox, 3 unread"');
    await staff.get('/inbox?lang=vi');
    // reading the page marks nothing
    expect(await rows(t, 'select count(*) as n from notifications where read_at is not null')).toEqual([{ n: 0 }]);
    expect(await readAt(other)).toBeNull();
  });

  it('marks one read (POST, CSRF), refuses another person’s (404) and a form without the token (403)', async () => {
    const leaders = (await one<{ id: number }>(t, 'select id from notifications where user_id = ?', t.users.leader))!.id;
    expect((await staff.post(`/inbox/${leaders}/read`)).status).toBe(404);
    expect((await staff.post('/inbox/999999/read')).status).toBe(404);
    expect(await readAt(leaders)).toBeNull();
    const noToken = await staff.agent.post(`/inbox/${ids[0]}/read`).type('form').send({});
    expect(noToken.status).toBe(403);
    expect(await readAt(ids[0])).toBeNull();
    await staff.refreshCsrf();
    t.clock.set('2026-11-26T02:10:00Z');
    const res = await staff.post(`/inbox/${ids[0]}/read`);
    expect(res.status, /<main[\s\S]*<\/main>/.exec(res.text)?.[0]).toBe(303);
    expect(res.headers.location).toBe('/inbox');
    expect(await readAt(ids[0])).toBe('2026-11-26T02:10:00.000Z');
    // read again: its first reading time stays
    t.clock.set('2026-11-26T02:20:00Z');
    expect((await staff.post(`/inbox/${ids[0]}/read`)).status).toBe(303);
    expect(await readAt(ids[0])).toBe('2026-11-26T02:10:00.000Z');
    const page = await staff.get('/inbox');
    expect(page.text).toContain('Đã đánh dấu thông báo là đã đọc.');
    expect(headerOf(page.text)).toContain('aria-label="Hộp thư, 2 chưa đọc"');
    const items = itemsOf(page.text);
    expect(items[2]).not.toContain('Chưa đọc');
    expect(items[2]).not.toContain(`/inbox/${ids[0]}/read`);
    // the unread filter
    const unread = itemsOf((await staff.get('/inbox?show=unread')).text);
    expect(unread).toHaveLength(2);
    expect(unread.join('')).not.toContain('NC-2026-003');
  });

  it('marks all read, from the unread filter back to it; the header then shows no count', async () => {
    const res = await staff.post('/inbox/read-all', { show: 'unread' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/inbox?show=unread');
    expect(await rows(t, 'select id, read_at from notifications where user_id = ? order by id', t.users.staff)).toEqual([
      { id: ids[0], read_at: '2026-11-26T02:10:00.000Z' },
      { id: ids[1], read_at: '2026-11-26T02:20:00.000Z' },
      { id: ids[2], read_at: '2026-11-26T02:20:00.000Z' },
    ]);
    // the leader's stays unread
    expect(await rows(t, 'select read_at from notifications where user_id = ?', t.users.leader)).toEqual([{ read_at: null }]);
    const page = await staff.get('/inbox?show=unread');
    expect(page.text).toContain('Đã đánh dấu 2 thông báo là đã đọc.');
    expect(page.text).toContain('Không có thông báo chưa đọc.');
    expect(headerOf(page.text)).toContain('aria-label="Hộp thư, 0 chưa đọc"');
    expect(headerOf(page.text)).not.toContain('inbox-count');
    expect((await staff.agent.post('/inbox/read-all').type('form').send({})).status).toBe(403);
    await staff.refreshCsrf();
    // a field the form does not have is refused, and nothing is marked
    const leaders = (await one<{ id: number }>(t, 'select id from notifications where user_id = ?', t.users.leader))!.id;
    const leader = await t.signIn('leader');
    const extra = await leader.post('/inbox/read-all', { user_id: String(t.users.staff) });
    expect(extra.status).toBe(422);
    expect(extra.text).toContain('role="alert"');
    expect((await leader.post(`/inbox/${leaders}/read`, { show: 'everything' })).status).toBe(422);
    expect(await readAt(leaders)).toBeNull();
  });

  it('pages by 30, newest first', async () => {
    const admin = await t.signIn('admin');
    for (let i = 1; i <= 32; i++)
      await put(
        {
          userId: t.users.admin,
          kind: 'audit_participant',
          entity: 'audit',
          entityId: i,
          link: `/audits/${i}`,
          params: { code: `ĐGNB-2026-${String(i).padStart(2, '0')}` },
        },
        `2026-11-0${1 + Math.floor(i / 10)}T0${i % 10}:00:00.000Z`,
      );
    const first = await admin.get('/inbox');
    expect(itemsOf(first.text)).toHaveLength(30);
    expect(itemsOf(first.text)[0]).toContain('ĐGNB-2026-32'); // 4 Nov 02:00 UTC: the newest
    expect(first.text).toContain('href="?page&#x3D;2" rel="next"');
    const second = await admin.get('/inbox?page=2');
    expect(itemsOf(second.text).map((i) => /ĐGNB-2026-\d\d/.exec(i)?.[0])).toEqual(['ĐGNB-2026-02', 'ĐGNB-2026-01']);
    expect(headerOf(second.text)).toContain('aria-label="Hộp thư, 32 chưa đọc"');
  });
});

describe('who may open it', () => {
  it('every signed-in role, each their own; nobody signed out', async () => {
    for (const role of ['admin', 'quality_officer', 'leader', 'staff'] as const) {
      const page = await (await t.signIn(role)).get('/inbox');
      expect(page.status, role).toBe(200);
      expect(page.text, role).toContain('<h1>Hộp thư</h1>');
    }
    const leaderPage = await (await t.signIn('leader')).get('/inbox');
    expect(itemsOf(leaderPage.text)).toHaveLength(1);
    expect(itemsOf(leaderPage.text)[0]).toContain('/documents/5/revisions/12');
    const anonymous = await request(t.app).get('/inbox');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Finbox');
    expect((await request(t.app).get('/login')).text).not.toContain('inbox-link');
  });

  it('an inspector, who changes nothing, reads their inbox without the forms to mark it', async () => {
    const id = await insertUser(
      t.ctx.db,
      {
        username: 'kiemtra',
        full_name: 'Thanh tra',
        role: 'inspector',
        unit_id: null,
        email: null,
        position_title: null,
        password_hash: await hashPassword(TEST_PASSWORD),
      },
      t.clock.now().toISOString(),
    );
    const notice = await put(
      { userId: id, kind: 'audit_participant', entity: 'audit', entityId: 40, link: '/audits/40', params: { code: 'KT-2026-01' } },
      '2026-11-26T01:00:00.000Z',
    );
    const inspector = await t.signIn('kiemtra');
    const page = await inspector.get('/inbox');
    expect(page.status).toBe(200);
    expect(itemsOf(page.text)[0]).toContain('KT-2026-01');
    expect(headerOf(page.text)).toContain('aria-label="Hộp thư, 1 chưa đọc"');
    expect(page.text).not.toContain('action="/inbox');
    expect((await inspector.post(`/inbox/${notice}/read`)).status).toBe(403);
    expect(await readAt(notice)).toBeNull();
  });
});
