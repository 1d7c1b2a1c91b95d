import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, flashText, keepScreenshotsOfFailures, newPage, screenshot, signInWithKeyboard, startE2E, visit, type E2E } from './support/browser';
import { focused, pressAndWait, tabAndEnter, tabTo } from './support/keyboard';

/**
 * Journeys 1 and 2 (document control), in a real browser on the demo data:
 *  1. staff read a procedure and acknowledge it, with the keyboard only;
 *  2. a quality officer drafts the next revision, a deputy head reviews it, the head approves it with their
 *     password (a wrong one is refused first), and staff are asked to acknowledge what changed.
 * Then journey 1 again in English. Every page reached is checked with axe.
 */
let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 180_000);
afterAll(async () => e2e?.close());
keepScreenshotsOfFailures(() => e2e);

const DOC_CODE = 'QT-HT-03';
const DOC_TITLE = 'Xem xét của lãnh đạo';
const CHANGE = 'Bổ sung đầu vào về mức độ hài lòng của người dân (Chỉ số SIPAS) trước cuộc họp.';

async function documentId(code: string): Promise<number> {
  const row = await e2e.ctx.db.selectFrom('documents').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  return row.id;
}

const h1 = (page: Page) => page.locator('h1').first().innerText();

describe('document control in a real browser', { timeout: 300_000 }, () => {
  let staff: Page;

  it('1. staff open "Tài liệu hiện hành", read a procedure and acknowledge it — keyboard only', async () => {
    staff = await newPage(e2e);
    await signInWithKeyboard(e2e, staff, 'canbo');
    await expectAccessible(staff, 'staff dashboard');
    await screenshot(staff, 'journey1-dashboard-staff');

    await tabAndEnter(staff, 'Tài liệu hiện hành');
    expect(await h1(staff)).toBe('Tài liệu hiện hành');
    const pending = staff.getByRole('region', { name: /Tài liệu bạn cần đọc và xác nhận/ });
    await expect(pending.getByRole('link', { name: `${DOC_CODE} ${DOC_TITLE}` }).count()).resolves.toBe(1);
    await expectAccessible(staff, 'current documents (staff)');

    await tabAndEnter(staff, `${DOC_CODE} ${DOC_TITLE}`);
    expect(await h1(staff)).toBe(`${DOC_CODE} ${DOC_TITLE}`);
    await expect(staff.getByRole('heading', { name: 'Bạn cần đọc và xác nhận lần ban hành này' }).count()).resolves.toBe(1);
    await expect(staff.locator('.doc-control-header').innerText()).resolves.toContain('Lần ban hành\t1');
    await expectAccessible(staff, 'document page, acknowledgement asked');

    await tabTo(staff, 'Tôi đã đọc và hiểu');
    expect((await focused(staff)).tag).toBe('button');
    await pressAndWait(staff);
    expect(await flashText(staff)).toBe('Cảm ơn bạn đã xác nhận đã đọc tài liệu.');
    await expect(staff.locator('.ack-box').innerText()).resolves.toMatch(/✓ Đã đọc và xác nhận\s+Bạn đã xác nhận lúc \d\d\/\d\d\/\d{4} \d\d:\d\d\./);
    await expectAccessible(staff, 'document page, acknowledged');
    await screenshot(staff, 'journey1-acknowledged');

    await tabAndEnter(staff, 'Tài liệu hiện hành');
    await expect(pending.getByRole('link', { name: `${DOC_CODE} ${DOC_TITLE}` }).count()).resolves.toBe(0);
    const acks = await e2e.ctx.db
      .selectFrom('document_acknowledgements as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .innerJoin('document_revisions as r', 'r.id', 'a.revision_id')
      .innerJoin('documents as d', 'd.id', 'r.document_id')
      .select(['r.revision_no'])
      .where('u.username', '=', 'canbo')
      .where('d.code', '=', DOC_CODE)
      .execute();
    expect(acks).toEqual([{ revision_no: 1 }]);
  });

  it('2. a quality officer drafts revision 2, a leader approves it with their password, staff acknowledge what changed', async () => {
    const id = await documentId(DOC_CODE);

    // Thư ký ISO: from the master list to the document, then a new revision with its change summary.
    const officer = await newPage(e2e);
    await signInWithKeyboard(e2e, officer, 'thuky');
    await visit(e2e, officer, '/documents', 'master document list');
    await officer.getByLabel('Mã hiệu hoặc tên').fill(DOC_CODE);
    await officer.getByRole('button', { name: 'Lọc' }).click();
    await officer.locator('#main').getByRole('link', { name: DOC_TITLE, exact: true }).click();
    expect(officer.url()).toBe(`${e2e.base}/documents/${id}`);
    await expectAccessible(officer, 'document page (officer)');
    await officer.getByRole('link', { name: 'Soạn lần ban hành mới' }).click();
    expect(await h1(officer)).toContain('Lần ban hành 2');
    await expectAccessible(officer, 'new revision form');
    await officer.getByRole('button', { name: 'Tạo dự thảo' }).click();
    expect(officer.url()).toMatch(/\/revisions$/);
    await expect(officer.locator('#e-change_summary').innerText()).resolves.not.toBe('');
    await expectAccessible(officer, 'new revision form with an error');
    await officer.getByLabel('Nội dung sửa đổi').fill(CHANGE);
    const body = officer.getByLabel('Nội dung (Markdown)');
    await body.fill(`${await body.inputValue()}\n\nĐầu vào bổ sung: kết quả đo lường Chỉ số SIPAS của năm.\n`);
    await officer.getByRole('button', { name: 'Tạo dự thảo' }).click();
    expect(await flashText(officer)).toBe('Đã tạo dự thảo.');
    await expectAccessible(officer, 'draft revision page');
    await officer.getByRole('button', { name: 'Trình xem xét' }).click();
    expect(await flashText(officer)).toBe('Đã trình xem xét.');
    const revisionUrl = officer.url();

    // Phó Trưởng phòng reviews and signs.
    const deputy = await newPage(e2e);
    await signInWithKeyboard(e2e, deputy, 'phophong');
    await visit(e2e, deputy, new URL(revisionUrl).pathname, 'revision in review');
    await deputy.getByLabel('Mật khẩu (ký điện tử)').fill('phophong@Demo2026');
    await deputy.getByRole('button', { name: 'Ký xem xét' }).click();
    expect(await flashText(deputy)).toBe('Đã ký xem xét. Đang chờ lãnh đạo phê duyệt.');

    // Trưởng phòng finds it on the dashboard, mistypes the password once, then approves.
    const leader = await newPage(e2e);
    await signInWithKeyboard(e2e, leader, 'lanhdao');
    const waiting = leader
      .getByRole('region', { name: /Chờ bạn ký/ })
      .getByRole('listitem')
      .filter({ hasText: DOC_CODE })
      .filter({ hasText: 'lần ban hành 2' })
      .getByRole('link');
    await expect(waiting.count()).resolves.toBe(1);
    await expectAccessible(leader, 'leader dashboard');
    await screenshot(leader, 'journey2-dashboard-leader');
    await waiting.click();
    expect(leader.url()).toBe(revisionUrl);
    await expect(leader.getByRole('heading', { name: 'Phê duyệt và ban hành' }).count()).resolves.toBe(1);
    await expectAccessible(leader, 'revision awaiting approval');
    await leader.getByLabel('Mật khẩu (ký điện tử)').fill('not-my-password');
    await leader.getByRole('button', { name: 'Ký phê duyệt' }).click();
    await expect(leader.locator('#e-approve_password').innerText()).resolves.not.toBe('');
    await expect(leader.getByLabel('Mật khẩu (ký điện tử)').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectAccessible(leader, 'approval refused: wrong password');
    await leader.getByLabel('Mật khẩu (ký điện tử)').fill('lanhdao@Demo2026');
    await leader.getByRole('button', { name: 'Ký phê duyệt' }).click();
    expect(await flashText(leader)).toBe('Đã phê duyệt; lần ban hành mới có hiệu lực từ hôm nay.');
    expect(leader.url()).toBe(`${e2e.base}/documents/${id}`);
    await expect(leader.locator('.doc-control-header').innerText()).resolves.toContain('Lần ban hành\t2');
    await expect(leader.locator('.doc-signoff').innerText()).resolves.toMatch(/Nguyễn Thị Lan\tĐỗ Thị Hạnh\tPhạm Văn Minh/);
    await expectAccessible(leader, 'document page after approval (leader)');
    await screenshot(leader, 'journey2-document-approved');

    // Staff: revision 2 is current and asks to be acknowledged, saying what changed since revision 1.
    await staff.goto(`${e2e.base}/documents/current`);
    const item = staff
      .getByRole('region', { name: /Tài liệu bạn cần đọc và xác nhận/ })
      .getByRole('listitem')
      .filter({ hasText: DOC_CODE });
    await expect(item.innerText()).resolves.toMatch(/Lần ban hành 2.*thay đổi so với lần 1/);
    await expectAccessible(staff, 'current documents, revision 2 pending');
    await staff.getByRole('link', { name: `${DOC_CODE} ${DOC_TITLE}` }).click();
    const box = staff.locator('.ack-box');
    await expect(box.innerText()).resolves.toContain('Những thay đổi kể từ lần ban hành 1 mà bạn đã xác nhận:');
    await expect(box.getByRole('listitem').innerText()).resolves.toContain(CHANGE);
    await staff.getByText('Xem chi tiết thay đổi so với lần ban hành 1').click();
    await expect(box.locator('ins.diff').first().innerText()).resolves.toContain('SIPAS');
    await expectAccessible(staff, 'document page, what changed');
    await screenshot(staff, 'journey2-staff-what-changed');
    await staff.getByRole('button', { name: 'Tôi đã đọc và hiểu' }).click();
    expect(await flashText(staff)).toBe('Cảm ơn bạn đã xác nhận đã đọc tài liệu.');

    const signatures = await e2e.ctx.db
      .selectFrom('e_signatures as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .innerJoin('document_revisions as r', 'r.id', 's.entity_id')
      .select(['s.meaning', 'u.username'])
      .where('s.entity', '=', 'document_revision')
      .where('r.document_id', '=', id)
      .where('r.revision_no', '=', 2)
      .orderBy('s.id')
      .execute();
    expect(signatures).toEqual([
      { meaning: 'reviewed', username: 'phophong' },
      { meaning: 'approved', username: 'lanhdao' },
    ]);
    for (const p of [officer, deputy, leader]) await p.context().close();
  });

  it('5. the same reading and acknowledgement in English', async () => {
    const page = await newPage(e2e, { lang: 'en' });
    await signInWithKeyboard(e2e, page, 'motcua');
    await expectAccessible(page, 'staff dashboard (en)');
    await tabAndEnter(page, 'Current documents');
    expect(await h1(page)).toBe('Current documents');
    await expectAccessible(page, 'current documents (en)');
    const pending = page.getByRole('region', { name: /Documents you need to read and acknowledge/ });
    const first = pending.getByRole('link').first();
    const name = (await first.innerText()).trim();
    await tabAndEnter(page, name);
    await expect(
      page
        .getByRole('heading', { name: /acknowledge/i })
        .first()
        .count(),
    ).resolves.toBe(1);
    await expectAccessible(page, 'document page (en)');
    await screenshot(page, 'journey5-document-en');
    await tabAndEnter(page, 'I have read and understood it');
    expect(await flashText(page)).toBe('Thank you for acknowledging the document.');
    await expect(page.locator('.ack-box').innerText()).resolves.toMatch(/✓ Read and acknowledged/);
    await expectAccessible(page, 'document acknowledged (en)');
    await page.goto(`${e2e.base}/documents/current`);
    await expect(pending.getByRole('link', { name }).count()).resolves.toBe(0);
  });
});
