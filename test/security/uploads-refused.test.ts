import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedPath } from '../../src/core/files';
import { auditForm, fixture, idFromLocation } from '../audits/support';
import { addUser, createDocument, createDraft, v } from '../documents/helpers';
import { ncIn } from '../nonconformities/helpers';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';

/**
 * Refused uploads store nothing (issue 19, point 9): an upload refused after it was read — 409 because the record
 * changed state or version meanwhile — used to leave its blob in the store and its `files` row. The file is now kept
 * by the very transaction that records it, so a refusal leaves no row, no blob and no temporary copy.
 */
let t: TestApp;
let qo: SignedIn;
let staff: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  staff = await t.signIn('staff');
});
afterAll(async () => t.close());

/** A PDF of its own (its hash differs from every other upload's). */
const pdf = (label: string) => Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Every file under the store, temporary copies included. */
function storeContents(): string[] {
  const root = t.config.filesPath;
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();
}

async function expectNothingStored(bytes: Buffer, storeBefore: string[]) {
  expect(await rows(t, 'select sha256 from files where sha256 = ?', sha(bytes))).toEqual([]);
  expect(existsSync(storedPath(t.config.filesPath, sha(bytes)))).toBe(false);
  expect(storeContents()).toEqual(storeBefore);
}

describe('an upload refused after it was read', () => {
  it('to an action whose nonconformity is closed (409) leaves no blob, no files row and no copy', async () => {
    const nc = await ncIn(t, 'closed');
    const bytes = pdf('closed nc');
    const before = storeContents();
    const res = await qo.agent.post(`/actions/${nc.actionId}/files`).field('_csrf', qo.csrf).attach('file', bytes, 'bien-ban.pdf');
    expect(res.status).toBe(409);
    await expectNothingStored(bytes, before);
    expect(await rows(t, 'select count(*) as n from nc_action_files where action_id = ?', nc.actionId)).toEqual([{ n: 0 }]);
  });

  it('to a revision edited meanwhile (409: stale version) leaves nothing, and the same file then attaches', async () => {
    const docId = await createDocument(qo, { code: 'QT-UP-01' });
    const revId = await createDraft(qo, docId, 'Nội dung dự thảo');
    const version = await v(t, revId);
    const bytes = pdf('stale version');
    const before = storeContents();
    const stale = await qo.agent
      .post(`/documents/${docId}/revisions/${revId}/file`)
      .field('_csrf', qo.csrf)
      .field('version', String(Number(version) + 1))
      .attach('file', bytes, 'quy-trinh.pdf');
    expect(stale.status).toBe(409);
    await expectNothingStored(bytes, before);
    const ok = await qo.agent
      .post(`/documents/${docId}/revisions/${revId}/file`)
      .field('_csrf', qo.csrf)
      .field('version', version)
      .attach('file', bytes, 'quy-trinh.pdf');
    expect(ok.status, ok.text.slice(0, 500)).toBe(303);
    expect(await rows(t, 'select file_sha256 from document_revisions where id = ?', revId)).toEqual([{ file_sha256: sha(bytes) }]);
    expect(await rows(t, 'select size from files where sha256 = ?', sha(bytes))).toEqual([{ size: bytes.length }]);
    expect(existsSync(storedPath(t.config.filesPath, sha(bytes)))).toBe(true);
    expect(storeContents().filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('to a checklist item of a cancelled audit (409) leaves nothing', async () => {
    const f = await fixture(t);
    const auditId = idFromLocation((await qo.post('/audits', auditForm(f))).headers.location);
    expect((await qo.post(`/audits/${auditId}/checklist/generate`)).status).toBe(303);
    const [item] = await rows<{ id: number }>(t, 'select id from audit_checklist_items where audit_id = ? order by position', auditId);
    const version = (await rows<{ version: number }>(t, 'select version from audits where id = ?', auditId))[0].version;
    expect((await qo.post(`/audits/${auditId}/cancel`, { reason: 'Dời sang năm sau', version: String(version) })).status).toBe(303);
    const before = storeContents();
    const res = await qo.agent.post(`/audits/${auditId}/checklist/${item.id}/files`).field('_csrf', qo.csrf).attach('file', PNG, 'anh.png');
    expect(res.status).toBe(409);
    await expectNothingStored(PNG, before);
    expect(await rows(t, 'select count(*) as n from audit_evidence_files where audit_id = ?', auditId)).toEqual([{ n: 0 }]);
  });

  it('does not take away a blob another record already keeps (same content)', async () => {
    const open = await ncIn(t, 'in_progress');
    const closed = await ncIn(t, 'closed');
    const bytes = pdf('shared content');
    const kept = await staff.agent.post(`/actions/${open.actionId}/files`).field('_csrf', staff.csrf).attach('file', bytes, 'a.pdf');
    expect(kept.status).toBe(303);
    const refused = await qo.agent.post(`/actions/${closed.actionId}/files`).field('_csrf', qo.csrf).attach('file', bytes, 'a.pdf');
    expect(refused.status).toBe(409);
    expect(await rows(t, 'select count(*) as n from files where sha256 = ?', sha(bytes))).toEqual([{ n: 1 }]);
    expect(existsSync(storedPath(t.config.filesPath, sha(bytes)))).toBe(true);
    const res = await staff.get(
      `/actions/${open.actionId}/files/${(await rows<{ id: number }>(t, 'select id from nc_action_files where action_id = ?', open.actionId))[0].id}`,
    );
    expect(res.status).toBe(200);
    expect(Buffer.from(res.body as Buffer).equals(bytes)).toBe(true);
  });

  it('refused with 403 (not the user’s action) or for its content stores nothing either', async () => {
    const nc = await ncIn(t, 'in_progress');
    await addUser(t, 'ngoaidonvi', 'staff', t.units.other);
    const outsider = await t.signIn('ngoaidonvi');
    const bytes = pdf('not yours');
    const before = storeContents();
    const foreign = await outsider.agent.post(`/actions/${nc.actionId}/files`).field('_csrf', outsider.csrf).attach('file', bytes, 'a.pdf');
    expect(foreign.status).toBe(403);
    const html = await staff.agent
      .post(`/actions/${nc.actionId}/files`)
      .field('_csrf', staff.csrf)
      .attach('file', Buffer.from('<html><script>alert(1)</script></html>'), 'evil.pdf');
    expect(html.status).toBe(422);
    await expectNothingStored(bytes, before);
  });
});
