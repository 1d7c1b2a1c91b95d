import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { createTestApp, extractCsrf, rows, TEST_PASSWORD, type TestApp } from '../support/app';

/**
 * Sessions (issue 19, point 8): the idle limit holds to the second however the stored last-seen stamp lags, and a
 * visitor who only looks at the sign-in page leaves nothing in the database, while the sign-in form keeps its CSRF
 * protection and the interface that tests outside this repository rely on (shared/design/ARCHITECTURE.md).
 */
let t: TestApp;
afterEach(async () => t.close());

const sessionCount = async () => (await rows<{ n: number }>(t, 'select count(*) as n from sessions'))[0].n;

describe('idle timeout to the second', () => {
  it('with a one-minute limit, a user active every 30 s for 5 minutes stays signed in; 61 s idle signs out', async () => {
    t = await createTestApp({ env: { SESSION_IDLE_MINUTES: '1' } });
    const who = await t.signIn('staff');
    for (let i = 1; i <= 10; i++) {
      t.clock.advance(30_000);
      expect((await who.get('/')).status, `after ${i * 30} s`).toBe(200);
    }
    // Exactly the limit is still within it; one second more is not.
    t.clock.advance(60_000);
    expect((await who.get('/')).status).toBe(200);
    t.clock.advance(61_000);
    const out = await who.get('/');
    expect(out.status).toBe(303);
    expect(out.headers.location).toMatch(/^\/login/);
    expect(await rows(t, 'select count(*) as n from sessions where user_id = ?', t.users.staff)).toEqual([{ n: 0 }]);
  });

  it('requests a few seconds apart, never idle for a minute, stay signed in for ten minutes', async () => {
    t = await createTestApp({ env: { SESSION_IDLE_MINUTES: '1' } });
    const who = await t.signIn('leader');
    const steps = [59_000, 1_000, 45_000, 14_000, 60_000];
    for (let i = 0, elapsed = 0; elapsed < 600_000; i++) {
      t.clock.advance(steps[i % steps.length]);
      elapsed += steps[i % steps.length];
      expect((await who.get('/')).status, `after ${elapsed} ms`).toBe(200);
    }
  });

  it('the stored stamp is rewritten at most every tenth of the limit, not on every request', async () => {
    t = await createTestApp({ env: { SESSION_IDLE_MINUTES: '1' } });
    const who = await t.signIn('staff');
    const stored = async () => (await rows<{ last_seen_at: string }>(t, 'select last_seen_at from sessions where user_id = ?', t.users.staff))[0].last_seen_at;
    const signedInAt = await stored();
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1_000);
      expect((await who.get('/')).status).toBe(200);
    }
    expect(await stored()).toBe(signedInAt);
    t.clock.advance(1_000);
    expect((await who.get('/')).status).toBe(200);
    expect(await stored()).toBe(t.clock.now().toISOString());
  });

  it('after a restart the stored stamp counts, so a session never outlives its limit', async () => {
    t = await createTestApp({ env: { SESSION_IDLE_MINUTES: '1' } });
    const who = await t.signIn('staff');
    t.clock.advance(30_000);
    expect((await who.get('/')).status).toBe(200);
    const restarted = createApp(t.appCtx);
    const cookie = (await who.get('/')).request.cookies;
    t.clock.advance(61_000);
    expect((await request(restarted).get('/').set('Cookie', cookie)).status).toBe(303);
  });
});

describe('no session row for anonymous visitors', () => {
  it('500 cookie-less GET /login write no session row', async () => {
    t = await createTestApp();
    for (let i = 0; i < 500; i++) {
      const res = await request(t.app).get('/login');
      expect(res.status).toBe(200);
    }
    expect(await sessionCount()).toBe(0);
    // Nor do other anonymous pages, or a failed sign-in.
    await request(t.app).get('/procedures');
    await request(t.app).get('/login?lang=en');
    const agent = request.agent(t.app);
    const csrf = extractCsrf((await agent.get('/login')).text);
    expect((await agent.post('/login').type('form').send({ username: 'staff', password: 'not the password', _csrf: csrf })).status).toBe(401);
    expect(await sessionCount()).toBe(0);
    // Signing in is the first write: one session, the user's.
    expect((await agent.post('/login').type('form').send({ username: 'staff', password: TEST_PASSWORD, _csrf: csrf })).status).toBe(303);
    expect(await rows(t, 'select user_id from sessions')).toEqual([{ user_id: t.users.staff }]);
  });

  it('the setup page writes no session row either', async () => {
    t = await createTestApp({ withUsers: false });
    for (let i = 0; i < 20; i++) expect((await request(t.app).get('/setup')).status).toBe(200);
    expect(await sessionCount()).toBe(0);
  });
});

describe('the sign-in form keeps its CSRF protection and its interface', () => {
  const cookieOf = (res: request.Response) =>
    ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('qms_sid='))
      ?.split(';')[0];

  it('GET /login: a form posting username, password and _csrf; its cookie HttpOnly and SameSite=Lax; success 303', async () => {
    t = await createTestApp();
    const page = await request(t.app).get('/login');
    expect(page.text).toMatch(/<form method="post" action="\/login"/);
    for (const name of ['username', 'password', '_csrf']) expect(page.text).toContain(`name="${name}"`);
    const setCookie = ([] as string[]).concat(page.headers['set-cookie'] ?? []).find((c) => c.startsWith('qms_sid='))!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const res = await request(t.app)
      .post('/login')
      .set('Cookie', cookieOf(page)!)
      .type('form')
      .send({ username: 'staff', password: TEST_PASSWORD, _csrf: extractCsrf(page.text) });
    expect(res.status).toBe(303);
    expect(cookieOf(res)).toBeDefined();
    expect(cookieOf(res)).not.toBe(cookieOf(page));
  });

  it('refuses a sign-in without the cookie, without the token, with another visitor’s token, or with an altered cookie', async () => {
    t = await createTestApp();
    const mine = await request(t.app).get('/login');
    const theirs = await request(t.app).get('/login');
    const cookie = cookieOf(mine)!;
    const csrf = extractCsrf(mine.text);
    const post = (c: string | undefined, token: string | undefined) => {
      const r = request(t.app).post('/login').type('form');
      if (c) r.set('Cookie', c);
      return r.send({ username: 'staff', password: TEST_PASSWORD, ...(token === undefined ? {} : { _csrf: token }) });
    };
    expect((await post(undefined, csrf)).status).toBe(403);
    expect((await post(cookie, undefined)).status).toBe(403);
    expect((await post(cookie, extractCsrf(theirs.text))).status).toBe(403);
    expect((await post(cookie, cookie.slice('qms_sid='.length))).status).toBe(403);
    const [prefix, issued, nonce, mac] = cookie.split('.');
    expect((await post(`${prefix}.${issued}.${nonce.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}.${mac}`, csrf)).status).toBe(403);
    expect((await post(`${prefix}.${(parseInt(issued, 36) + 1).toString(36)}.${nonce}.${mac}`, csrf)).status).toBe(403);
    expect(await sessionCount()).toBe(0);
    expect((await post(cookie, csrf)).status).toBe(303);
  });

  it('a sign-in page stays valid across a restart of the app, but not beyond the absolute session limit', async () => {
    t = await createTestApp();
    const page = await request(t.app).get('/login');
    const restarted = createApp(t.appCtx);
    const send = () =>
      request(restarted)
        .post('/login')
        .set('Cookie', cookieOf(page)!)
        .type('form')
        .send({ username: 'staff', password: TEST_PASSWORD, _csrf: extractCsrf(page.text) });
    expect((await send()).status).toBe(303);
    t.clock.advance(t.config.sessionAbsoluteMs + 1000);
    expect((await send()).status).toBe(403);
    // A stale page's cookie is replaced by the next visit to the sign-in page.
    const again = await request(t.app).get('/login').set('Cookie', cookieOf(page)!);
    expect(cookieOf(again)).toBeDefined();
    expect(cookieOf(again)).not.toBe(cookieOf(page));
    const retry = await request(t.app)
      .post('/login')
      .set('Cookie', cookieOf(again)!)
      .type('form')
      .send({ username: 'staff', password: TEST_PASSWORD, _csrf: extractCsrf(again.text) });
    expect(retry.status).toBe(303);
  });
});
