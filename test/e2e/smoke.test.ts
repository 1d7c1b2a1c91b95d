import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, newPage, screenshot, signInWithKeyboard, startE2E, type E2E } from './support/browser';

// Callbacks given to page.evaluate run in the browser; the project's tsconfig has no DOM lib, so name what they use here.
declare const document: any, window: any;
declare function getComputedStyle(el: unknown): any;

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 120_000);
afterAll(async () => e2e?.close());

describe('in a real browser', () => {
  it('signs in with the keyboard only, with a visible focus ring, and the pages pass axe in both languages', async () => {
    const page = await newPage(e2e);
    await page.goto(`${e2e.base}/login`);
    await expectAccessible(page, 'login vi');
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => document.activeElement?.textContent?.trim());
    expect(skip).toBe('Bỏ qua, đến nội dung chính');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    expect(outline).not.toBe('none');
    await signInWithKeyboard(e2e, page, 'thuky');
    await page.goto(`${e2e.base}/procedures?q=tro%20cap`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Danh mục quy trình');
    expect(await page.locator('table tbody tr').count()).toBeGreaterThan(3);
    await expectAccessible(page, 'procedures vi');
    await screenshot(page, 'procedures-vi');
    await page.goto(`${e2e.base}/procedures?lang=en`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Procedure register');
    await expectAccessible(page, 'procedures en');
    const phone = await newPage(e2e, { width: 390, height: 844 });
    await signInWithKeyboard(e2e, phone, 'canbo');
    await phone.goto(`${e2e.base}/procedures`);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await screenshot(phone, 'procedures-phone');
  });
});
