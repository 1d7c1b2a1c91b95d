import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, one, rows, type SignedIn, type TestApp } from '../support/app';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';
import { buildScenario, run } from '../reports/fixtures';
import { findSystemOverview } from '../../src/features/dashboard/dashboard.queries';

/**
 * Organisations: every home page shows its organisation's figures only. Organisation A (the test app's, id 1) has the
 * report fixtures (dashboard.test.ts's known answers); organisation B gets a document under review and overdue for
 * review, a revision in review, an open major NC with the same code as one of A's (NC-2026-001) and an overdue
 * action, a draft audit programme and a dossier import, written as rows of B (the figures tables follow them through
 * their triggers), and a holiday added by B's admin through the form (an entry of B's audit log).
 */
let t: TestApp;
let b: OtherOrganisation;
const AT = '2026-11-20T00:00:00.000Z';

const home = async (who: SignedIn) => {
  const res = await who.get('/');
  expect(res.status).toBe(200);
  return res.text.replace(/&#x3D;/g, '=');
};

async function seedB(): Promise<void> {
  const o = b.id;
  const procedure = await run(
    t,
    `insert into procedures (code, title, field, online_level, on_time_target, search_text, created_at, updated_at, organisation_id)
     values ('QT-B-01', 'Quy trình của B', 'Khác', 'none', 1, 'qt-b-01', ?, ?, ?)`,
    AT,
    AT,
    o,
  );
  const documentId = await run(
    t,
    `insert into documents (code, title, type, procedure_id, ack_scope, search_text, created_at, updated_at, organisation_id)
     values ('TL-B-01', 'Tài liệu riêng của B', 'procedure', ?, 'all', 'tl-b-01', ?, ?, ?)`,
    procedure,
    AT,
    AT,
    o,
  );
  const first = await run(
    t,
    `insert into document_revisions (document_id, revision_no, body, author_id, created_at, updated_at, organisation_id) values (?, 1, 'Nội dung', ?, ?, ?, ?)`,
    documentId,
    b.users.quality_officer,
    AT,
    AT,
    o,
  );
  await run(t, `update document_revisions set status = 'in_review' where id = ?`, first);
  await run(t, `update document_revisions set status = 'approved', effective_from = '2026-11-20', next_review_due = '2026-03-01' where id = ?`, first);
  await run(t, `update document_revisions set status = 'effective' where id = ?`, first);
  const second = await run(
    t,
    `insert into document_revisions (document_id, revision_no, body, change_summary, author_id, created_at, updated_at, organisation_id)
     values (?, 2, 'Nội dung mới', 'Sửa đổi', ?, ?, ?, ?)`,
    documentId,
    b.users.staff,
    AT,
    AT,
    o,
  );
  await run(t, `update document_revisions set status = 'in_review', submitted_at = ? where id = ?`, AT, second);
  const nc = await run(
    t,
    `insert into nonconformities (code, year, seq, title, description, source, severity, procedure_id, detected_on, status, created_at, updated_at, organisation_id)
     values ('NC-2026-001', 2026, 1, 'Điểm không phù hợp của B', 'Mô tả', 'internal_audit', 'major', ?, '2026-02-01', 'open', ?, ?, ?)`,
    procedure,
    AT,
    AT,
    o,
  );
  await run(
    t,
    `insert into nc_actions (nonconformity_id, type, description, owner_id, due_date, status, created_at, updated_at, organisation_id)
     values (?, 'corrective', 'Hành động của B', ?, '2026-03-01', 'planned', ?, ?, ?)`,
    nc,
    b.users.staff,
    AT,
    AT,
    o,
  );
  await run(t, `insert into audit_programmes (year, status, created_at, updated_at, organisation_id) values (2027, 'draft', ?, ?, ?)`, AT, AT, o);
  await run(
    t,
    `insert into dossier_imports (file_name, sha256, via, imported_at, rows_total, organisation_id) values ('b-import.csv', ?, 'cli', ?, 77, ?)`,
    'b'.repeat(64),
    '2026-11-25T01:00:00.000Z',
    o,
  );
}

beforeAll(async () => {
  t = await createTestApp();
  await buildScenario(t);
  b = await addOrganisation(t, 'SOB');
  await seedB();
  const adminB = await t.signIn(b.usernames.admin);
  expect((await adminB.post('/admin/holidays', { date: '2026-12-24', kind: 'holiday', name: 'Ngày nghỉ riêng của B' })).status).toBe(303);
});
afterAll(async () => t.close());

describe('home pages per organisation', () => {
  it("quality officer: A's figures are A's alone (as without B), B's are B's", async () => {
    const a = await home(await t.signIn('quality_officer'));
    expect(a).toContain('data-tile="nc-major">2<');
    expect(a).toContain('data-tile="nc-minor">2<');
    expect(a).toContain('data-tile="actions-overdue">2<');
    expect(a).toContain('data-tile="reviews">1<');
    expect(a).not.toContain('TL-B-01');
    expect(a).not.toContain('Hành động của B');
    const ofB = await home(await t.signIn(b.usernames.quality_officer));
    expect(ofB).toContain('data-tile="nc-major">1<');
    expect(ofB).toContain('data-tile="nc-minor">0<');
    expect(ofB).toContain('data-tile="actions-overdue">1<');
    expect(ofB).toContain('data-tile="reviews">1<');
    expect(ofB).toContain('TL-B-01');
    expect(ofB).toContain('NC-2026-001');
    expect(ofB).not.toContain('TL-QT-01');
  });

  it("leader: what waits for a signature is the organisation's", async () => {
    const a = await home(await t.signIn('leader'));
    expect(a).toContain('data-waiting="0"');
    expect(a).not.toContain('TL-B-01');
    const ofB = await home(await t.signIn(b.usernames.leader));
    expect(ofB).toContain('data-waiting="2"');
    expect(ofB).toContain('TL-B-01');
    expect(ofB).toContain('2027');
  });

  it("staff: documents to acknowledge and recently issued ones are the organisation's", async () => {
    const a = await home(await t.signIn('staff'));
    expect(a).not.toContain('TL-B-01');
    const ofB = await home(await t.signIn(b.usernames.staff));
    expect(ofB).toContain('TL-B-01');
    expect(ofB).toContain('Hành động của B');
    expect(ofB).not.toContain('TL-QT-0');
  });

  it("admin: the overview counts the organisation's users, units, procedures, documents, audit-log entries and imports", async () => {
    const entries = async (o: number) => Number((await one<{ n: number }>(t, 'select count(*) as n from audit_log where organisation_id = ?', o))!.n);
    const ofB = await findSystemOverview(b.ctx.db);
    expect(ofB).toMatchObject({
      usersByRole: { admin: 1, quality_officer: 1, leader: 1, staff: 1 },
      activeUsers: 4,
      activeUnits: 1,
      activeProcedures: 1,
      activeDocuments: 1,
      auditLogEntries: await entries(b.id),
      lastDossierImport: { file_name: 'b-import.csv', rows_total: 77 },
    });
    expect(ofB.auditLogEntries).toBeGreaterThan(0);
    const ofA = await findSystemOverview(t.ctx.db);
    expect(ofA.auditLogEntries).toBe(await entries(1));
    expect(ofA.lastDossierImport?.file_name).toBe('fixture.csv');
    expect(ofA.activeDocuments).toBe(
      Number((await one<{ n: number }>(t, "select count(*) as n from documents where organisation_id = 1 and status = 'active'"))!.n),
    );
    const page = await home(await t.signIn(b.usernames.admin));
    expect(page).toContain('b-import.csv');
    expect(await home(await t.signIn('admin'))).not.toContain('b-import.csv');
  });

  it('the kept audit-log counts equal the log per organisation', async () => {
    const kept = await rows<{ organisation_id: number; n: number }>(
      t,
      "select organisation_id, n from overview_counts where name = 'audit_log' order by organisation_id",
    );
    const counted = await rows<{ organisation_id: number; n: number }>(
      t,
      'select organisation_id, count(*) as n from audit_log group by organisation_id order by organisation_id',
    );
    expect(kept.map((r) => [r.organisation_id, Number(r.n)])).toEqual(counted.map((r) => [r.organisation_id, Number(r.n)]));
  });
});

describe('the audit trail per organisation', () => {
  it("lists the organisation's entries, its entities and actions, never another organisation's", async () => {
    const adminA = await t.signIn('admin');
    const a = await adminA.get('/admin/audit-log');
    expect(a.status).toBe(200);
    expect(a.text).not.toContain('Ngày nghỉ riêng của B');
    const byB = await adminA.get(`/admin/audit-log?user=${b.users.admin}`);
    expect(byB.status).toBe(200);
    expect(byB.text).not.toContain('Ngày nghỉ riêng của B');
    const holidayA = await adminA.get('/admin/audit-log?entity=holiday');
    expect(holidayA.text).not.toContain('Ngày nghỉ riêng của B');
    const ofB = await (await t.signIn(b.usernames.admin)).get('/admin/audit-log');
    expect(ofB.status).toBe(200);
    expect(ofB.text).toContain('Ngày nghỉ riêng của B');
    // A's entries (the fixtures' audited changes) are not in B's trail.
    const aEntries = await rows<{ id: number }>(t, 'select id from audit_log where organisation_id = 1');
    expect(aEntries.length).toBeGreaterThan(0);
    const stored = await one<{ organisation_id: number }>(t, "select organisation_id from audit_log where entity = 'holiday' order by id desc limit 1");
    expect(stored?.organisation_id).toBe(b.id);
  });
});
