import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { DEMO_PASSWORD_SUFFIX, runDemo } from '../../src/features/demo';
import { createTestApp, extractCsrf, rows, type TestApp } from '../support/app';

/** The demo's inboxes (issue 26): every demo user of every organisation has something waiting, and only what waits is unread. */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ withUsers: false });
  await runDemo(t.ctx, () => {});
}, 180_000);
afterAll(async () => t?.close());

describe('the demo', () => {
  it('leaves unread notifications for every active user of every organisation', async () => {
    const empty = await rows(
      t,
      `select u.username from users u join organisation o on o.id = u.organisation_id
       where u.active = 1 and o.status = 'active' and not exists (select 1 from notifications n where n.user_id = u.id and n.read_at is null)`,
    );
    expect(empty).toEqual([]);
    expect((await rows<{ n: number }>(t, 'select count(*) as n from users where active = 1'))[0].n).toBeGreaterThan(10);
  });

  it('shows as unread only what still waits', async () => {
    const stale = await rows(
      t,
      `select n.kind, n.entity_id from notifications n
       where n.read_at is null and (
         (n.kind = 'revision_approve' and exists (select 1 from document_revisions r where cast(r.id as text) = n.entity_id and r.status <> 'in_review'))
         or (n.kind = 'action_assigned' and exists (select 1 from nc_actions a where cast(a.id as text) = n.entity_id and a.status in ('done', 'cancelled')))
         or (n.kind = 'document_acknowledge' and exists (select 1 from document_acknowledgements a where cast(a.revision_id as text) = n.entity_id and a.user_id = n.user_id))
         or (n.kind = 'feedback_triage' and exists (select 1 from feedback f where cast(f.id as text) = n.entity_id and f.status in ('closed', 'cancelled'))))`,
    );
    expect(stale).toEqual([]);
  });

  it('shows the model office’s member of staff their inbox with its unread count', async () => {
    const agent = request.agent(createApp(t.appCtx));
    const csrf = extractCsrf((await agent.get('/login')).text);
    expect(
      (
        await agent
          .post('/login')
          .type('form')
          .send({ username: 'canbo', password: `canbo${DEMO_PASSWORD_SUFFIX}`, _csrf: csrf })
      ).status,
    ).toBe(303);
    const unread = (
      await rows<{ n: number }>(
        t,
        "select count(*) as n from notifications n join users u on u.id = n.user_id where u.username = 'canbo' and n.read_at is null",
      )
    )[0].n;
    const page = await agent.get('/inbox?show=unread');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`aria-label="Hộp thư, ${unread} chưa đọc"`);
    expect([...page.text.matchAll(/<li class="inbox-item inbox-unread">/g)]).toHaveLength(Math.min(Number(unread), 30));
  });
});
