import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PDF_BYTES } from '../support/forms';
import { createTestApp, type SignedIn, type TestApp } from '../support/app';

/**
 * Bugs the security suites found, each pinned by the smallest request that showed it.
 */
let t: TestApp;
let qo: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
});
afterAll(async () => t.close());

describe('malformed multipart bodies (fuzzing found 500s)', () => {
  it('answers 400, not 500, when busboy cannot parse a part header (a NUL in a field name)', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await qo.agent.post(`/procedures/import?_csrf=${encodeURIComponent(qo.csrf)}`).field('\u0000', 'x').attach('file', PDF_BYTES, 'a.pdf');
    expect(res.status).toBe(400);
    expect(error).not.toHaveBeenCalled();
    error.mockRestore();
  });

  it('answers 400 to a multipart body cut off in the middle', async () => {
    const boundary = 'qmsboundary';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\ncode,title\r\nQT-1,Mot`;
    const res = await qo.agent.post(`/procedures/import?_csrf=${encodeURIComponent(qo.csrf)}`).set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(body);
    expect(res.status).toBe(400);
    expect((await qo.get('/procedures')).status).toBe(200);
  });
});
