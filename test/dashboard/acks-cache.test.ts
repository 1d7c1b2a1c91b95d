import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { addProcedure, createDocument, publish } from '../documents/helpers';

/**
 * The home page's "documents to acknowledge" is kept per person until the data changes (core/db/change-cache.ts):
 * a new revision taking effect must appear at once, and an acknowledgement must take the document off at once.
 */
let t: TestApp;
let qo: SignedIn;
let leader: SignedIn;
let admin: SignedIn;
let staff: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  [qo, leader, admin, staff] = await Promise.all([t.signIn('quality_officer'), t.signIn('leader'), t.signIn('admin'), t.signIn('staff')]);
});
afterAll(async () => t.close());

describe("the home page's documents to acknowledge", () => {
  it('shows a revision as soon as it takes effect and drops it as soon as it is acknowledged', async () => {
    // The "to acknowledge" section only (the page also lists recently changed documents).
    const home = async () => {
      const html = (await staff.get('/')).text;
      return html.slice(html.indexOf('id="h-ack"'), html.indexOf('id="h-changed"'));
    };
    expect(await home()).toContain('<h2');
    expect(await home()).not.toContain('HD-DOC-01');
    const procedureId = await addProcedure(t, 'QT-DOC-01');
    const doc = await createDocument(qo, { code: 'HD-DOC-01', title: 'Hướng dẫn đọc tài liệu', procedure_id: String(procedureId), owner_unit_id: String(t.units.main) });
    await publish(t, { author: qo, reviewer: admin, approver: leader }, doc, 'Nội dung cần đọc.');
    expect(await home()).toContain(`data-ack="${rows<{ id: number }>(t, "select id from document_revisions where document_id = ? and status = 'effective'", doc)[0]!.id}"`);
    const revision = rows<{ id: number }>(t, "select id from document_revisions where document_id = ? and status = 'effective'", doc)[0]!.id;
    expect((await staff.post(`/documents/${doc}/revisions/${revision}/acknowledge`)).status).toBe(303);
    expect(await home()).not.toContain('HD-DOC-01');
  });
});
