import request from 'supertest';
import type { CreatedApp } from '../../src/app';
import { extractCsrf, type SignedIn } from './app';

/**
 * An agent that keeps cookies even when they are `Secure` (production mode over plain HTTP in tests):
 * superagent's jar would drop them, so this one sends the Cookie header itself.
 */
export function secureCookieAgent(app: CreatedApp): request.Agent {
  const jar = new Map<string, string>();
  const remember = (res: { headers: Record<string, unknown> }) => {
    for (const line of ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? [])) {
      const [pair, ...attrs] = line.split(';');
      const [name, ...rest] = pair.split('=');
      const value = rest.join('=');
      if (attrs.some((a) => /^\s*expires=thu, 01 jan 1970/i.test(a)) || value === '') jar.delete(name.trim());
      else jar.set(name.trim(), value);
    }
  };
  const wrap = (method: 'get' | 'post' | 'head' | 'put' | 'delete') => (url: string) => {
    const test = request(app)[method](url);
    if (jar.size) test.set('Cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    test.on('response', remember);
    return test;
  };
  return { get: wrap('get'), post: wrap('post'), head: wrap('head'), put: wrap('put'), delete: wrap('delete') } as unknown as request.Agent;
}

export async function signInWith(app: CreatedApp, username: string, password: string): Promise<SignedIn> {
  const agent = app.locals.secureCookies ? secureCookieAgent(app) : request.agent(app);
  const page = await agent.get('/login');
  const res = await agent
    .post('/login')
    .type('form')
    .send({ username, password, _csrf: extractCsrf(page.text) });
  if (res.status !== 303) throw new Error(`sign-in as ${username} answered ${res.status}`);
  const signed: SignedIn = {
    agent,
    csrf: '',
    post: (path, body = {}) =>
      agent
        .post(path)
        .type('form')
        .send({ ...body, _csrf: signed.csrf }),
    get: (path) => agent.get(path),
    refreshCsrf: async () => {
      signed.csrf = extractCsrf((await agent.get('/account/password')).text);
      return signed.csrf;
    },
  };
  await signed.refreshCsrf();
  return signed;
}
