import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeOrganisations, splitOrganisation } from '../../src/features/organisation/organisation.reorg.service';
import { createTestApp, one, rows, type TestApp } from '../support/app';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';

/**
 * After a reorganisation the predecessors change nothing more (issue 22): a user still working in one (the users of
 * a split office stay in it until moved) or reading one from the successor (`?org=CODE`) is refused every POST (403)
 * and reads its pages. PC (under DV1) splits into XA-1 and XA-2; PA merges into XA-1.
 */
let t: TestApp;
let pa: OtherOrganisation;
let pc: OtherOrganisation;
const unitsOf = async (org: number) =>
  (await rows<{ code: string }>(t, 'select code from units where organisation_id = ? order by code', org)).map((r) => r.code);

beforeAll(async () => {
  t = await createTestApp();
  pa = await addOrganisation(t, 'PA', { parent: 1 });
  pc = await addOrganisation(t, 'PC', { parent: 1 });
  await splitOrganisation(
    t.appCtx,
    {
      predecessor: 'PC',
      successors: [
        { code: 'XA-1', name: 'Xã Một' },
        { code: 'XA-2', name: 'Xã Hai' },
      ],
      effectiveOn: '2025-07-01',
      reason: 'Chia tách',
    },
    t.users.admin,
  );
  await mergeOrganisations(t.appCtx, { predecessors: ['PA'], successor: { code: 'XA-1' }, effectiveOn: '2025-07-01', reason: 'Sáp nhập' }, t.users.admin);
});
afterAll(async () => t.close());

describe('a predecessor is read-only', () => {
  it('its own users (a split office’s) read its pages and the lineage, and get 403 on a POST', async () => {
    const admin = await t.signIn(pc.usernames.admin);
    expect((await admin.get('/admin/units')).status).toBe(200);
    const lineage = await admin.get('/organisation/lineage');
    expect(lineage.status).toBe(200);
    expect(lineage.text).toContain('XA-1');
    expect(lineage.text).toContain('XA-2');
    const res = await admin.post('/admin/units', { code: 'PC-MOI', name: 'Phòng mới' });
    expect(res.status).toBe(403);
    // refused as read-only, not for its form token
    expect(res.text).toContain('Bạn không có quyền thực hiện thao tác này.');
    expect(await unitsOf(pc.id)).toEqual(['PC-U']);
  });

  it('a successor’s user reading a predecessor (?org=PA) gets 403 on a POST; back in their own organisation they post again', async () => {
    // PA's admin moved to XA-1 with the merge: an admin there
    const admin = await t.signIn(pa.usernames.admin);
    const xa1 = (await one<{ id: number }>(t, "select id from organisation where code = 'XA-1'"))!.id;
    expect((await admin.get('/?org=PA')).status).toBe(200);
    const refused = await admin.post('/admin/units', { code: 'PA-MOI', name: 'Phòng mới' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Bạn không có quyền thực hiện thao tác này.');
    expect(await unitsOf(pa.id)).toEqual(['PA-U']);
    expect((await admin.get('/?org=')).status).toBe(200);
    expect((await admin.post('/admin/units', { code: 'XA1-U', name: 'Phòng của xã' })).status).toBe(303);
    expect(await unitsOf(xa1)).toEqual(['XA1-U']);
  });
});
