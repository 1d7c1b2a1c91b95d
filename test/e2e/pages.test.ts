import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectVisibleFocusStops } from './support/keyboard';
import {
  expectAccessible,
  expectNoSidewaysScroll,
  keepScreenshotsOfFailures,
  newPage,
  screenshot,
  signInWithKeyboard,
  startE2E,
  type E2E,
} from './support/browser';

/**
 * The main pages of every role on the demo data, in a real browser: axe finds no serious or critical problem in
 * Vietnamese at 1366×768 nor in English on a phone (390 px), the first twenty Tab stops all show the focus, the
 * page never scrolls sideways on the phone; with E2E_SCREENSHOTS=1 each page leaves a screenshot of both in
 * test-artifacts/ (looked at by people, not compared by machines).
 */
let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 180_000);
afterAll(async () => e2e?.close());
keepScreenshotsOfFailures(() => e2e);

/** The model office's people, and the demo province's inspector, administrator and a successor commune's quality officer. */
type Role = 'canbo' | 'thuky' | 'lanhdao' | 'admin' | 'kiemtra' | 'quantri.tinh' | 'thuky.nh';
interface Visit {
  name: string;
  path: string;
  /** The page's main heading contains this (Vietnamese), so an error page cannot pass for the page. */
  heading: RegExp;
}

const year = new Date().getFullYear();

async function pagesOf(role: Role): Promise<Visit[]> {
  const db = e2e.ctx.db;
  const docId = async (code: string) => (await db.selectFrom('documents').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  const ncId = async (status: 'in_progress' | 'closed') =>
    (await db.selectFrom('nonconformities').select('id').where('status', '=', status).orderBy('id').executeTakeFirstOrThrow()).id;
  const audit = await db.selectFrom('audits').select('id').where('status', '=', 'in_progress').orderBy('id').executeTakeFirstOrThrow();
  const inReview = await db.selectFrom('document_revisions').select(['id', 'document_id']).where('status', '=', 'in_review').executeTakeFirstOrThrow();
  const report = `/reports/procedures/QT-BTXH-01?from=${year}-01-01&to=${year}-06-30`;
  const risk = await db.selectFrom('risks').select('id').where('code', '=', 'R-002').executeTakeFirstOrThrow();
  const objective = await db.selectFrom('quality_objectives').select('id').where('year', '=', year).orderBy('seq').executeTakeFirstOrThrow();
  const declaration = await db.selectFrom('qms_declarations').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
  const review = await db.selectFrom('management_reviews').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
  const slip = await db.selectFrom('apology_slips').select(['id', 'dossier_id']).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const complaint = await db.selectFrom('feedback').select('id').where('outcome', '=', 'nonconformity').executeTakeFirstOrThrow();
  const openFeedback = await db.selectFrom('feedback').select('id').where('status', '=', 'open').orderBy('id').executeTakeFirstOrThrow();
  const apiTokenId = async () => (await db.selectFrom('api_tokens').select('id').where('revoked_at', 'is', null).orderBy('id').executeTakeFirstOrThrow()).id;
  const userId = async (username: string) => (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
  const surveySet = await db.selectFrom('survey_question_sets').select('id').where('status', '=', 'active').orderBy('id').executeTakeFirstOrThrow();
  switch (role) {
    case 'canbo':
      return [
        { name: 'dashboard-staff', path: '/', heading: /Xin chào/ },
        { name: 'current-documents', path: '/documents/current', heading: /Tài liệu hiện hành/ },
        { name: 'document', path: `/documents/${await docId('QT-BTXH-01')}`, heading: /QT-BTXH-01/ },
        { name: 'my-actions', path: '/actions/mine', heading: /Việc của tôi/ },
        { name: 'report-problem', path: '/nonconformities/report', heading: /.+/ },
        { name: 'procedures', path: '/procedures', heading: /Danh mục quy trình/ },
        { name: 'feedback-new', path: '/feedback/new', heading: /Ghi nhận phản ánh, kiến nghị/ },
        { name: 'feedback-mine', path: '/feedback/mine', heading: /Phản ánh, kiến nghị được giao cho tôi/ },
        { name: 'inbox', path: '/inbox', heading: /Hộp thư/ },
        { name: 'competence-own', path: `/competence/people/${await userId('canbo')}`, heading: /Đào tạo và năng lực/ },
      ];
    case 'thuky':
      return [
        { name: 'dashboard-quality', path: '/', heading: /Xin chào/ },
        { name: 'document-register', path: '/documents', heading: /Danh mục tài liệu/ },
        { name: 'revision-in-review', path: `/documents/${inReview.document_id}/revisions/${inReview.id}`, heading: /.+/ },
        { name: 'document-word-controlled', path: `/documents/${await docId('HD-MC-01')}?copy=1`, heading: /HD-MC-01/ },
        { name: 'document-compare-word', path: `/documents/${await docId('HD-MC-01')}/compare`, heading: /HD-MC-01/ },
        { name: 'revision-new-word', path: `/documents/${await docId('HD-MC-01')}/revisions/new`, heading: /HD-MC-01/ },
        { name: 'nc-list', path: '/nonconformities', heading: /sự không phù hợp/i },
        { name: 'nc-in-progress', path: `/nonconformities/${await ncId('in_progress')}`, heading: /NC-/ },
        { name: 'nc-closed', path: `/nonconformities/${await ncId('closed')}`, heading: /NC-/ },
        { name: 'nc-print', path: `/nonconformities/${await ncId('closed')}/print`, heading: /PHIẾU|Phiếu/ },
        { name: 'actions', path: '/actions', heading: /.+/ },
        { name: 'audits', path: '/audits', heading: /Đánh giá nội bộ/ },
        { name: 'audit', path: `/audits/${audit.id}`, heading: /ĐGNB-/ },
        { name: 'audit-checklist', path: `/audits/${audit.id}/checklist`, heading: /Phiếu kiểm tra/ },
        { name: 'audit-fill', path: `/audits/${audit.id}/fill`, heading: /Điền phiếu kiểm tra/ },
        { name: 'audit-programme', path: `/audits/programmes/${year}`, heading: new RegExp(String(year)) },
        { name: 'audit-questions', path: '/audits/questions?clause=8.5', heading: /Bộ câu hỏi đánh giá/ },
        { name: 'dossiers', path: '/dossiers', heading: /hồ sơ/i },
        { name: 'dossiers-procedure', path: '/dossiers/procedures/QT-BTXH-01', heading: /QT-BTXH-01/ },
        { name: 'dossier-import', path: '/dossiers/import', heading: /Nhập hồ sơ/ },
        { name: 'reports', path: '/reports', heading: /Báo cáo/ },
        { name: 'compliance-report', path: report, heading: /Báo cáo đánh giá sự tuân thủ/ },
        { name: 'summary', path: '/reports/summary', heading: /.+/ },
        { name: 'annual-reports', path: '/reports/annual', heading: /.+/ },
        { name: 'annual-report', path: `/reports/annual/${year - 1}`, heading: /Báo cáo HTQLCL năm/ },
        { name: 'annual-report-edit', path: `/reports/annual/${year}/edit`, heading: /Phần nhận xét/ },
        { name: 'declarations', path: '/declarations', heading: /Công bố hệ thống quản lý chất lượng/ },
        { name: 'declaration-print', path: `/declarations/${declaration.id}/print`, heading: /.+/ },
        { name: 'objectives', path: `/objectives?year=${year}`, heading: /.+/ },
        { name: 'objective', path: `/objectives/${objective.id}`, heading: /.+/ },
        { name: 'objectives-print', path: `/objectives/print?year=${year}`, heading: /.+/ },
        { name: 'risks', path: '/risks', heading: /Sổ đăng ký rủi ro và cơ hội/ },
        { name: 'risk', path: `/risks/${risk.id}`, heading: /R-002/ },
        { name: 'risk-matrix', path: '/risks/matrix', heading: /Ma trận mức rủi ro/ },
        { name: 'risks-print', path: '/risks/print', heading: /.+/ },
        { name: 'reviews', path: '/reviews', heading: /.+/ },
        { name: 'review', path: `/reviews/${review.id}`, heading: /.+/ },
        { name: 'review-print', path: `/reviews/${review.id}/print`, heading: /.+/ },
        { name: 'apologies', path: '/apologies', heading: /Phiếu xin lỗi và hẹn lại ngày trả kết quả/ },
        { name: 'apology-dossier', path: `/apologies/dossiers/${slip.dossier_id}`, heading: /Phiếu xin lỗi của hồ sơ/ },
        { name: 'apology-print', path: `/apologies/${slip.id}/print`, heading: /.+/ },
        { name: 'survey-results', path: `/surveys/results?from=${year}-01-01&to=${year}-12-31`, heading: /Kết quả khảo sát sự hài lòng/ },
        { name: 'feedback', path: '/feedback', heading: /Sổ theo dõi phản ánh, kiến nghị/ },
        { name: 'feedback-complaint', path: `/feedback/${complaint.id}`, heading: /PA-/ },
        { name: 'feedback-open', path: `/feedback/${openFeedback.id}`, heading: /PA-/ },
        { name: 'feedback-edit', path: `/feedback/${openFeedback.id}/edit`, heading: /PA-/ },
        { name: 'survey-sets', path: '/surveys/sets', heading: /Bộ câu hỏi khảo sát sự hài lòng/ },
        { name: 'survey-set', path: `/surveys/sets/${surveySet.id}`, heading: /Bộ câu hỏi phiên bản/ },
        { name: 'survey-responses', path: '/surveys/responses', heading: /Phiếu khảo sát đã nhận/ },
        { name: 'survey-cards', path: '/surveys/cards?all=1&counter=Qu%E1%BA%A7y%202', heading: /Thẻ mã QR khảo sát sự hài lòng/ },
        { name: 'competence-training', path: '/competence/training', heading: /Hồ sơ đào tạo/ },
        { name: 'competence-matrix', path: '/competence/auditors', heading: /Ma trận năng lực chuyên gia đánh giá/ },
        { name: 'competence-person', path: `/competence/people/${await userId('danhgia')}`, heading: /Đào tạo và năng lực/ },
        { name: 'competence-new', path: '/competence/training/new', heading: /Thêm hồ sơ đào tạo/ },
        { name: 'audit-new', path: '/audits/new', heading: /.+/ },
      ];
    case 'lanhdao':
      return [{ name: 'dashboard-leader', path: '/', heading: /Xin chào/ }];
    case 'admin':
      return [
        { name: 'dashboard-admin', path: '/', heading: /.+/ },
        { name: 'users', path: '/admin/users', heading: /.+/ },
        { name: 'units', path: '/admin/units', heading: /.+/ },
        { name: 'organisation', path: '/admin/organisation', heading: /.+/ },
        { name: 'signers', path: '/admin/organisation/signers', heading: /Người ký văn bản/ },
        { name: 'holidays', path: '/admin/holidays', heading: /.+/ },
        { name: 'audit-log', path: '/admin/audit-log', heading: /.+/ },
        { name: 'notification-settings', path: '/admin/notifications', heading: /Cài đặt thông báo/ },
        { name: 'my-notifications', path: '/account/notifications', heading: /Thông báo của tôi/ },
        { name: 'outbox', path: '/admin/outbox', heading: /Hộp thư đi/ },
        { name: 'api-tokens', path: '/admin/api-tokens', heading: /Mã truy cập API/ },
        { name: 'api-token', path: `/admin/api-tokens/${await apiTokenId()}`, heading: /Mã truy cập API/ },
      ];
    case 'kiemtra':
      return [
        { name: 'oversight', path: '/oversight', heading: /.+/ },
        { name: 'inbox-inspector', path: '/inbox', heading: /Hộp thư/ },
        { name: 'oversight-print', path: '/oversight/print', heading: /.+/ },
        { name: 'inspector-summary', path: '/reports/summary?org=XA-YK', heading: /.+/ },
      ];
    case 'quantri.tinh':
      return [
        { name: 'organisations', path: '/admin/organisations', heading: /Cơ quan trực thuộc/ },
        { name: 'organisation-new', path: '/admin/organisations/new', heading: /Thêm cơ quan trực thuộc/ },
        { name: 'reorganise', path: '/admin/organisations/reorganise', heading: /Sắp xếp lại cơ quan/ },
      ];
    case 'thuky.nh':
      return [
        { name: 'lineage', path: '/organisation/lineage', heading: /Lịch sử sắp xếp cơ quan/ },
        { name: 'summary-with-predecessors', path: '/reports/summary?with=predecessors', heading: /.+/ },
      ];
  }
}

const withLang = (path: string, lang: 'vi' | 'en') => {
  const url = new URL(path, 'http://x');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
};

async function open(page: Page, path: string, label: string): Promise<void> {
  const response = await page.goto(`${e2e.base}${path}`);
  expect(response?.status(), `${label}: HTTP status`).toBeLessThan(400);
}

describe('every main page, in both languages and at two widths', { timeout: 300_000 }, () => {
  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  it('the sign-in page', async () => {
    const page = await newPage(e2e);
    contexts.push(page.context());
    await open(page, '/login', 'login');
    await expectAccessible(page, 'login vi');
    await screenshot(page, 'page-login');
    await open(page, '/login?lang=en', 'login en');
    await expectAccessible(page, 'login en');
  });

  it('the JSON API page (public, its own plain layout)', async () => {
    const desk = await newPage(e2e);
    const phone = await newPage(e2e, { width: 390, height: 844 });
    contexts.push(desk.context(), phone.context());
    await open(desk, '/api/v1/docs?lang=vi', 'api-docs vi');
    expect(await desk.locator('h1').allInnerTexts()).toContainEqual(expect.stringMatching(/API của hệ thống/));
    await expectAccessible(desk, 'api-docs vi');
    await expectVisibleFocusStops(desk, 'api-docs vi');
    await screenshot(desk, 'page-api-docs', false);
    await open(phone, '/api/v1/docs?lang=en', 'api-docs en, phone');
    await expectNoSidewaysScroll(phone, 'api-docs phone');
    await expectAccessible(phone, 'api-docs en, phone');
    await screenshot(phone, 'page-api-docs-phone-en', false);
  });

  for (const role of ['canbo', 'thuky', 'lanhdao', 'admin', 'kiemtra', 'quantri.tinh', 'thuky.nh'] as const) {
    it(`the pages of ${role}`, async () => {
      const desk = await newPage(e2e);
      const phone = await newPage(e2e, { width: 390, height: 844 });
      contexts.push(desk.context(), phone.context());
      await signInWithKeyboard(e2e, desk, role);
      await signInWithKeyboard(e2e, phone, role);
      for (const visit of await pagesOf(role)) {
        await open(desk, withLang(visit.path, 'vi'), `${visit.name} vi`);
        expect.soft(await desk.locator('h1').allInnerTexts(), `${visit.name}: heading`).toContainEqual(expect.stringMatching(visit.heading));
        await expectAccessible(desk, `${visit.name} vi`, { soft: true });
        await screenshot(desk, `page-${visit.name}`, false);
        await expectVisibleFocusStops(desk, `${visit.name} vi`);

        await open(phone, withLang(visit.path, 'en'), `${visit.name} en, phone`);
        await expectNoSidewaysScroll(phone, `${visit.name} phone`, { soft: true });
        await expectAccessible(phone, `${visit.name} en, phone`, { soft: true });
        await screenshot(phone, `page-${visit.name}-phone-en`, false);
      }
    });
  }

  it('the compliance report as printed (print media)', async () => {
    const page = await newPage(e2e);
    contexts.push(page.context());
    await signInWithKeyboard(e2e, page, 'thuky');
    await open(page, `/reports/procedures/QT-BTXH-01?from=${year}-01-01&to=${year}-06-30`, 'report');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.topbar').isVisible()).toBe(false);
    expect(await page.locator('.doc-header').isVisible()).toBe(true);
    await page.setViewportSize({ width: 794, height: 1123 });
    await screenshot(page, 'page-compliance-report-print');
  });
});
