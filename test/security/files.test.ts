import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKERS, allows, type Role } from '../../src/core/http/roles';
import { formsByRoute, type Page } from '../support/crawl';
import { parseForms, parseLinks } from '../support/html';
import { fillContext, plan, submitUntilAccepted, PDF_BYTES } from '../support/forms';
import { headerProblems } from '../support/headers';
import { fill, label, matchPath, paramNames, policiesOf, policyFor, type Policy } from '../support/routes';
import { createWorld, type World, WORLD_TIMEOUT } from '../support/world';

/**
 * Files: nothing outside the static folder and the stored-file routes is ever served — not the database
 * (and its -wal/-shm), not .env or .git, not the source; parameters of file and download routes refuse
 * traversal; uploads with hostile names are stored by content hash only, and every download answers with a
 * header no name can break (attachment, ASCII fallback, nosniff, never text/html).
 */
let w: World;
let policies: Policy[];
const crawled = {} as Record<Role, Page[]>;
const SECRET = `BI-MAT-${Date.now()}`;

beforeAll(async () => {
  w = await createWorld();
  policies = policiesOf(w.app);
  writeFileSync(join(w.dir, 'secret.txt'), SECRET);
  writeFileSync(join(w.dir, '.env'), `QMS_PASSWORD=${SECRET}`);
  for (const role of WORKERS) crawled[role] = w.crawled(role);
}, WORLD_TIMEOUT);
afterAll(async () => w?.close());

const leaked = (text: string) =>
  text.includes(SECRET) || text.includes('SQLite format 3') || /root:x:0:0/.test(text) || text.includes('"dependencies"') || text.includes('[core]');

const TRAVERSAL = [
  '../../../../../../etc/passwd',
  '..%2F..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2fsecret.txt',
  '..\\..\\secret.txt',
  '....//....//secret.txt',
  '/etc/passwd',
  'qms.sqlite',
  '../qms.sqlite',
  '../../qms.sqlite-wal',
  'secret.txt%00.pdf',
  '0'.repeat(64),
  '-1',
  '0',
  '1e3',
  '0x10',
  'a'.repeat(5000),
];

describe('files outside the app', () => {
  it('answers 404 for the database, its journal files, dotfiles and source, signed in or not', async () => {
    const paths = [
      '/.env',
      '/.git/config',
      '/.git/HEAD',
      '/data/qms.sqlite',
      '/data/qms.sqlite-wal',
      '/data/qms.sqlite-shm',
      '/qms.sqlite',
      '/qms.sqlite-wal',
      '/secret.txt',
      '/package.json',
      '/src/app.ts',
      '/src/config.ts',
      '/views/layouts/main.hbs',
      '/node_modules/express/package.json',
      '/data/files/',
    ];
    const admin = await w.as('admin');
    for (const path of paths) {
      for (const [who, res] of [
        ['anonymous', await request(w.app).get(path)],
        ['admin', await admin.get(path)],
      ] as const) {
        expect(res.status, `${who} GET ${path}`).toBe(404);
        expect(leaked(res.text ?? ''), `${who} GET ${path}`).toBe(false);
      }
    }
  });

  it('keeps the static folder closed: encoded dots, backslashes, dotfiles, absolute paths', async () => {
    const paths = [
      '/static/../package.json',
      '/static/%2e%2e/package.json',
      '/static/%2e%2e%2f%2e%2e%2fpackage.json',
      '/static/..%2f..%2fpackage.json',
      '/static/..%5c..%5cpackage.json',
      '/static/%252e%252e%252fpackage.json',
      '/static/..%c0%af..%c0%afpackage.json',
      '/static//etc/passwd',
      '/static/%2fetc%2fpasswd',
      '/static/.env',
      '/static/.gitkeep',
      '/static/app.css%00.txt',
      '/static/../../secret.txt',
      '/static/..%2f..%2fdata%2fqms.sqlite',
    ];
    for (const path of paths) {
      const res = await request(w.app).get(path);
      expect([400, 403, 404], `GET ${path} → ${res.status}`).toContain(res.status);
      expect(leaked(res.text ?? ''), path).toBe(false);
    }
  });
});

describe('file and download routes', () => {
  const fileRoutes = () => policies.filter((p) => p.method === 'GET' && /file|download|attachment|export|\.csv|\.xlsx|\.json|\.pdf/i.test(p.path));

  it('refuse traversal and junk in every parameter of every file route', async () => {
    const problems: string[] = [];
    let probes = 0;
    for (const p of fileRoutes()) {
      const role = WORKERS.find((r) => allows(p.access, r))!;
      const user = await w.as(role);
      const real = crawled[role].find((pg) => pg.policy === p && pg.status === 200);
      const values = real ? matchPath(p.path, real.url.split('?')[0])! : {};
      for (const name of paramNames(p.path)) {
        for (const bad of TRAVERSAL) {
          const url = fill(p.path, { ...values, [name]: '__BAD__' }).replace('__BAD__', bad.includes('%') ? bad : encodeURIComponent(bad));
          const res = await user.get(url);
          probes++;
          if (![400, 403, 404, 422].includes(res.status)) problems.push(`${role} GET ${url} → ${res.status}`);
          if (leaked(res.text ?? '')) problems.push(`${role} GET ${url} leaked a file`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(fileRoutes().length, 'file routes found in the policy table').toBeGreaterThan(0);
    expect(probes).toBeGreaterThan(0);
  }, 120_000);

  it('stores uploads with hostile names by content hash only and downloads them with a safe header', async () => {
    const names = [
      '../../../../tmp/qms-pwned.pdf',
      '..\\..\\secret.pdf',
      'a"; filename="evil.html',
      'bad\r\nSet-Cookie: qms_sid=x.pdf',
      '<script>alert(1)</script>.pdf',
      `${'x'.repeat(300)}.pdf`,
      'Quy trình số 1.pdf',
    ];
    const uploads = policies.filter((p) => p.method === 'POST');
    const problems: string[] = [];
    const uploadPages = new Set<string>();
    let accepted = 0;
    for (const p of uploads) {
      const role = (['quality_officer', 'admin', 'leader', 'staff'] as const).find((r) => allows(p.access, r));
      if (!role) continue;
      const found = (formsByRoute(policies, crawled[role]).get(p) ?? []).find(
        (f) => f.form.enctype === 'multipart/form-data' && f.form.fields.some((x) => x.type === 'file'),
      );
      if (!found || /import/.test(p.path)) continue;
      const user = await w.as(role);
      for (const name of names) {
        const page = await user.get(found.page);
        const form = parseForms(page.text, found.page).find((f) => f.action.split('?')[0] === found.form.action.split('?')[0]);
        if (!form) break;
        const outcome = await submitUntilAccepted(user, plan(form, fillContext(w.byRole[role].password)), {
          fileName: name,
          fileBytes: Buffer.concat([PDF_BYTES, Buffer.from(`% ${name}\n`)]),
        });
        if (outcome.res.status >= 500) problems.push(`${label(p)} with file name ${JSON.stringify(name)} → ${outcome.res.status}`);
        if (outcome.accepted) {
          accepted++;
          uploadPages.add(found.page);
          const location = outcome.res.headers.location as string | undefined;
          if (location?.startsWith('/')) uploadPages.add(location);
        }
      }
    }
    // nothing was written by name anywhere: the files folder holds only <2 hex>/<sha256> (and temp files are gone)
    const filesRoot = w.config.filesPath;
    const walk = (dir: string): string[] =>
      existsSync(dir) ? readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [relative(filesRoot, join(dir, n))])) : [];
    for (const file of walk(filesRoot)) if (!/^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(file)) problems.push(`unexpected file in the store: ${file}`);
    expect(existsSync('/tmp/qms-pwned.pdf')).toBe(false);
    // every download linked from the pages the uploads went to (and those the world's crawl reached), for every role
    let downloads = 0;
    for (const role of WORKERS) {
      const user = await w.as(role);
      const responses: { url: string; res: { status: number; headers: Record<string, string | string[] | undefined>; text?: string } }[] = crawled[role]
        .filter((pg) => pg.headers['content-disposition'] !== undefined)
        .map((pg) => ({ url: pg.url, res: pg }));
      for (const page of uploadPages) {
        const res = await user.get(page);
        if (res.status !== 200) continue;
        for (const link of parseLinks(res.text, page)) {
          const policy = policyFor(policies, 'GET', link);
          if (policy && /file|download/.test(policy.path)) responses.push({ url: link, res: await user.get(link) });
        }
      }
      for (const { url, res } of responses) {
        const disposition = res.headers['content-disposition'];
        if (disposition === undefined) continue;
        downloads++;
        const value = String(disposition);
        const type = String(res.headers['content-type'] ?? '');
        if (!/^attachment;/.test(value) && !/\.(csv|xlsx|json)$/.test(url.split('?')[0])) problems.push(`${url}: not an attachment: ${value}`);
        // eslint-disable-next-line no-control-regex -- control characters are what this pattern looks for
        if (/[\r\n\u0000-\u001f\u007f-\uffff]/.test(value)) problems.push(`${url}: control or non-ASCII characters in Content-Disposition`);
        const fallback = /filename="([^"]*)"/.exec(value)?.[1] ?? '';
        if (/[/\\]/.test(fallback) || fallback.includes('..')) problems.push(`${url}: a path in the file name: ${value}`);
        if (/text\/html/.test(type)) problems.push(`${url}: download served as HTML`);
        for (const h of headerProblems(res)) problems.push(`${url}: ${h}`);
      }
    }
    expect(problems).toEqual([]);
    expect(accepted, 'uploads accepted (the hostile names are only names)').toBeGreaterThan(0);
    expect(downloads, 'downloads reached by the crawl').toBeGreaterThan(0);
  }, 300_000);
});
