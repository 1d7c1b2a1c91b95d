import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, one, type SignedIn, type TestApp } from '../support/app';
import { buildScenario, document, procedure, run } from '../reports/fixtures';
import { record } from '../../src/core/audit-log/audit-log';

/**
 * The dashboards at / by role, on the report fixtures (today 2026-11-26):
 * - open NCs (reported … awaiting verification): NC2 minor, NC3 major (reopened), NC5 minor, NC7 major → major 2, minor 2;
 * - open actions of NC2 (owner: staff): due 03-01 and due 03-31 → 2 overdue, none due soon;
 * - TL-QT-01 revision 2 was due for review on 2026-03-15 → overdue; TL-QT-03 is due 2027-01-01 (outside 30 days);
 * - this quarter (2026-10-01 … 2026-11-26): QT-TEST-01 non_compliant (open major NC3), QT-TEST-02 non_compliant (no
 *   document), QT-TEST-03 attention (last audit 2025-06-01, more than 12 months ago);
 * - staff acknowledged TL-QT-01 revision 2 but not TL-QT-03 (scope "all").
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await buildScenario(t);
});
afterAll(async () => t.close());

/** The rows written straight into the tables here stand for what the services write, each with its audit entry. */
const audited = (what: string) => record(t.ctx.db, { userId: null, action: 'update', entity: 'test', entityId: null, reason: what }, t.clock.now());

const home = async (who: SignedIn) => {
  const res = await who.get('/');
  expect(res.status).toBe(200);
  return res.text.replace(/&#x3D;/g, '=');
};

describe('dashboards', () => {
  it('quality officer: open NCs by severity, overdue actions, reviews due, next audits, the on-time chart', async () => {
    const html = await home(await t.signIn('quality_officer'));
    expect(html).toContain('data-tile="nc-major">2<');
    expect(html).toContain('data-tile="nc-minor">2<');
    expect(html).toContain('data-tile="actions-overdue">2<');
    expect(html).toContain('data-tile="actions-due-soon">0<');
    expect(html).toContain('data-tile="reviews">1<');
    expect(html).toContain('quá hạn xem xét từ 15/03/2026');
    expect(html).toContain('Chưa có cuộc đánh giá nào được lên kế hoạch.');
    expect(html).toMatch(/<svg class="chart"[^>]*aria-labelledby="chart-nc-title chart-nc-desc"/);
    expect(html).toContain('<desc id="chart-nc-desc">Biểu đồ thanh ngang: 2 điểm nặng (gạch chéo), 2 điểm nhẹ (chấm).</desc>');
    expect(html).toMatch(/<svg class="chart"[^>]*aria-labelledby="chart-dash-on-time-title/);
    expect(html).toContain('<th scope="row">01/2026</th><td class="num">75\u00a0%</td>');
    expect(html).not.toMatch(/style=|<script/);
  });

  it('leader: procedures coloured by status with text labels, and what waits for their signature', async () => {
    const leader = await t.signIn('leader');
    let html = await home(leader);
    expect(html).toContain('data-waiting="0"');
    expect(html).toContain('Không có việc nào chờ bạn ký.');
    expect(html).toMatch(
      /class="st-non_compliant" href="\/reports\/procedures\/QT-TEST-01\?from=2026-10-01&amp;to=2026-11-26"[^>]*data-status="non_compliant">✗ <code>QT-TEST-01<\/code><br>Không phù hợp</,
    );
    expect(html).toMatch(/data-status="non_compliant">✗ <code>QT-TEST-02<\/code>/);
    expect(html).toMatch(/class="st-attention"[^>]*data-status="attention">! <code>QT-TEST-03<\/code><br>Cần chú ý</);
    expect(html).toContain(
      '<desc id="chart-status-desc">Biểu đồ thanh ngang: 2 quy trình không phù hợp (gạch chéo), 1 cần chú ý (chấm), 0 phù hợp (tô đặc).</desc>',
    );

    // A revision sent for review, a draft audit programme and an annual draft now wait for a leader.
    const doc = Number(Object.values((await one<Record<string, unknown>>(t, `select id from documents where code = 'TL-QT-03'`)) ?? {})[0]);
    const rev = await run(
      t,
      `insert into document_revisions (document_id, revision_no, body, change_summary, author_id, created_at, updated_at, organisation_id) values (?, 2, 'x', 'Sửa', ?, 'now', 'now', 1)`,
      doc,
      t.users.quality_officer,
    );
    await run(t, `update document_revisions set status = 'in_review', submitted_at = '2026-11-20T02:00:00Z' where id = ?`, rev);
    await run(t, `insert into audit_programmes (year, created_at, updated_at, organisation_id) values (2027, 'now', 'now', 1)`);
    await run(t, `insert into annual_reports (year, created_at, updated_at, organisation_id) values (2026, 'now', 'now', 1)`);
    await audited('revision in review, programme and annual drafts');
    html = await home(leader);
    expect(html).toContain('data-waiting="3"');
    expect(html).toContain(`href="/documents/${doc}/revisions/${rev}"`);
    expect(html).toContain('href="/audits/programmes/2027"');
    expect(html).toContain('href="/reports/annual/2026"');
    // A revision the leader wrote is not theirs to sign.
    const own = await run(
      t,
      `insert into documents (code, title, type, search_text, created_at, updated_at, organisation_id) values ('TL-X', 'X', 'form', 'tl-x', 'now', 'now', 1)`,
    );
    const ownRev = await run(
      t,
      `insert into document_revisions (document_id, revision_no, body, author_id, created_at, updated_at, organisation_id) values (?, 1, 'x', ?, 'now', 'now', 1)`,
      own,
      t.users.leader,
    );
    await run(t, `update document_revisions set status = 'in_review' where id = ?`, ownRev);
    await audited('own revision in review');
    html = await home(leader);
    expect(html).toContain('data-waiting="3"');
    expect(html).not.toContain(`/revisions/${ownRev}"`);
  });

  it('staff: my actions, documents to acknowledge, documents changed in the last 30 days', async () => {
    const html = await home(await t.signIn('staff'));
    expect((html.match(/data-action="/g) ?? []).length).toBe(2);
    expect(html).toContain('Quá hạn');
    expect((html.match(/data-ack="/g) ?? []).length).toBe(1);
    expect(html).toContain('<code>TL-QT-03</code>');
    expect(html).toContain('Không có tài liệu nào thay đổi trong 30 ngày qua.');
  });

  it('admin: a short system overview with links', async () => {
    const html = await home(await t.signIn('admin'));
    expect(html).toContain('data-tile="users">4<');
    expect(html).toContain('data-tile="units">2<');
    expect(html).toContain('data-tile="procedures">3<');
    expect(html).toContain('data-tile="documents">3<'); // TL-QT-01, TL-QT-03 and the leader's TL-X
    expect(html).toContain('href="/admin/organisation"');
  });

  // Last: it adds a procedure and a document the tests above do not expect.
  it('quality officer: every figure once, then the missing acknowledgements of documents issued in the last 60 days', async () => {
    const officer = await t.signIn('quality_officer');
    let html = await home(officer);
    // Each tile and each section exactly once (two blocks of the page once showed the same figures twice).
    for (const tile of ['nc-major', 'nc-minor', 'actions-overdue', 'actions-due-soon', 'reviews']) expect(html.split(`data-tile="${tile}"`).length - 1).toBe(1);
    for (const id of ['h-nc', 'h-actions', 'h-reviews', 'h-acks', 'h-audits', 'h-ontime']) expect(html.split(`id="${id}"`).length - 1).toBe(1);
    const acks = () => html.slice(html.indexOf('id="h-acks"'), html.indexOf('id="h-audits"'));
    expect(acks()).toContain('Các tài liệu ban hành trong 60 ngày qua đều đã được xác nhận đủ.');

    // A procedure issued ten days ago that nobody has acknowledged yet: 4 active users are concerned (scope "all").
    const p = await procedure(t, 'QT-TEST-ACK');
    const { documentId } = await document(t, p, 'TL-ACK-01', [{ effectiveFrom: '2026-11-16', nextReviewDue: '2027-11-16' }], t.users.quality_officer);
    await audited('a revision took effect');
    html = await home(officer);
    expect(acks()).toContain(`<a href="/documents/${documentId}"><code>TL-ACK-01</code></a> lần ban hành 1 — 0/4 người đã xác nhận, còn 4 người`);
    expect(acks()).not.toContain('đều đã được xác nhận đủ');
    expect(html.split('data-tile="nc-major"').length - 1).toBe(1);
  });
});
