import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { allows } from '../../src/core/http/roles';
import { PDF_BYTES } from '../support/forms';
import { fill, policiesOf } from '../support/routes';
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
    const res = await qo.agent.post(`/procedures/import`).field('_csrf', qo.csrf).field('\u0000', 'x').attach('file', PDF_BYTES, 'a.pdf');
    expect(res.status).toBe(400);
    expect(error).not.toHaveBeenCalled();
    error.mockRestore();
  });

  it('answers 400 to a multipart body cut off in the middle', async () => {
    const boundary = 'qmsboundary';
    const token = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${qo.csrf}\r\n`;
    const body = `${token}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\ncode,title\r\nQT-1,Mot`;
    const res = await qo.agent.post('/procedures/import').set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(body);
    expect(res.status).toBe(400);
    expect((await qo.get('/procedures')).status).toBe(200);
  });
});

describe('bodies no parser reads (fuzzing found a 500 in POST /audits/programmes/:year/items)', () => {
  it('answers every POST route with < 500 when the body is multipart or missing, as admin and quality officer', async () => {
    const problems: string[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    for (const role of ['admin', 'quality_officer'] as const) {
      const user = await t.signIn(role);
      for (const p of policiesOf(t.app).filter((x) => x.method === 'POST' && allows(x.access, role) && !['/logout', '/login', '/setup'].includes(x.path))) {
        const url = fill(p.path, { year: '2026' });
        const multipart = await user.agent.post(`${url}`).field('_csrf', user.csrf).field('x', '1');
        if (multipart.status >= 500) problems.push(`${role} multipart POST ${url} → ${multipart.status}`);
        const empty = await user.agent.post(url).set('x-csrf-token', user.csrf);
        if (empty.status >= 500) problems.push(`${role} empty POST ${url} → ${empty.status}`);
      }
    }
    error.mockRestore();
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('downloads the client abandons (crawling logged ERR_STREAM_PREMATURE_CLOSE as a server error)', () => {
  it('ends quietly when the client closes the connection in the middle of a download', async () => {
    const { storeFile, sendStoredFile } = await import('../../src/core/files');
    const express = (await import('express')).default;
    const { request: httpRequest } = await import('node:http');
    const big = Buffer.concat([PDF_BYTES, Buffer.alloc(8 * 1024 * 1024, 0x20)]);
    const stored = await storeFile(t.ctx, { buffer: big }, 'lớn.pdf');
    let settle!: (outcome: unknown) => void;
    const settled = new Promise<unknown>((resolve) => (settle = resolve));
    const app = express();
    app.get('/f', (_req, res, next) => {
      sendStoredFile(t.ctx, res, stored.sha256, 'lớn.pdf', stored.mime).then(
        () => settle('done'),
        (err: unknown) => {
          settle(err);
          next(err);
        },
      );
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/f' }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.end();
    });
    // However long the server takes to notice, the download settles, and quietly (no error passed on).
    const outcome = await settled;
    server.close();
    expect(outcome).toBe('done');
  });
});
