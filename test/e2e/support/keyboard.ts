import type { Page } from 'playwright-core';
import { expect } from 'vitest';

// Callbacks given to page.evaluate run in the browser; the project's tsconfig has no DOM lib, so name what they use here.
declare const document: any;
declare function getComputedStyle(el: unknown): any;

/**
 * Keyboard-only driving: Tab through the page until the wanted control has the focus (proving it is
 * reachable without a mouse), check that the focus can be seen at every stop, then press Enter or Space.
 */

export interface Focused {
  tag: string;
  text: string;
  visible: boolean;
}

/** What has the focus, its accessible-ish text and whether the focus is drawn (outline or ring). */
export async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', text: '', visible: false };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const ring = style.boxShadow !== 'none' && style.boxShadow !== '';
    const label = el.id ? (document.querySelector(`label[for="${el.id}"]`)?.textContent ?? '') : '';
    const text = (el.getAttribute('aria-label') ?? (el.textContent || el.value || '')) + ' ' + label;
    return { tag: el.tagName.toLowerCase(), text: text.replace(/\s+/g, ' ').trim(), visible: outline || ring };
  });
}

/**
 * Presses Tab (at most `max` times) until the focused element's text matches; every focus stop on the way
 * must be visible. Fails, naming the stops, when the control cannot be reached.
 */
export async function tabTo(page: Page, wanted: string | RegExp, max = 120): Promise<Focused> {
  const matches = (text: string) => (typeof wanted === 'string' ? text.includes(wanted) : wanted.test(text));
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now.tag !== 'body') expect(now.visible, `focus not visible on <${now.tag}> "${now.text}"`).toBe(true);
    if (matches(now.text)) return now;
    seen.push(`${now.tag}:${now.text.slice(0, 40)}`);
  }
  throw new Error(`could not reach "${String(wanted)}" with Tab; stops: ${seen.slice(-15).join(' | ')}`);
}

/** Presses a key on the focused control and waits for the page it leads to (a link or a form post). */
export async function pressAndWait(page: Page, key = 'Enter'): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press(key)]);
}

/** Tab to a control and activate it with Enter, waiting for the next page. */
export async function tabAndEnter(page: Page, wanted: string | RegExp): Promise<void> {
  await tabTo(page, wanted);
  await pressAndWait(page);
}

/**
 * Tabs through the first `stops` focus stops of the page from the top; every one must show its focus. Returns
 * how many distinct controls were reached (a page with nothing to tab to fails).
 */
export async function expectVisibleFocusStops(page: Page, label: string, stops = 20): Promise<number> {
  await page.evaluate(() => document.activeElement?.blur?.());
  const seen = new Set<string>();
  for (let i = 0; i < stops; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now.tag === 'body') break;
    expect.soft(now.visible, `${label}: focus not visible on <${now.tag}> "${now.text.slice(0, 60)}"`).toBe(true);
    seen.add(`${now.tag}:${now.text}`);
  }
  expect.soft(seen.size, `${label}: nothing to reach with Tab`).toBeGreaterThan(0);
  return seen.size;
}
