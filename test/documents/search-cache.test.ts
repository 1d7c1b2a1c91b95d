import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type SignedIn, type TestApp } from '../support/app';
import { addProcedure, createDocument, publish } from './helpers';

/**
 * The current-documents search is kept until the data changes (core/db/change-cache.ts): the same words asked
 * again after a new revision takes effect must find the new text and no longer the old.
 */
let t: TestApp;
let qo: SignedIn;
let leader: SignedIn;
let admin: SignedIn;
let staff: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  leader = await t.signIn('leader');
  admin = await t.signIn('admin');
  staff = await t.signIn('staff');
});
afterAll(async () => t.close());

describe('a search kept until the data changes', () => {
  it('follows a new revision at once: new words found, old words gone', async () => {
    const procedureId = await addProcedure(t, 'QT-KHO-01');
    const people = { author: qo, reviewer: admin, approver: leader };
    const doc = await createDocument(qo, { code: 'HD-KHO-01', title: 'Hướng dẫn lưu kho hồ sơ', procedure_id: String(procedureId), owner_unit_id: String(t.units.main) });
    await publish(t, people, doc, 'Hồ sơ được lưu tại kho tầng một.');
    const words = async (q: string) => (await staff.get(`/documents/current?q=${encodeURIComponent(q)}`)).text;
    expect(await words('tang mot')).toContain('<mark>tầng một</mark>');
    expect(await words('tang hai')).toContain('Không tìm thấy tài liệu nào');

    await publish(t, people, doc, 'Hồ sơ được lưu tại kho tầng hai.', 'Chuyển kho lên tầng hai');
    expect(await words('tang hai')).toContain('<mark>tầng hai</mark>');
    expect(await words('tang mot')).toContain('Không tìm thấy tài liệu nào');
  });
});
