import type { KyselyPlugin } from 'kysely';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { createTestApp, extractCsrf, rows, TEST_PASSWORD, type TestApp } from '../support/app';
import { onPostgres } from '../support/engine';
import { holdTransaction } from '../support/transactions';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

const sidOf = (res: request.Response) => {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith('qms_sid='));
};

async function loginPage(agent: request.Agent) {
  const page = await agent.get('/login');
  return { csrf: extractCsrf(page.text), cookie: sidOf(page) };
}

describe('sign-in', () => {
  it('answers 303 on success with a new session id and HttpOnly, SameSite=Lax cookie', async () => {
    const agent = request.agent(t.app);
    const before = await loginPage(agent);
    expect(before.cookie).toMatch(/HttpOnly/);
    const res = await agent.post('/login').type('form').send({ username: 'staff', password: TEST_PASSWORD, _csrf: before.csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const after = sidOf(res)!;
    expect(after).toMatch(/HttpOnly/);
    expect(after).toMatch(/SameSite=Lax/i);
    expect(after).not.toMatch(/Secure/);
    expect(after.split(';')[0]).not.toBe(before.cookie!.split(';')[0]);
    // the anonymous session is gone; exactly one session, bound to the user, remains
    expect(await rows(t, 'select user_id from sessions')).toEqual([{ user_id: t.users.staff }]);
    const home = await agent.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Người dùng staff');
  });

  it('sets the Secure flag in production', async () => {
    const prod = await createTestApp({ env: { NODE_ENV: 'production' } });
    try {
      const res = await request(prod.app).get('/login');
      expect(sidOf(res)).toMatch(/Secure/);
    } finally {
      await prod.close();
    }
  });

  it('refuses a wrong password with the same answer as an unknown user, and records the attempt', async () => {
    const agent = request.agent(t.app);
    const { csrf } = await loginPage(agent);
    const wrong = await agent.post('/login').type('form').send({ username: 'staff', password: 'wrong password!', _csrf: csrf });
    const unknown = await agent.post('/login').type('form').send({ username: 'nobody', password: 'wrong password!', _csrf: csrf });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.text).toContain('Tên đăng nhập hoặc mật khẩu không đúng.');
    expect(unknown.text).toContain('Tên đăng nhập hoặc mật khẩu không đúng.');
    expect(await rows(t, 'select username_key, succeeded from login_attempts order by id')).toEqual([
      { username_key: 'staff', succeeded: 0 },
      { username_key: 'nobody', succeeded: 0 },
    ]);
  });

  it('redirects after sign-in only to local paths', async () => {
    for (const [next, expected] of [
      ['/procedures?q=tro', '/procedures?q=tro'],
      ['//evil.example/x', '/'],
      ['https://evil.example', '/'],
      ['/\\evil.example', '/'],
    ]) {
      const agent = request.agent(t.app);
      const { csrf } = await loginPage(agent);
      const res = await agent.post('/login').type('form').send({ username: 'leader', password: TEST_PASSWORD, next, _csrf: csrf });
      expect(res.status).toBe(303);
      expect(res.headers.location, next).toBe(expected);
    }
  });

  it('keeps the page asked for before sign-in', async () => {
    const res = await request(t.app).get('/procedures?q=x');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fprocedures%3Fq%3Dx');
  });
});

describe('throttling', () => {
  it('answers 429 with Retry-After after 5 failures in 15 minutes for an account, even with the right password', async () => {
    const agent = request.agent(t.app);
    const { csrf } = await loginPage(agent);
    for (let i = 0; i < 5; i++) {
      const res = await agent
        .post('/login')
        .type('form')
        .send({ username: 'staff', password: `bad password ${i}`, _csrf: csrf });
      expect(res.status).toBe(401);
    }
    const blocked = await agent.post('/login').type('form').send({ username: 'staff', password: TEST_PASSWORD, _csrf: csrf });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBe(900);
    t.clock.advance(10 * 60_000);
    const still = await agent.post('/login').type('form').send({ username: 'staff', password: TEST_PASSWORD, _csrf: csrf });
    expect(still.status).toBe(429);
    expect(Number(still.headers['retry-after'])).toBe(300);
    t.clock.advance(5 * 60_000 + 1000);
    const ok = await agent.post('/login').type('form').send({ username: 'staff', password: TEST_PASSWORD, _csrf: csrf });
    expect(ok.status).toBe(303);
  });

  it('five failures over several usernames from one address hold up no one else there, and reveal no username', async () => {
    const agent = request.agent(t.app);
    const { csrf } = await loginPage(agent);
    const answers = [];
    for (const username of ['a1', 'staff', 'b2', 'leader', 'c3']) {
      answers.push(await agent.post('/login').type('form').send({ username, password: 'nope nope nope', _csrf: csrf }));
    }
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(answers.map((a) => a.text.replace(/value="[^"]*"/g, ''))).size).toBe(1);
    // Limits per account and address pair, then per address (50) and per account (50): test/security/login-throttle.test.ts.
    const admin = await agent.post('/login').type('form').send({ username: 'admin', password: TEST_PASSWORD, _csrf: csrf });
    expect(admin.status).toBe(303);
  });
});

describe('session end', () => {
  it('sign-out ends the session on the server: the old cookie no longer works', async () => {
    const who = await t.signIn('staff');
    const cookie = (await who.agent.get('/')).request.cookies;
    expect(await rows(t, 'select count(*) as n from sessions where user_id = ?', t.users.staff)).toEqual([{ n: 1 }]);
    const out = await who.post('/logout');
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/login');
    expect(await rows(t, 'select count(*) as n from sessions where user_id = ?', t.users.staff)).toEqual([{ n: 0 }]);
    const replay = await request(t.app).get('/').set('Cookie', cookie);
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toMatch(/^\/login/);
    expect(await rows(t, "select action from audit_log where entity = 'session' order by id")).toEqual([{ action: 'login' }, { action: 'logout' }]);
  });

  it('a password change ends every session of the user, the current one included', async () => {
    const first = await t.signIn('staff');
    const second = await t.signIn('staff');
    const wrong = await first.post('/account/password', {
      current_password: 'not it at all',
      new_password: 'a brand new passphrase',
      confirm_password: 'a brand new passphrase',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Mật khẩu hiện tại không đúng.');
    const res = await first.post('/account/password', {
      current_password: TEST_PASSWORD,
      new_password: 'a brand new passphrase',
      confirm_password: 'a brand new passphrase',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?changed=1');
    expect((await first.get('/')).status).toBe(303);
    expect((await second.get('/')).status).toBe(303);
    expect(await rows(t, 'select count(*) as n from sessions where user_id = ?', t.users.staff)).toEqual([{ n: 0 }]);
    expect(await rows(t, "select action, user_id from audit_log where action = 'change_password'")).toEqual([
      { action: 'change_password', user_id: t.users.staff },
    ]);
  });

  it('ends a session idle for more than 30 minutes', async () => {
    const who = await t.signIn('staff');
    t.clock.advance(29 * 60_000);
    expect((await who.get('/')).status).toBe(200);
    t.clock.advance(29 * 60_000);
    expect((await who.get('/')).status).toBe(200);
    t.clock.advance(31 * 60_000);
    const res = await who.get('/');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it('ends a session 10 hours after sign-in however active it is', async () => {
    const who = await t.signIn('staff');
    for (let i = 0; i < 20; i++) {
      t.clock.advance(29 * 60_000);
      expect((await who.get('/')).status, `after ${(i + 1) * 29} minutes`).toBe(200);
    }
    t.clock.advance(30 * 60_000); // 10 h 10 min after sign-in, only 30 min after the last request
    expect((await who.get('/')).status).toBe(303);
  });

  it('ends the sessions of a deactivated account', async () => {
    const staff = await t.signIn('staff');
    const admin = await t.signIn('admin');
    const res = await admin.post(`/admin/users/${t.users.staff}/status`, { version: '1', reason: 'Chuyển công tác' });
    expect(res.status).toBe(303);
    expect((await staff.get('/')).status).toBe(303);
    expect(await rows(t, 'select active from users where id = ?', t.users.staff)).toEqual([{ active: 0 }]);
  });
});

describe('reading the session while a change is being written', () => {
  // A transaction another request holds open must not show the session's reader rows that are not committed yet, and
  // once it commits the next request must see the outcome. How the reader gets there differs by engine:
  // - SQLite: the app has one connection, which the held transaction has; the request waits for it and then sees the
  //   outcome. No clock decides when to look: a query plugin tells when the request has reached the database (its
  //   first query is built and waits for the connection), and an answer before that is a failure.
  // - PostgreSQL: readers do not wait for writers; the request is answered while the change is held, from the last
  //   committed state (the user still signed in, the sessions still there), and the request after the commit sees
  //   the change. A request that waited for the writer would never be answered while held (the test times out).
  async function whileHeld(change: (trx: TestApp['ctx']['db']) => Promise<unknown>, outcome: 'commit' | 'rollback') {
    let reached: (() => void) | undefined;
    const probe: KyselyPlugin = {
      transformQuery: (args) => {
        reached?.();
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const app = createApp({ ...t.appCtx, db: t.appCtx.db.withPlugin(probe) });
    const staff = request.agent(app);
    const csrf = extractCsrf((await staff.get('/login')).text);
    expect((await staff.post('/login').type('form').send({ username: 'staff', password: TEST_PASSWORD, _csrf: csrf })).status).toBe(303);
    const held = await holdTransaction(t.ctx.db, change, outcome);
    if (onPostgres) {
      const during = await staff.get('/');
      held.release();
      await held.finished.catch(() => undefined);
      return { whileHeld: during.status, after: (await staff.get('/')).status };
    }
    const waiting = new Promise<'waiting'>((resolve) => (reached = () => resolve('waiting')));
    const page = staff.get('/').then((res) => res);
    const first = await Promise.race([waiting, page.then(() => 'answered' as const)]);
    held.release();
    await held.finished.catch(() => undefined);
    return { whileHeld: first === 'answered' ? (await page).status : 'waited', after: (await page).status };
  }

  it('a deactivation not yet committed neither signs the user out early nor is missed once committed', async () => {
    const committed = await whileHeld((trx) => trx.updateTable('users').set({ active: 0 }).where('id', '=', t.users.staff).execute(), 'commit');
    expect(committed).toEqual({ whileHeld: onPostgres ? 200 : 'waited', after: 303 });
    await t.ctx.db.updateTable('users').set({ active: 1 }).where('id', '=', t.users.staff).execute();
    const rolledBack = await whileHeld((trx) => trx.deleteFrom('sessions').execute(), 'rollback');
    expect(rolledBack).toEqual({ whileHeld: onPostgres ? 200 : 'waited', after: 200 });
  });
});
