import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, flashText, keepScreenshotsOfFailures, newPage, screenshot, signInWithKeyboard, startE2E, visit, type E2E } from './support/browser';

/**
 * Journey 3, in a real browser on the demo data: the ISO secretary plans an internal audit (the independence
 * rule refuses her as lead auditor of a procedure of her own unit), the independent auditor records a major
 * nonconformity in the checklist, the nonconformity appears in the register, its root cause is analysed, an
 * action is assigned to a staff member who marks it done, and the head of office verifies it effective, which
 * closes the nonconformity. Every page reached is checked with axe.
 */
let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 180_000);
afterAll(async () => e2e?.close());
keepScreenshotsOfFailures(() => e2e);

const PROCEDURE = 'QT-NCC-03';
const STATEMENT = 'Hồ sơ số 000.00.23.H42-260915-0007 trả kết quả quá hạn 03 ngày nhưng không có văn bản xin lỗi người nộp hồ sơ.';
const ACTION = 'Lập mẫu Phiếu xin lỗi và hẹn lại ngày trả kết quả; phổ biến cho cán bộ Một cửa.';

const h1 = (page: Page) => page.locator('h1').first().innerText();
const status = (page: Page) => page.locator('main .badge').first().innerText();

describe('from an internal audit to a closed nonconformity', { timeout: 300_000 }, () => {
  let officer: Page;
  let auditUrl = '';
  let ncUrl = '';
  let ncCode = '';

  it('3a. the ISO secretary plans the audit; she may not lead it (her unit owns the procedure), the VP auditor may', async () => {
    officer = await newPage(e2e);
    await signInWithKeyboard(e2e, officer, 'thuky');
    await officer.locator('nav').getByRole('link', { name: 'Đánh giá nội bộ' }).click();
    expect(await h1(officer)).toBe('Đánh giá nội bộ');
    await expectAccessible(officer, 'audits list');
    await officer.getByRole('link', { name: 'Lập kế hoạch đánh giá' }).click();
    expect(await h1(officer)).toBe('Lập kế hoạch đánh giá');
    await expectAccessible(officer, 'audit form');

    await officer.getByLabel('Tên cuộc đánh giá').fill('Đánh giá nội bộ quy trình trợ cấp thân nhân liệt sĩ');
    await officer.getByRole('checkbox', { name: new RegExp(`^${PROCEDURE} — `) }).check();
    await officer.getByRole('checkbox', { name: /^8\.5\.1 — / }).check();
    await officer.getByLabel('Trưởng đoàn đánh giá').selectOption({ label: 'Nguyễn Thị Lan (LĐTBXH)' });
    await officer.getByRole('button', { name: 'Lưu' }).click();
    const refusal = await officer.locator('#e-lead_auditor_id').innerText();
    expect(refusal).toContain(PROCEDURE);
    await expectAccessible(officer, 'audit form refused: auditor not independent');

    await officer.getByLabel('Trưởng đoàn đánh giá').selectOption({ label: 'Hoàng Văn Đức (VP)' });
    await officer.getByRole('button', { name: 'Lưu' }).click();
    expect(await flashText(officer)).toMatch(/^Đã lập cuộc đánh giá ĐGNB-\d{4}-\d+\.$/);
    auditUrl = new URL(officer.url()).pathname;
    expect(auditUrl).toMatch(/^\/audits\/\d+$/);
    await expectAccessible(officer, 'audit planned');
    await officer.getByRole('button', { name: 'Bắt đầu đánh giá' }).click();
    expect(await flashText(officer)).toBe('Đã bắt đầu cuộc đánh giá. Ghi kết quả vào phiếu kiểm tra.');
    expect(await h1(officer)).toMatch(/^Phiếu kiểm tra đánh giá/);
    await officer.getByRole('button', { name: 'Lập câu hỏi' }).click();
    expect(await officer.locator('table tbody tr').count()).toBeGreaterThan(0);
    await expectAccessible(officer, 'audit checklist');
    await screenshot(officer, 'journey3-checklist');
  });

  it('3b. the auditor records a major nonconformity; it appears in the register', async () => {
    const auditor = await newPage(e2e);
    await signInWithKeyboard(e2e, auditor, 'danhgia');
    await visit(e2e, auditor, `${auditUrl}/checklist`, 'audit checklist (auditor)');
    await auditor.locator('table tbody tr').filter({ hasText: PROCEDURE }).first().getByRole('link').click();
    await expectAccessible(auditor, 'checklist item form');
    await auditor.getByLabel('Kết quả', { exact: false }).first().selectOption({ label: 'Điểm không phù hợp nặng' });
    await auditor.getByLabel('Bằng chứng đánh giá').fill('Kiểm tra 20 hồ sơ tháng 9/2026 trên Hệ thống thông tin giải quyết TTHC.');
    await auditor.getByLabel('Nội dung phát hiện').fill(STATEMENT);
    await auditor.getByRole('button', { name: 'Lưu' }).click();
    const item = auditor.locator('table tbody tr').filter({ hasText: PROCEDURE }).filter({ hasText: 'Điểm không phù hợp nặng' });
    await expect(item.count()).resolves.toBe(1);
    await expectAccessible(auditor, 'checklist with a major finding');
    await auditor.getByRole('link', { name: 'Về cuộc đánh giá' }).click();
    const finding = auditor.locator('table tbody tr').filter({ hasText: STATEMENT });
    const link = finding.getByRole('link', { name: /^NC-/ });
    ncCode = (await link.innerText()).trim();
    expect(ncCode).toMatch(/^NC-\d{4}-\d+$/);
    await expectAccessible(auditor, 'audit page with its finding');
    await screenshot(auditor, 'journey3-audit-finding');
    await link.click();
    ncUrl = new URL(auditor.url()).pathname;
    expect(await h1(auditor)).toContain(ncCode);
    await auditor.context().close();

    await officer.locator('nav').getByRole('link', { name: 'Sự không phù hợp' }).click();
    const row = officer.locator('table tbody tr').filter({ hasText: ncCode });
    await expect(row.count()).resolves.toBe(1);
    await expect(row.innerText()).resolves.toMatch(/nặng/i);
    await expectAccessible(officer, 'nonconformity register');
    await screenshot(officer, 'journey3-nc-register');
    await row.getByRole('link').first().click();
    expect(new URL(officer.url()).pathname).toBe(ncUrl);
    await expect(officer.locator('.facts').innerText()).resolves.toContain(PROCEDURE);
    await expect(officer.locator('main').innerText()).resolves.toContain(STATEMENT);
    await expectAccessible(officer, 'nonconformity page (open)');
  });

  it('3c. root cause, an action assigned to staff, the owner marks it done, a leader verifies it effective: closed', async () => {
    await officer.getByRole('link', { name: 'Phân tích nguyên nhân' }).click();
    await expectAccessible(officer, 'root-cause analysis form');
    const why1 = officer.getByRole('group', { name: 'Tại sao thứ 1' });
    await why1.getByLabel('Tại sao?').fill('Vì sao không có văn bản xin lỗi?');
    await why1.getByLabel('Trả lời').fill('Cán bộ Một cửa không biết phải lập văn bản xin lỗi khi trả kết quả quá hạn.');
    await officer.getByLabel('Nhóm nguyên nhân').selectOption({ label: 'Phương pháp, cách làm' });
    await officer.getByLabel('Nguyên nhân gốc').fill('Quy trình chưa có bước và biểu mẫu xin lỗi khi trả kết quả quá hạn.');
    await officer.getByRole('button', { name: 'Lưu' }).click();
    expect(new URL(officer.url()).pathname).toBe(ncUrl);
    await officer.getByRole('button', { name: 'Lập kế hoạch hành động' }).click();
    await officer.getByRole('link', { name: 'Thêm hành động' }).click();
    await expectAccessible(officer, 'new action form');
    await officer.getByLabel('Loại hành động').selectOption({ label: 'Hành động khắc phục' });
    await officer.getByLabel('Nội dung hành động').fill(ACTION);
    await officer.getByLabel('Người thực hiện').selectOption({ label: 'Lê Văn Nam' });
    const due = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    await officer.getByLabel('Hạn hoàn thành').fill(due);
    await officer.getByRole('button', { name: 'Lưu' }).click();
    expect(await flashText(officer)).toBe('Đã thêm hành động.');
    if (new URL(officer.url()).pathname !== ncUrl) await officer.goto(`${e2e.base}${ncUrl}`);
    await officer.getByRole('button', { name: 'Bắt đầu thực hiện' }).click();
    expect(await status(officer)).toContain('Đang thực hiện hành động');
    await expectAccessible(officer, 'nonconformity in progress');
    await screenshot(officer, 'journey3-nc-in-progress');

    // The owner: "Việc của tôi" → the action → mark as done with what was done.
    const owner = await newPage(e2e);
    await signInWithKeyboard(e2e, owner, 'canbo');
    await owner.locator('nav').getByRole('link', { name: 'Việc của tôi' }).click();
    await expectAccessible(owner, 'my actions');
    await owner.getByRole('link', { name: ACTION }).click();
    await expectAccessible(owner, 'action page (owner)');
    await owner.getByLabel('Kết quả thực hiện').fill('Đã ban hành Phiếu xin lỗi (BM-03/QT-NCC-03) và tập huấn cho 4 cán bộ ngày 20/11/2026.');
    await owner.getByRole('button', { name: 'Đánh dấu hoàn thành' }).click();
    expect(await flashText(owner)).toBe('Đã ghi nhận hoàn thành hành động.');
    await expectAccessible(owner, 'action done');
    await owner.context().close();

    // The head of office checks the effect and closes it.
    const leader = await newPage(e2e);
    await signInWithKeyboard(e2e, leader, 'lanhdao');
    await visit(e2e, leader, ncUrl, 'nonconformity awaiting verification');
    expect(await status(leader)).toContain('Chờ kiểm tra hiệu lực');
    await leader.getByRole('link', { name: 'Kiểm tra xác nhận hiệu lực' }).click();
    await expectAccessible(leader, 'verification form');
    await leader.getByLabel('Kết quả').selectOption({ label: 'Có hiệu lực' });
    await leader.getByLabel('Bằng chứng, nhận xét').fill('Kiểm tra 15 hồ sơ quá hạn tháng 11/2026: tất cả đều có Phiếu xin lỗi.');
    await leader.getByRole('button', { name: 'Kiểm tra xác nhận hiệu lực' }).click();
    expect(await flashText(leader)).toBe('Hành động có hiệu lực: sự không phù hợp đã được đóng.');
    expect(await status(leader)).toContain('Đã đóng');
    await expectAccessible(leader, 'nonconformity closed');
    await screenshot(leader, 'journey3-nc-closed');

    const history = await e2e.ctx.db
      .selectFrom('nc_status_history as h')
      .innerJoin('nonconformities as n', 'n.id', 'h.nonconformity_id')
      .select(['h.to_status'])
      .where('n.code', '=', ncCode)
      .orderBy('h.id')
      .execute();
    expect(history.map((h) => h.to_status)).toEqual(['open', 'analysed', 'action_plan', 'in_progress', 'awaiting_verification', 'closed']);
    await leader.context().close();
  });
});
