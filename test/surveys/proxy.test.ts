import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createTestApp, extractCsrf, type TestApp } from '../support/app';
import { procedure } from '../reports/fixtures';
import { defaultSet, ORG } from './support';

/**
 * Behind a reverse proxy every citizen's connection comes from the proxy: with TRUST_PROXY the survey's rate limits
 * count per address the proxy forwards, without it per connection (a forged X-Forwarded-For changes nothing).
 */
const PAGE = `/s/${ORG}/P-A`;
let behind: TestApp;
let direct: TestApp;

async function send(t: TestApp, forwardedFor: string, q: number): Promise<number> {
  const agent = request.agent(t.app);
  const page = await agent.get(PAGE).set('X-Forwarded-For', forwardedFor);
  const res = await agent
    .post(PAGE)
    .set('X-Forwarded-For', forwardedFor)
    .type('form')
    .send({ [`q${q}`]: '5', _csrf: extractCsrf(page.text) });
  return res.status;
}

beforeAll(async () => {
  behind = await createTestApp({ config: { trustProxy: 'loopback' } });
  direct = await createTestApp();
  for (const t of [behind, direct]) await procedure(t, 'P-A');
});
afterAll(async () => {
  await behind?.close();
  await direct?.close();
});

describe('the survey rate limits behind a proxy', () => {
  it('count per forwarded address when the proxy is trusted', async () => {
    const [q] = (await defaultSet(behind)).questions;
    // three answers an hour per address and procedure: four citizens behind the proxy answer once each, then one a fourth time
    for (const citizen of ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4']) expect(await send(behind, citizen, q)).toBe(303);
    for (let i = 0; i < 2; i++) expect(await send(behind, '203.0.113.1', q)).toBe(303);
    expect(await send(behind, '203.0.113.1', q)).toBe(429);
    expect(await send(behind, '203.0.113.5', q)).toBe(303);
  });

  it('ignore X-Forwarded-For when no proxy is trusted', async () => {
    const [q] = (await defaultSet(direct)).questions;
    for (const forged of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) expect(await send(direct, forged, q)).toBe(303);
    expect(await send(direct, '198.51.100.4', q)).toBe(429);
  });

  it('read TRUST_PROXY as a hop count or proxy addresses, and refuse anything else', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(loadConfig({}).trustProxy).toBeUndefined();
    expect(() => loadConfig({ TRUST_PROXY: 'everyone please' })).toThrow(/TRUST_PROXY/);
  });
});
