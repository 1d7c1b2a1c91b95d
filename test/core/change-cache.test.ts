import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, type TestApp } from '../support/app';
import { addProcedure, createDocument, publish, signInPeople } from '../documents/helpers';

/**
 * Values kept until the data changes (src/core/db/change-cache.ts), checked through the pages that use them: the
 * current-documents search and each person's "documents to acknowledge" on the home page must follow a revision
 * taking effect and an acknowledgement at once. (The compliance report's: test/reports/report-cache.test.ts.)
 */
let t: TestApp;
let who: Awaited<ReturnType<typeof signInPeople>>;

beforeAll(async () => {
  t = await createTestApp();
  who = await signInPeople(t);
});
afterAll(async () => t.close());

describe('kept until the data changes', () => {
  it('a document search follows a new revision at once: new words found, old words gone', async () => {
    const procedureId = await addProcedure(t, 'QT-KHO-01');
    const doc = await createDocument(who.qo, { code: 'HD-KHO-01', title: 'Hướng dẫn lưu kho hồ sơ', procedure_id: String(procedureId), owner_unit_id: String(t.units.main) });
    await publish(t, who.people, doc, 'Hồ sơ được lưu tại kho tầng một.');
    const words = async (q: string) => (await who.staff.get(`/documents/current?q=${encodeURIComponent(q)}`)).text;
    expect(await words('tang mot')).toContain('<mark>tầng một</mark>');
    expect(await words('tang hai')).toContain('Không tìm thấy tài liệu nào');

    await publish(t, who.people, doc, 'Hồ sơ được lưu tại kho tầng hai.', 'Chuyển kho lên tầng hai');
    expect(await words('tang hai')).toContain('<mark>tầng hai</mark>');
    expect(await words('tang mot')).toContain('Không tìm thấy tài liệu nào');
  });

  it("the home page's documents to acknowledge show a revision as soon as it takes effect and drop it as soon as it is acknowledged", async () => {
    // The "to acknowledge" section only (the page also lists recently changed documents).
    const home = async () => {
      const html = (await who.staff.get('/')).text;
      return html.slice(html.indexOf('id="h-ack"'), html.indexOf('id="h-changed"'));
    };
    expect(await home()).toContain('<h2');
    expect(await home()).not.toContain('HD-DOC-01');
    const procedureId = await addProcedure(t, 'QT-DOC-01');
    const doc = await createDocument(who.qo, { code: 'HD-DOC-01', title: 'Hướng dẫn đọc tài liệu', procedure_id: String(procedureId), owner_unit_id: String(t.units.main) });
    await publish(t, who.people, doc, 'Nội dung cần đọc.');
    const revision = rows<{ id: number }>(t, "select id from document_revisions where document_id = ? and status = 'effective'", doc)[0]!.id;
    expect(await home()).toContain(`data-ack="${revision}"`);
    expect((await who.staff.post(`/documents/${doc}/revisions/${revision}/acknowledge`)).status).toBe(303);
    expect(await home()).not.toContain('HD-DOC-01');
  });
});
