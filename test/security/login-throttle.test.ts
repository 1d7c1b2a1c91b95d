import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_LIMIT, ADDRESS_LIMIT, FAILURE_WINDOW_MS, PAIR_LIMIT } from '../../src/features/auth/auth.service';
import { createTestApp, extractCsrf, rows, run, TEST_PASSWORD, type TestApp } from '../support/app';

/**
 * The sign-in throttle under attack (issue 19, points 1 and 10). Guesses are sent in parallel, as an attacker would:
 * the limit must hold however many are in flight at once (the count and the record of an attempt are one write,
 * before the password is checked), and it must hold per account and address pair, with a higher limit per address
 * alone, so that one guesser behind an office's router does not lock out the whole office.
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
  // Addresses come from X-Forwarded-For here, so that one test can play several offices; the app itself trusts none.
  t.app.set('trust proxy', 'loopback');
});
afterEach(async () => t.close());

interface Visitor {
  cookie: string;
  csrf: string;
}

/** A visitor's sign-in page: its cookie and the form's token (reused by every guess: they all share one form). */
async function visitor(lang: 'vi' | 'en' = 'vi'): Promise<Visitor> {
  const page = await request(t.app).get(`/login?lang=${lang}`);
  const cookies = ([] as string[]).concat(page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
  return { cookie: cookies.join('; '), csrf: extractCsrf(page.text) };
}

function guess(v: Visitor, username: string, password: string, ip = '203.0.113.10') {
  return request(t.app).post('/login').set('Cookie', v.cookie).set('X-Forwarded-For', ip).type('form').send({ username, password, _csrf: v.csrf });
}

const statuses = (answers: { status: number }[]) => {
  const out: Record<number, number> = {};
  for (const a of answers) out[a.status] = (out[a.status] ?? 0) + 1;
  return out;
};

/** Failures already recorded (as if guessed earlier in the window), so that the test checks only the last ones. */
async function earlierFailures(n: number, row: (i: number) => { username_key: string; ip: string }) {
  const at = new Date(t.clock.now().getTime() - 60_000).toISOString();
  for (let i = 0; i < n; i++)
    await run(t, 'insert into login_attempts (username_key, ip, succeeded, at) values (?, ?, 0, ?)', row(i).username_key, row(i).ip, at);
}

const failuresRecorded = async () => (await rows<{ n: number }>(t, 'select count(*) as n from login_attempts where succeeded = 0'))[0].n;

describe('parallel guesses', () => {
  it(`40 wrong passwords at once for one account: ${PAIR_LIMIT} are checked, the rest answered 429 with Retry-After`, async () => {
    const v = await visitor();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => guess(v, 'staff', `wrong guess number ${i}`)));
    expect(statuses(answers)).toEqual({ 401: PAIR_LIMIT, 429: 40 - PAIR_LIMIT });
    for (const a of answers.filter((x) => x.status === 429)) {
      expect(Number(a.headers['retry-after'])).toBe(FAILURE_WINDOW_MS / 1000);
      expect(a.text).toContain('Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.');
    }
    expect(await failuresRecorded()).toBe(PAIR_LIMIT);
  });

  it('the right password sent as the 40th parallel guess does not sign in once the limit is reached', async () => {
    const v = await visitor();
    const wrong = Array.from({ length: 39 }, (_, i) => guess(v, 'staff', `wrong guess number ${i}`).then((r) => r));
    // The first guesses hold their places while their passwords are being hashed; the right one comes in then.
    for (let waited = 0; (await failuresRecorded()) < PAIR_LIMIT && waited < 30_000; waited += 2) await new Promise((resolve) => setTimeout(resolve, 2));
    const right = await guess(v, 'staff', TEST_PASSWORD);
    const answers = await Promise.all(wrong);
    expect(right.status).toBe(429);
    expect(statuses(answers)).toEqual({ 401: PAIR_LIMIT, 429: 39 - PAIR_LIMIT });
    expect(await rows(t, 'select count(*) as n from sessions')).toEqual([{ n: 0 }]);
  });

  it('the right password among 40 parallel guesses signs in only if it was one of the guesses checked', async () => {
    const v = await visitor();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => guess(v, 'staff', i === 39 ? TEST_PASSWORD : `wrong guess number ${i}`)));
    const counts = statuses(answers);
    expect((counts[401] ?? 0) + (counts[303] ?? 0)).toBe(PAIR_LIMIT);
    expect(counts[429]).toBe(40 - PAIR_LIMIT);
  });

  it('100 parallel guesses at 100 usernames from one address: no more than the address limit is checked', async () => {
    const v = await visitor('en');
    // Most of the address's allowance is spent already (checking 50 passwords would only make the test slow).
    await earlierFailures(ADDRESS_LIMIT - 10, (i) => ({ username_key: `earlier${i}`, ip: '203.0.113.10' }));
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => guess(v, `user${i}`, 'wrong password here')));
    expect(statuses(answers)).toEqual({ 401: 10, 429: 90 });
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.headers['retry-after']).toBe(String(FAILURE_WINDOW_MS / 1000 - 60));
    expect(refused.text).toContain('Too many failed sign-ins. Please wait 14 min, then try again.');
  });

  it('100 parallel guesses at one account: still no more than the limit checked', async () => {
    const v = await visitor();
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => guess(v, 'leader', `wrong guess number ${i}`)));
    expect(statuses(answers)).toEqual({ 401: PAIR_LIMIT, 429: 100 - PAIR_LIMIT });
  });
});

describe('per account and address, then per address, then per account', () => {
  const office = '198.51.100.7';
  const elsewhere = '192.0.2.44';

  it('five failures for one account hold up that account from that address only', async () => {
    const v = await visitor();
    for (let i = 0; i < PAIR_LIMIT; i++) expect((await guess(v, 'staff', `bad password ${i}`, office)).status).toBe(401);
    expect((await guess(v, 'staff', TEST_PASSWORD, office)).status).toBe(429);
    // A colleague behind the same router signs in as usual, and so does the account's owner from another address.
    expect((await guess(v, 'leader', TEST_PASSWORD, office)).status).toBe(303);
    expect((await guess(v, 'staff', TEST_PASSWORD, elsewhere)).status).toBe(303);
    // The pair waits out the window from its oldest failure.
    t.clock.advance(FAILURE_WINDOW_MS - 60_000);
    const still = await guess(v, 'staff', TEST_PASSWORD, office);
    expect(still.status).toBe(429);
    expect(still.headers['retry-after']).toBe('60');
    t.clock.advance(60_000);
    expect((await guess(v, 'staff', TEST_PASSWORD, office)).status).toBe(303);
  });

  it(`${ADDRESS_LIMIT} failures from one address over many accounts hold up that address, for every account`, async () => {
    const v = await visitor();
    await earlierFailures(ADDRESS_LIMIT - 2, (i) => ({ username_key: `nobody${i}`, ip: office }));
    for (const who of ['someone', 'staff']) expect((await guess(v, who, 'wrong password here', office)).status).toBe(401);
    const held = await guess(v, 'admin', TEST_PASSWORD, office);
    expect(held.status).toBe(429);
    expect(held.headers['retry-after']).toBe(String(FAILURE_WINDOW_MS / 1000 - 60));
    expect((await guess(v, 'admin', TEST_PASSWORD, elsewhere)).status).toBe(303);
  });

  it('colleagues behind one address who each mistype a few times are never held up', async () => {
    const v = await visitor();
    // Four people of one office each mistype their password four times: nobody is held up.
    for (const who of ['staff', 'leader', 'admin', 'qualityofficer']) {
      for (let i = 0; i < PAIR_LIMIT - 1; i++) expect((await guess(v, who, `typo ${i}`, office)).status).toBe(401);
    }
    for (const who of ['staff', 'leader', 'admin', 'qualityofficer']) expect((await guess(v, who, TEST_PASSWORD, office)).status).toBe(303);
  });

  it(`${ACCOUNT_LIMIT} failures at one account from many addresses hold up that account everywhere`, async () => {
    const v = await visitor();
    await earlierFailures(ACCOUNT_LIMIT - PAIR_LIMIT, (i) => ({ username_key: 'staff', ip: `203.0.113.${100 + Math.floor(i / PAIR_LIMIT)}` }));
    const last = await Promise.all(Array.from({ length: PAIR_LIMIT + 3 }, (_, i) => guess(v, 'staff', `guess ${i}`, '203.0.113.99')));
    expect(statuses(last)).toEqual({ 401: PAIR_LIMIT, 429: 3 });
    expect((await guess(v, 'staff', TEST_PASSWORD, elsewhere)).status).toBe(429);
    expect((await guess(v, 'leader', TEST_PASSWORD, elsewhere)).status).toBe(303);
  });

  it('a successful sign-in is recorded as such and does not count against the limits', async () => {
    const v = await visitor();
    for (let i = 0; i < 8; i++) expect((await guess(v, 'staff', TEST_PASSWORD, office)).status).toBe(303);
    expect(await rows(t, 'select succeeded, count(*) as n from login_attempts group by succeeded')).toEqual([{ succeeded: 1, n: 8 }]);
  });
});
