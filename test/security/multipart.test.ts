import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VIEWS_DIR } from '../../src/app';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { watchStatements } from '../support/faults';
import { PDF_BYTES } from '../support/forms';
import { ncIn } from '../nonconformities/helpers';

/**
 * Multipart uploads and the CSRF token (issue 19, points 13 and 7): the token travels in the body, as the form's first
 * field, never in a URL (where it stayed in the history, the logs and Referer headers); it is checked before anything
 * of the upload is stored, the query-string way is gone, and a multipart body without a boundary is a 400, not a 500.
 */
let t: TestApp;
let qo: SignedIn;
let admin: SignedIn;
let staff: SignedIn;
const CSV = 'code,title,online_level\nQT-MP-01,Quy trình nhập thử,none\n';

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  admin = await t.signIn('admin');
  staff = await t.signIn('staff');
});
afterAll(async () => t.close());

const count = async (table: string) => (await rows<{ n: number }>(t, `select count(*) as n from ${table}`))[0].n;

function views(dir = VIEWS_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? views(join(dir, e.name)) : e.name.endsWith('.hbs') ? [join(dir, e.name)] : [],
  );
}

/** The multipart forms of an HTML page or template: their action and the first field inside them. */
function multipartForms(html: string): { action: string; first: string }[] {
  return [...html.matchAll(/<form\b[^>]*enctype="multipart\/form-data"[^>]*>([\s\S]*?)<\/form>/g)].map((m) => ({
    action: /action="([^"]*)"/.exec(m[0])?.[1] ?? '',
    first: /\{\{>\s*csrf\s*\}\}|<(?:input|select|textarea|button)\b[^>]*>/.exec(m[1].replace(/\{\{!--[\s\S]*?--\}\}/g, ''))?.[0] ?? '',
  }));
}

describe('the token is never in a URL', () => {
  it('no template puts _csrf in a form action, and every upload form sends the token as its first field', () => {
    const problems: string[] = [];
    let forms = 0;
    for (const file of views()) {
      const text = readFileSync(file, 'utf8');
      if (/_csrf=/.test(text)) problems.push(`${file}: _csrf= in the template`);
      for (const form of multipartForms(text)) {
        forms++;
        if (!/^\{\{>\s*csrf\s*\}\}$/.test(form.first)) problems.push(`${file}: ${form.action} starts with ${form.first}`);
      }
    }
    expect(problems).toEqual([]);
    expect(forms).toBeGreaterThanOrEqual(6); // dossiers, procedures and holidays imports; action, audit item and revision files
  });

  it('renders the import pages with the token as the first field of the form and not in its action', async () => {
    for (const [who, path] of [
      [qo, '/dossiers/import'],
      [qo, '/procedures/import'],
      [admin, '/admin/holidays/import'],
    ] as const) {
      const page = await who.get(path);
      expect(page.status).toBe(200);
      const [form] = multipartForms(page.text);
      expect(form.action, path).toBe(path);
      expect(form.first).toBe(`<input type="hidden" name="_csrf" value="${who.csrf}">`);
      expect(page.text).not.toContain('_csrf=');
    }
  });
});

describe('a multipart POST', () => {
  it('is refused (403) with the token only in the query string, before anything is stored', async () => {
    const nc = await ncIn(t, 'in_progress');
    const counts = async () => ({
      procedures: await count('procedures'),
      imports: await count('dossier_imports'),
      holidays: await count('holidays'),
      files: await count('files'),
    });
    const before = await counts();
    const attempts = [
      qo.agent.post(`/procedures/import?_csrf=${encodeURIComponent(qo.csrf)}`).attach('file', Buffer.from(CSV), 'danh-muc.csv'),
      qo.agent.post(`/dossiers/import?_csrf=${encodeURIComponent(qo.csrf)}`).attach('file', Buffer.from('code,procedure_code,received_at\n'), 'ho-so.csv'),
      admin.agent
        .post(`/admin/holidays/import?_csrf=${encodeURIComponent(admin.csrf)}`)
        .attach('file', Buffer.from('date,kind\n2026-09-02,holiday\n'), 'nghi.csv'),
      staff.agent.post(`/actions/${nc.actionId}/files?_csrf=${encodeURIComponent(staff.csrf)}`).attach('file', PDF_BYTES, 'bien-ban.pdf'),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(res.text).toContain('Phiên làm việc của biểu mẫu đã hết hạn');
    }
    expect(await counts()).toEqual(before);
  });

  it('is refused when the token comes after the file, or is wrong, or missing', async () => {
    const late = await qo.agent.post('/procedures/import').attach('file', Buffer.from(CSV), 'danh-muc.csv').field('_csrf', qo.csrf);
    expect(late.status).toBe(403);
    const wrong = await qo.agent.post('/procedures/import').field('_csrf', staff.csrf).attach('file', Buffer.from(CSV), 'danh-muc.csv');
    expect(wrong.status).toBe(403);
    const none = await qo.agent.post('/procedures/import').attach('file', Buffer.from(CSV), 'danh-muc.csv');
    expect(none.status).toBe(403);
    const other = await qo.agent.post('/procedures/import').field('x', qo.csrf).field('_csrf', qo.csrf).attach('file', Buffer.from(CSV), 'danh-muc.csv');
    expect(other.status).toBe(403);
    expect(await count('procedures')).toBe(0);
  });

  it('is accepted with the token as the first field (or in the x-csrf-token header, for scripts)', async () => {
    const ok = await qo.agent.post('/procedures/import').field('_csrf', qo.csrf).attach('file', Buffer.from(CSV), 'danh-muc.csv');
    expect(ok.status, ok.text.slice(0, 500)).toBe(303);
    expect(await rows(t, 'select code from procedures')).toEqual([{ code: 'QT-MP-01' }]);
    const header = await qo.agent
      .post('/procedures/import')
      .set('x-csrf-token', qo.csrf)
      .attach('file', Buffer.from(CSV.replace('QT-MP-01', 'QT-MP-02')), 'danh-muc.csv');
    expect(header.status).toBe(303);
    expect(await count('procedures')).toBe(2);
  });

  it('without a boundary is a 400 with a message in the user’s language, on upload routes and others alike', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      for (const path of ['/procedures/import', '/dossiers/import', '/procedures', '/account/password']) {
        const res = await qo.agent.post(path).set('Content-Type', 'multipart/form-data').send(`_csrf=${qo.csrf}`);
        expect(res.status, path).toBe(400);
        expect(res.text).toContain('thiếu ranh giới');
      }
      const en = await qo.agent.post('/procedures/import?lang=en').set('Content-Type', 'multipart/form-data; charset=utf-8').send('x');
      expect(en.status).toBe(400);
      expect(en.text).toContain('a multipart body without its boundary');
      const quotedEmpty = await qo.agent.post('/procedures/import').set('Content-Type', 'multipart/form-data; boundary=""').send('x');
      expect(quotedEmpty.status).toBe(400);
      expect(error).not.toHaveBeenCalled();
    } finally {
      error.mockRestore();
    }
  });

  it('whose body does not start with the token part is refused, and the server keeps answering', async () => {
    const boundary = 'qmsgranh';
    const bodies = [
      `preamble\r\n--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${qo.csrf}\r\n--${boundary}--\r\n`,
      `--${boundary}--\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"; filename="t.txt"\r\n\r\n${qo.csrf}\r\n--${boundary}--\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${qo.csrf}`, // cut off inside the first part
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${'x'.repeat(40_000)}\r\n--${boundary}--\r\n`,
    ];
    for (const body of bodies) {
      const res = await qo.agent.post('/procedures/import').set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(body);
      expect(res.status).toBe(403);
    }
    expect((await qo.get('/procedures')).status).toBe(200);
  });
});

describe('error logs', () => {
  it('never carry the CSRF token, even when a client puts it in the URL', async () => {
    let armed = true;
    const restore = watchStatements(t.ctx, {
      ran: (sql) => {
        if (armed && /insert into "procedures"/.test(sql)) throw new Error('simulated failure');
      },
    });
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const res = await qo.agent
        .post(`/procedures?_csrf=${encodeURIComponent(qo.csrf)}&from=list`)
        .type('form')
        .send({ _csrf: qo.csrf, code: 'QT-LOG-01', title: 'Ghi nhật ký', online_level: 'none' });
      expect(res.status).toBe(500);
      const logged = error.mock.calls.map((args) => args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(' ')).join('\n');
      expect(logged).toContain('POST /procedures?from=list');
      expect(logged).not.toContain(qo.csrf);
      expect(logged).not.toContain(encodeURIComponent(qo.csrf));
    } finally {
      armed = false;
      error.mockRestore();
      restore();
    }
  });
});
