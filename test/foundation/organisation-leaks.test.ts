import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/core/http/roles';
import { catalogs } from '../../src/core/i18n';
import { CLAUSES } from '../../src/core/iso/clauses';
import '../../src/features/catalogs';
import { TEST_PASSWORD } from '../support/app';
import { signInWith } from '../support/agents';
import { databaseChecksums, changedTables } from '../support/db-checks';
import { bodyOf, fillContext, plan, send } from '../support/forms';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';
import { paramNames, policyFor, type Policy } from '../support/routes';
import { createWorld, worldRows, type World, WORLD_TIMEOUT } from '../support/world';

/**
 * Issue 22's crawl: organisation B is the demo's model office (its records, crawled by each of its roles when the
 * world was built); organisation A is added beside it with one user per role and no records. Signed in as each role
 * of A, every page B's same role reached is requested: a page of one of B's records answers 404 (as for a missing
 * record), every other page answers without any of B's record codes, titles or people; every form B's role was
 * shown for one of its records, posted by A, is refused with 404 and changes none of B's data. Both engines.
 */
const ROLES: Role[] = ['admin', 'quality_officer', 'leader', 'staff'];
/** Tables A's own requests may write (its sessions, sign-in throttling, its own audit entries). */
const A_MAY_WRITE = new Set(['sessions', 'login_attempts', 'audit_log', 'signing_keys', 'qms_meta']);

let w: World;
let a: OtherOrganisation;
let markers: string[];

beforeAll(async () => {
  w = await createWorld();
  a = await addOrganisation(w, 'ATK', { name: 'Cơ quan thử nghiệm A' });
  // What identifies B's data on a page: its records' codes and titles, its units' and people's names.
  const texts = await worldRows<{ t: string }>(
    w,
    `select code as t from nonconformities where organisation_id = 1 union select title from nonconformities where organisation_id = 1
     union select code from documents where organisation_id = 1 union select title from documents where organisation_id = 1
     union select code from audits where organisation_id = 1 union select title from audits where organisation_id = 1
     union select title from procedures where organisation_id = 1 union select name from units where organisation_id = 1
     union select full_name from users where organisation_id = 1 union select code from dossiers where organisation_id = 1`,
  );
  // Words of the interface itself (a menu's "Đánh giá nội bộ", an NC source's "Xem xét của lãnh đạo", an ISO clause's
  // title) may also be a record's title: they identify nothing.
  const generic = [...Object.values(catalogs.vi), ...Object.values(catalogs.en), ...CLAUSES.flatMap((c) => [c.titleVi, c.titleEn])].join('\n');
  markers = [...new Set(texts.map((r) => r.t).filter((t) => typeof t === 'string' && t.length >= 8 && !generic.includes(t)))];
}, WORLD_TIMEOUT);
afterAll(async () => w?.close());

/**
 * Routes whose parameter names no record of B: the annual report of a year is each organisation's own (A's page
 * for 2026 is A's report of 2026), so it is checked as any other page, for B's data in it.
 */
const OWN_BY_PARAMETER = new Set([
  '/reports/annual/:year',
  '/reports/annual/:year/edit',
  '/reports/annual/:year/issue',
  '/reports/annual/:year/figures.csv',
  '/reports/annual/:year/figures.xlsx',
  '/reports/annual/:year.docx',
]);
const hasParams = (p: Policy | undefined) => !!p && paramNames(p.path).length > 0 && !OWN_BY_PARAMETER.has(p.path);

describe('organisation A reaches nothing of organisation B', () => {
  it('has something to look for', () => {
    expect(markers.length).toBeGreaterThan(50);
    for (const role of ROLES) expect(w.crawled(role).filter((p) => p.status === 200 && hasParams(p.policy)).length, role).toBeGreaterThan(3);
  });

  it.each(ROLES)("as A's %s: B's record pages answer 404, and no other page shows B's data", async (role) => {
    const user = await signInWith(w.app, a.usernames[role], TEST_PASSWORD);
    const leaks: string[] = [];
    let records = 0;
    for (const page of w.crawled(role)) {
      if (page.status !== 200 || /\/logout/.test(page.url)) continue;
      const res = await user.agent.get(page.url);
      // a page of B's chosen by its code (?org=DV1, the oversight page's links) is one of B's records too
      if (hasParams(page.policy) || /[?&]org=[^&]/.test(page.url)) {
        records++;
        if (res.status !== 404) leaks.push(`GET ${page.url} → ${res.status}, not 404`);
        continue;
      }
      if (res.status >= 400) leaks.push(`GET ${page.url} → ${res.status}`);
      const text = res.text ?? '';
      const seen = markers.filter((m) => text.includes(m));
      if (seen.length > 0) leaks.push(`GET ${page.url} shows ${seen.slice(0, 3).join(' | ')}`);
    }
    expect(records).toBeGreaterThan(3);
    expect(leaks).toEqual([]);
  });

  it.each(ROLES)("as A's %s: B's forms for its records are refused with 404 and change nothing of B's", async (role) => {
    const user = await signInWith(w.app, a.usernames[role], TEST_PASSWORD);
    const policies = w.app.locals.policies;
    const before = await databaseChecksums(w.ctx.db);
    const leaks: string[] = [];
    const seenActions = new Set<string>();
    for (const page of w.crawled(role)) {
      for (const form of page.forms) {
        if (form.method !== 'POST' || seenActions.has(form.action)) continue;
        const policy = policyFor(policies, 'POST', form.action);
        if (!hasParams(policy) || /\/logout/.test(form.action)) continue; // B's record forms only
        seenActions.add(form.action);
        const res = await send(user, form, bodyOf(plan(form, fillContext(TEST_PASSWORD))));
        if (res.status !== 404) leaks.push(`POST ${form.action} → ${res.status}, not 404`);
      }
    }
    const changed = changedTables(before, await databaseChecksums(w.ctx.db)).filter((table) => !A_MAY_WRITE.has(table));
    expect(leaks).toEqual([]);
    expect(changed).toEqual([]);
    expect(seenActions.size).toBeGreaterThan(role === 'staff' ? 0 : 3);
  });
});
