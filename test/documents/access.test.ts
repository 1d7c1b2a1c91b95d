import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, WORKERS, type Role } from '../../src/core/http/roles';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { addUser, auditActions, createDocument, createDraft, publish, revision, v } from './helpers';
import { HTML_AS_PDF, PDF, PDF2 } from './fixtures';

/**
 * Who sees what (staff: effective revisions only, 404 for drafts and superseded ones), inert Markdown on
 * the page, uploads checked by content and size (413), downloads as attachments.
 */
let t: TestApp;
let qo: SignedIn;
let leader: SignedIn;
let admin: SignedIn;
let staff: SignedIn;
let docId: number;
let oldRev: number;
let currentRev: number;
let draftRev: number;

beforeAll(async () => {
  t = await createTestApp({ config: { uploadMaxBytes: 4096 } });
  qo = await t.signIn('quality_officer');
  leader = await t.signIn('leader');
  admin = await t.signIn('admin');
  staff = await t.signIn('staff');
  const people = { author: qo, reviewer: admin, approver: leader };
  docId = await createDocument(qo, { code: 'QT-BTXH-02', title: 'Chi trả trợ cấp xã hội' });
  oldRev = await publish(t, people, docId, 'Bản cũ: nộp hồ sơ tại Bộ phận Một cửa.');
  currentRev = await publish(
    t,
    people,
    docId,
    '## Nội dung\n\n<script>alert("xss")</script>\n\n[bấm vào đây](javascript:alert(1)) <img src=x onerror=alert(2)> ![a](data:image/png;base64,AAAA) [Cổng DVC](https://dichvucong.gov.vn)',
    'Thêm hướng dẫn nộp trực tuyến',
  );
  draftRev = await createDraft(qo, docId, 'Dự thảo chưa ban hành', 'Dự thảo lần 3');
});
afterAll(async () => t.close());

describe('staff see only effective revisions', () => {
  it('staff read the current document and the master list', async () => {
    expect((await staff.get(`/documents/${docId}`)).status).toBe(200);
    expect((await staff.get(`/documents/${docId}/revisions/${currentRev}`)).status).toBe(200);
    const list = await staff.get('/documents/current');
    expect(list.status).toBe(200);
    expect(list.text).toContain('QT-BTXH-02');
  });

  it('staff get 404 on a draft or a superseded revision, its file, and a document with nothing effective', async () => {
    for (const path of [
      `/documents/${docId}/revisions/${draftRev}`,
      `/documents/${docId}/revisions/${oldRev}`,
      `/documents/${docId}/revisions/${oldRev}/file`,
      `/documents/${docId}/revisions/${draftRev}/file`,
    ]) {
      expect((await staff.get(path)).status, path).toBe(404);
    }
    const empty = await createDocument(qo, { code: 'QT-BTXH-03', title: 'Chưa ban hành' });
    await createDraft(qo, empty, 'x');
    expect((await staff.get(`/documents/${empty}`)).status).toBe(404);
    expect((await staff.post(`/documents/${docId}/revisions/${oldRev}/acknowledge`)).status).toBe(404);
  });

  it('staff get 403 on the register, the forms, compare and every workflow step', async () => {
    for (const path of [
      '/documents',
      '/documents/due',
      '/documents/new',
      `/documents/${docId}/edit`,
      `/documents/${docId}/compare`,
      `/documents/${docId}/revisions/new`,
      `/documents/${docId}/revisions/${draftRev}/edit`,
    ]) {
      expect((await staff.get(path)).status, path).toBe(403);
    }
    for (const step of ['submit', 'review', 'return', 'approve', 'cancel', 'file/remove']) {
      expect((await staff.post(`/documents/${docId}/revisions/${draftRev}/${step}`, { version: await v(t, draftRev) })).status, step).toBe(403);
    }
    expect((await staff.post(`/documents/${docId}/withdraw`, { version: '1', withdraw_reason: 'x' })).status).toBe(403);
    expect((await revision(t, draftRev)).status).toBe('draft');
  });

  it('quality officers and leaders see drafts and old revisions, marked "Đã được thay thế"', async () => {
    for (const who of [qo, leader]) {
      expect((await who.get(`/documents/${docId}/revisions/${draftRev}`)).status).toBe(200);
      const old = await who.get(`/documents/${docId}/revisions/${oldRev}`);
      expect(old.status).toBe(200);
      expect(old.text).toContain('Đã được thay thế');
    }
  });
});

describe('Markdown on the page', () => {
  it('renders what users type without running any of it', async () => {
    const page = (await staff.get(`/documents/${docId}`)).text;
    const body = page.slice(page.indexOf('<article'), page.indexOf('</article>'));
    expect(body).toContain('&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;');
    expect(body).not.toMatch(/<script|<img|href="javascript|src="data:|<[^>]*\sonerror=/i);
    expect(body).toContain('[bấm vào đây](javascript:alert(1))');
    expect(body).toContain('<a href="https://dichvucong.gov.vn" rel="noopener noreferrer nofollow">Cổng DVC</a>');
    expect(page).not.toMatch(/<script/i);
  });
});

describe('attached files', () => {
  const attach = async (content: Buffer, name: string, revId = draftRev) =>
    qo.agent
      .post(`/documents/${docId}/revisions/${revId}/file`)
      .field('_csrf', qo.csrf)
      .field('version', await v(t, revId))
      .attach('file', content, name);

  it('refuses an HTML file named .pdf (422, message next to the field) and stores nothing', async () => {
    const before = await rows(t, 'select count(*) n from files');
    const res = await attach(HTML_AS_PDF, 'quyet-dinh.pdf');
    expect(res.status).toBe(422);
    expect(res.text).toContain('Chỉ chấp nhận tệp PDF, DOCX, XLSX, ODT, PNG hoặc JPEG');
    expect(await rows(t, 'select count(*) n from files')).toEqual(before);
    expect(await rows(t, 'select file_sha256 from document_revisions where id = ?', draftRev)).toEqual([{ file_sha256: null }]);
  });

  it('answers 413 to a file over the limit', async () => {
    const res = await attach(Buffer.concat([PDF, Buffer.alloc(5000, 0x20)]), 'big.pdf');
    expect(res.status).toBe(413);
    expect(await rows(t, 'select file_sha256 from document_revisions where id = ?', draftRev)).toEqual([{ file_sha256: null }]);
  });

  it('attaches a PDF (audit entry), removes and re-attaches it, and downloads it as an attachment', async () => {
    const res = await attach(PDF, 'Quy trình chi trả.pdf');
    expect(res.status).toBe(303);
    const [row] = await rows<{ file_sha256: string; file_name: string }>(t, 'select file_sha256, file_name from document_revisions where id = ?', draftRev);
    expect(row.file_name).toBe('Quy trình chi trả.pdf');
    expect(readFileSync(join(t.config.filesPath, row.file_sha256.slice(0, 2), row.file_sha256)).equals(PDF)).toBe(true);
    expect((await qo.post(`/documents/${docId}/revisions/${draftRev}/file/remove`, { version: await v(t, draftRev) })).status).toBe(303);
    expect((await attach(PDF2, 'Quy trình chi trả.pdf')).status).toBe(303);
    expect((await auditActions(t, 'document_revision', draftRev)).slice(-3)).toEqual(['attach_file', 'remove_file', 'attach_file']);
    const dl = await qo.agent
      .get(`/documents/${docId}/revisions/${draftRev}/file`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(dl.status).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['content-disposition']).toBe(`attachment; filename="Quy trinh chi tra.pdf"; filename*=UTF-8''Quy%20tr%C3%ACnh%20chi%20tr%E1%BA%A3.pdf`);
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect((dl.body as Buffer).equals(PDF2)).toBe(true);
  });

  it('refuses a file on a revision that is no longer a draft', async () => {
    const res = await attach(PDF, 'x.pdf', currentRev);
    expect(res.status).toBe(409);
  });
});

describe('the workflow panel', () => {
  it('is absent from an effective revision and present on a draft', async () => {
    expect((await qo.get(`/documents/${docId}`)).text).not.toContain('id="wf-title"');
    expect((await qo.get(`/documents/${docId}/revisions/${draftRev}`)).text).toContain('id="wf-title"');
  });
});

/**
 * The route × role table of document control — the source of truth for the README's role table (section Roles):
 * - everyone signed in reads the documents in force (and their files) and acknowledges them;
 * - quality officers and admins create, edit and withdraw documents, and draft, edit, attach files to, submit and
 *   cancel revisions;
 * - leaders see the register, the reviews due, every revision and the comparison; they sign the review of a revision
 *   (as quality officers and admins may) and send it back, approve it (leaders only) and record a periodic review —
 *   they never create, edit or withdraw a document nor write, submit or cancel a revision;
 * - staff see only the documents in force.
 * Separation of duties (who among the allowed may sign which revision) is in separation-of-duties.test.ts.
 */
const WRITERS: Role[] = ['admin', 'quality_officer'];
const MANAGERS_: Role[] = ['admin', 'quality_officer', 'leader'];
const EVERYONE: Role[] = [...ROLES];
const DOCUMENT_ROUTES: Record<string, Role[]> = {
  'GET /documents/current': EVERYONE,
  'GET /documents': MANAGERS_,
  // the inspector reads the reviews due (never a draft): test/foundation/inspector.test.ts
  'GET /documents/due': [...MANAGERS_, 'inspector'],
  'GET /documents/new': WRITERS,
  'POST /documents': WRITERS,
  'GET /documents/:id': EVERYONE,
  'GET /documents/:id/edit': WRITERS,
  'POST /documents/:id': WRITERS,
  'POST /documents/:id/withdraw': WRITERS,
  'POST /documents/:id/reviews': MANAGERS_,
  'GET /documents/:id/compare': MANAGERS_,
  'GET /documents/:id/revisions/new': WRITERS,
  'POST /documents/:id/revisions': WRITERS,
  'GET /documents/:id/revisions/:revId': EVERYONE,
  'GET /documents/:id/revisions/:revId/edit': WRITERS,
  'POST /documents/:id/revisions/:revId': WRITERS,
  'POST /documents/:id/revisions/word': WRITERS,
  'POST /documents/:id/revisions/:revId/word': WRITERS,
  'GET /documents/:id/revisions/:revId/source': EVERYONE,
  'POST /documents/:id/copies': WRITERS,
  'POST /documents/:id/copies/:copyId/withdraw': WRITERS,
  'POST /documents/:id/revisions/:revId/file': WRITERS,
  'POST /documents/:id/revisions/:revId/file/remove': WRITERS,
  'GET /documents/:id/revisions/:revId/file': EVERYONE,
  'POST /documents/:id/revisions/:revId/submit': WRITERS,
  'POST /documents/:id/revisions/:revId/review': MANAGERS_,
  'POST /documents/:id/revisions/:revId/return': MANAGERS_,
  'POST /documents/:id/revisions/:revId/approve': ['leader'],
  'POST /documents/:id/revisions/:revId/cancel': WRITERS,
  'POST /documents/:id/revisions/:revId/acknowledge': EVERYONE,
};

describe('route × role table of document control (README, Roles)', () => {
  let mDoc: number;
  let mEffective: number;
  let mDraft: number;
  const signed = {} as Record<Role, SignedIn>;
  beforeAll(async () => {
    for (const role of WORKERS) signed[role] = await t.signIn(role);
    mDoc = await createDocument(qo, { code: 'QT-QUYEN-01', title: 'Tài liệu kiểm tra quyền' });
    mEffective = await publish(t, { author: qo, reviewer: admin, approver: leader }, mDoc, 'Bản hiện hành', undefined);
    // written by another quality officer: the signed steps are then refused to no one here for separation of duties
    await addUser(t, 'thukysoan', 'quality_officer', t.units.main);
    mDraft = await createDraft(await t.signIn('thukysoan'), mDoc, 'Dự thảo kiểm tra quyền', 'Sửa đổi thử');
  });

  /** A complete, valid request for each write route: refused by role, it must still be refused. */
  const validBody = async (key: string, role: Role): Promise<Record<string, string>> => {
    const version = await v(t, mDraft);
    const password = { review_password: 'correct horse battery', approve_password: 'correct horse battery', periodic_password: 'correct horse battery' };
    switch (key) {
      case 'POST /documents':
        return { code: `QT-QUYEN-${role}`, title: 'Tài liệu mới', type: 'procedure', review_interval_months: '12', ack_scope: 'owner_unit' };
      case 'POST /documents/:id': {
        const docVersion = String((await rows<{ version: number }>(t, 'select version from documents where id = ?', mDoc))[0].version);
        return { code: 'QT-QUYEN-01', title: 'Đổi tên', type: 'procedure', review_interval_months: '6', ack_scope: 'owner_unit', version: docVersion };
      }
      case 'POST /documents/:id/withdraw':
        return { version: String((await rows<{ version: number }>(t, 'select version from documents where id = ?', mDoc))[0].version), withdraw_reason: 'Thử' };
      case 'POST /documents/:id/reviews':
        return { revision_id: String(mEffective), periodic_password: password.periodic_password };
      case 'POST /documents/:id/revisions':
        return { body: 'Dự thảo khác', change_summary: 'Khác' };
      case 'POST /documents/:id/revisions/:revId':
        return { body: 'Sửa dự thảo', change_summary: 'Sửa', version };
      case 'POST /documents/:id/revisions/:revId/review':
        return { version, review_password: password.review_password };
      case 'POST /documents/:id/revisions/:revId/return':
        return { version, return_comment: 'Trả lại' };
      case 'POST /documents/:id/revisions/:revId/approve':
        return { version, approve_password: password.approve_password };
      case 'POST /documents/:id/revisions/:revId/cancel':
        return { version, cancel_reason: 'Hủy thử' };
      default:
        return { version };
    }
  };
  const state = async () => ({
    documents: await rows(t, 'select * from documents order by id'),
    revisions: await rows(t, 'select * from document_revisions order by id'),
    files: await rows(t, 'select count(*) n from files'),
    audit: await rows(t, 'select count(*) n from audit_log'),
  });
  const path = (pattern: string) => pattern.replace(':id', String(mDoc)).replace(':revId', String(mDraft));

  it('lists every document route with exactly the roles the README gives it', () => {
    const actual: Record<string, Role[]> = {};
    for (const p of t.app.locals.policies as { method: string; path: string; access: readonly Role[] | 'signed_in' | 'public' }[]) {
      if (!p.path.startsWith('/documents')) continue;
      actual[`${p.method} ${p.path}`] = p.access === 'signed_in' ? EVERYONE : p.access === 'public' ? [] : [...p.access];
    }
    const sorted = (m: Record<string, Role[]>) => Object.fromEntries(Object.entries(m).map(([k, r]) => [k, [...r].sort()]));
    expect(sorted(actual)).toEqual(sorted(DOCUMENT_ROUTES));
  });

  // the office's working roles (an inspector posts nothing: test/foundation/inspector.test.ts)
  for (const role of WORKERS) {
    it(`${role}: 403 (nothing written, even with a complete request) where the table refuses; never 403 or 5xx where it allows`, async () => {
      const who = signed[role];
      for (const [key, allowed] of Object.entries(DOCUMENT_ROUTES)) {
        const [method, pattern] = key.split(' ');
        const url = path(pattern);
        if (allowed.includes(role)) {
          // an empty form: refused by validation or state at most, never by role
          const res = method === 'GET' ? await who.get(url) : await who.post(url, {});
          expect(res.status, `${role} ${key} → ${res.status}`).not.toBe(403);
          expect(res.status, `${role} ${key} → ${res.status}`).toBeLessThan(500);
          continue;
        }
        const before = await state();
        let res;
        if (method === 'GET') res = await who.get(url);
        else if (pattern.endsWith('/file'))
          res = await who.agent
            .post(url)
            .set('x-csrf-token', who.csrf)
            .field('version', await v(t, mDraft))
            .attach('file', PDF, 'quyet-dinh.pdf');
        else res = await who.post(url, await validBody(key, role));
        expect(res.status, `${role} ${key} → ${res.status}`).toBe(403);
        expect(res.text, `${role} ${key}`).toContain('Bạn không có quyền thực hiện thao tác này.');
        expect(await state(), `${role} ${key} wrote something`).toEqual(before);
      }
    });
  }

  it('shows a leader no button or form for what leaders may not do', async () => {
    const register = await leader.get('/documents');
    expect(register.text).not.toContain('href="/documents/new"');
    const page = await leader.get(`/documents/${mDoc}`);
    expect(page.text).not.toContain(`href="/documents/${mDoc}/edit"`);
    expect(page.text).not.toContain(`action="/documents/${mDoc}/withdraw"`);
    const draft = await leader.get(`/documents/${mDoc}/revisions/${mDraft}`);
    for (const step of ['edit', 'submit', 'cancel']) expect(draft.text, step).not.toMatch(new RegExp(`/revisions/${mDraft}/${step}"`));
    const qoPage = await qo.get(`/documents/${mDoc}/revisions/${mDraft}`);
    for (const step of ['submit', 'cancel']) expect(qoPage.text, step).toContain(`action="/documents/${mDoc}/revisions/${mDraft}/${step}"`);
    expect((await qo.get('/documents')).text).toContain('href="/documents/new"');
  });
});
