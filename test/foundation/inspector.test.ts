import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, TEST_PASSWORD } from '../support/app';
import { signInWith } from '../support/agents';
import { changedTables, databaseChecksums } from '../support/db-checks';
import { bodyOf, fillContext, plan, send } from '../support/forms';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';
import { policyFor } from '../support/routes';
import { DEMO_PASSWORD_SUFFIX } from '../../src/features/demo';
import { createWorld, worldRows, type World, WORLD_TIMEOUT } from '../support/world';

/**
 * Issue 22, the inspector (Sở KH&CN) and the drill-down: the demo's model office (organisation 1, code DV1) is under
 * the demo's province (TINH-NB), whose inspector (kiemtra) reads it with `?org=DV1`: every page its leader reached answers (never a 500),
 * no draft revision is shown, and every form any of its roles was shown, posted by the inspector, is refused with
 * 403 and changes nothing. Who may not choose an organisation gets 404 for `?org=`; a parent's admin manages the
 * organisation under it; an organisation merged into a successor is read-only for its own users and readable by
 * the successor's. Both engines.
 */
let w: World;
let sibling: OtherOrganisation;
let code: string;

/** Tables an inspector's own requests may write: its session (the organisation it reads), sign-in throttling, its audit entries. */
const MAY_WRITE = new Set(['sessions', 'login_attempts', 'audit_log', 'signing_keys', 'qms_meta', 'overview_counts']);

beforeAll(async () => {
  w = await createWorld();
  // an organisation outside the province (no parent), with a user per role
  sibling = await addOrganisation(w, 'XA-KHAC', { name: 'UBND xã Khác' });
  code = (await worldRows<{ code: string }>(w, 'select code from organisation where id = 1'))[0].code;
}, WORLD_TIMEOUT);
afterAll(async () => w?.close());

describe('an inspector reads the organisations under its own and changes nothing', () => {
  it('reads the office with ?org=CODE, which holds for the next pages, under a banner naming it', async () => {
    const inspector = await signInWith(w.app, 'kiemtra', `kiemtra${DEMO_PASSWORD_SUFFIX}`);
    const home = await inspector.agent.get('/');
    expect(home.status).toBe(303);
    expect(home.headers.location).toBe('/oversight');
    const first = await inspector.agent.get(`/procedures?org=${code.toLowerCase()}`);
    expect(first.status).toBe(200);
    expect(first.text).toContain(`(${code})`);
    const [procedure] = await worldRows<{ title: string }>(
      w,
      "select title from procedures where organisation_id = 1 and status = 'active' order by code limit 1",
    );
    expect(first.text).toContain(procedure.title);
    // the next page, without the parameter, is still the office's
    const next = await inspector.agent.get('/reports');
    expect(next.status).toBe(200);
    expect(next.text).toContain(`(${code})`);
    // back to its own: the office's procedures are gone
    const back = await inspector.agent.get('/procedures?org=');
    expect(back.status).toBe(200);
    expect(back.text).not.toContain(procedure.title);
  });

  it('answers every page the office leader reached without an error, and shows no draft revision', async () => {
    const inspector = await signInWith(w.app, 'kiemtra', `kiemtra${DEMO_PASSWORD_SUFFIX}`);
    expect((await inspector.agent.get(`/?org=${code}`)).status).toBe(200);
    const failures: string[] = [];
    let read = 0;
    for (const page of w.crawled('leader')) {
      if (page.status !== 200 || /\/logout/.test(page.url)) continue;
      const res = await inspector.agent.get(page.url);
      if (res.status === 200) read++;
      else if (res.status !== 403 && res.status !== 404) failures.push(`GET ${page.url} → ${res.status}`);
    }
    expect(failures).toEqual([]);
    expect(read).toBeGreaterThan(20);
    // the register of every document (drafts among them) is the managers' page; each unpublished revision is refused
    expect((await inspector.agent.get('/documents')).status).toBe(403);
    const drafts = await worldRows<{ document_id: number; id: number }>(
      w,
      "select document_id, id from document_revisions where organisation_id = 1 and status in ('draft', 'in_review', 'approved')",
    );
    expect(drafts.length).toBeGreaterThan(0);
    for (const d of drafts) {
      const res = await inspector.agent.get(`/documents/${d.document_id}/revisions/${d.id}`);
      expect([403, 404], `revision ${d.id}`).toContain(res.status);
    }
  });

  it("refuses every form of every role of the office with 403, and changes none of the office's data", async () => {
    const inspector = await signInWith(w.app, 'kiemtra', `kiemtra${DEMO_PASSWORD_SUFFIX}`);
    expect((await inspector.agent.get(`/?org=${code}`)).status).toBe(200);
    const before = await databaseChecksums(w.ctx.db);
    const refused: string[] = [];
    const seen = new Set<string>();
    for (const role of ['admin', 'quality_officer', 'leader', 'staff'] as const) {
      for (const page of w.crawled(role)) {
        for (const form of page.forms) {
          if (form.method !== 'POST' || seen.has(form.action) || /\/(logout|login|account\/password)/.test(form.action)) continue;
          seen.add(form.action);
          expect(policyFor(w.app.locals.policies, 'POST', form.action), form.action).toBeDefined();
          const res = await send(inspector, form, bodyOf(plan(form, fillContext(TEST_PASSWORD))));
          if (res.status !== 403) refused.push(`POST ${form.action} → ${res.status}, not 403`);
        }
      }
    }
    expect(seen.size).toBeGreaterThan(30);
    expect(refused).toEqual([]);
    expect(changedTables(before, await databaseChecksums(w.ctx.db)).filter((t) => !MAY_WRITE.has(t))).toEqual([]);
    // its own account stays its own: signing out works
    expect((await inspector.post('/logout')).status).toBe(303);
  });

  it('gets 404 for an organisation outside its own subtree, as does every other role for any other organisation', async () => {
    const inspector = await signInWith(w.app, 'kiemtra', `kiemtra${DEMO_PASSWORD_SUFFIX}`);
    expect((await inspector.agent.get(`/procedures?org=${sibling.code}`)).status).toBe(404);
    expect((await inspector.agent.get('/procedures?org=KHONG-CO')).status).toBe(404);
    for (const role of ['admin', 'quality_officer', 'leader', 'staff'] as const) {
      const user = await signInWith(w.app, sibling.usernames[role], TEST_PASSWORD);
      expect((await user.agent.get(`/procedures?org=${code}`)).status, role).toBe(404);
    }
    const office = await w.as('admin');
    expect((await office.agent.get('/procedures?org=TINH-NB')).status).toBe(404);
  });
});

describe("a parent organisation's admin manages the organisations under it", () => {
  it('works in the office with ?org=CODE and its changes are the office’s', async () => {
    const admin = await signInWith(w.app, 'quantri.tinh', `quantri.tinh${DEMO_PASSWORD_SUFFIX}`);
    const page = await admin.agent.get(`/admin/units/new?org=${code}`);
    expect(page.status).toBe(200);
    await admin.refreshCsrf();
    const res = await admin.post('/admin/units', { code: 'TINH-QL', name: 'Phòng do tỉnh thêm' });
    expect(res.status).toBe(303);
    expect(await worldRows(w, "select organisation_id from units where code = 'TINH-QL'")).toEqual([{ organisation_id: 1 }]);
    // XA-KHAC has no parent: it is not under the province
    expect((await admin.agent.get(`/admin/units?org=${sibling.code}`)).status).toBe(404);
    // the commune that succeeded the district office: read-only for the province's admin too
    expect((await admin.agent.get('/procedures?org=HUYEN-NH-CU')).status).toBe(200);
    await admin.refreshCsrf();
    expect((await admin.post('/admin/units', { code: 'CU-2', name: 'Phòng thêm vào cơ quan cũ' })).status).toBe(403);
  });
});

describe('an organisation merged into a successor', () => {
  it("is read-only for its own users, and readable by the successor's users, read-only", async () => {
    const merged = await addOrganisation(w, 'HUYEN-CU', { name: 'Phòng LĐTBXH huyện cũ' });
    await run(w, "update organisation set status = 'read_only' where id = ?", merged.id);
    await run(
      w,
      "insert into organisation_lineage (predecessor_id, successor_id, kind, effective_on, reason, created_at) values (?, ?, 'merge', '2025-07-01', 'Sắp xếp đơn vị hành chính', '2025-07-01T00:00:00Z')",
      merged.id,
      sibling.id,
    );
    const own = await signInWith(w.app, merged.usernames.admin, TEST_PASSWORD);
    const units = await own.agent.get('/admin/units');
    expect(units.status).toBe(200);
    await own.refreshCsrf();
    expect((await own.post('/admin/units', { code: 'MOI', name: 'Phòng mới' })).status).toBe(403);
    expect(await worldRows(w, "select id from units where code = 'MOI'")).toEqual([]);

    const successor = await signInWith(w.app, sibling.usernames.quality_officer, TEST_PASSWORD);
    // its users find the history in the menu; a single office's do not
    expect((await successor.agent.get('/')).text).toContain('href="/organisation/lineage"');
    expect((await (await w.as('leader')).agent.get('/')).text).not.toContain('href="/organisation/lineage"');
    const read = await successor.agent.get(`/procedures?org=${merged.code}`);
    expect(read.status).toBe(200);
    expect(read.text).toContain(`(${merged.code})`);
    await successor.refreshCsrf();
    expect((await successor.post('/procedures', { code: 'QT-X', title: 'Thủ tục mới', processing_days: '3' })).status).toBe(403);
    // the predecessor reads nothing of its successor
    expect((await own.agent.get(`/procedures?org=${sibling.code}`)).status).toBe(404);
  });
});
