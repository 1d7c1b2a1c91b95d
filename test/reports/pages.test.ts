import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app';
import { buildScenario } from './fixtures';

/**
 * Every page of the reports and dashboards, in both languages, for the roles that use them: 200, every visible word
 * translated (no i18n key left in the page), no inline script or style, labels on the period inputs.
 */
let t: TestApp;
const PERIOD = 'from=2026-01-01&to=2026-03-31';
const PAGES = [
  '/reports',
  `/reports/procedures/QT-TEST-01?${PERIOD}`,
  `/reports/procedures/QT-TEST-02?${PERIOD}`,
  `/reports/summary?${PERIOD}`,
  '/reports/annual',
  '/reports/annual/2026',
  '/reports/annual/2026/edit',
  '/',
];

beforeAll(async () => {
  t = await createTestApp();
  await buildScenario(t);
});
afterAll(async () => t.close());

describe('report and dashboard pages', () => {
  for (const lang of ['vi', 'en'] as const) {
    for (const role of ['quality_officer', 'leader', 'admin'] as const) {
      it(`render in ${lang} for ${role} with every word translated`, async () => {
        const who = await t.signIn(role);
        for (const path of PAGES) {
          const res = await who.get(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
          expect(res.status, path).toBe(200);
          const text = res.text.replace(/<(script|style)[\s\S]*?<\/\1>/g, '');
          expect(text, path).not.toMatch(/>\s*(reports|dashboard)\.[a-z_.]+\s*</);
          expect(text, path).not.toMatch(/"(reports|dashboard)\.[a-z_]+\.[a-z_.]+"/);
          expect(text, path).not.toMatch(/ style=|<script|\son[a-z]+=/);
        }
      });
    }
  }

  it('staff see their dashboard but none of the reports', async () => {
    const staff = await t.signIn('staff');
    expect((await staff.get('/')).status).toBe(200);
    for (const path of PAGES.filter((p) => p !== '/')) expect((await staff.get(path)).status, path).toBe(403);
  });

  it('opens a procedure report from the index form, and 404s an unknown code', async () => {
    const q = await t.signIn('quality_officer');
    const res = await q.get(`/reports/open?code=QT-TEST-03&${PERIOD}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/reports/procedures/QT-TEST-03?${PERIOD}`);
    expect((await q.get(`/reports/open?code=NOPE&${PERIOD}`)).status).toBe(404);
    const quarter = await q.get('/reports/open?code=QT-TEST-03');
    expect(quarter.headers.location).toBe('/reports/procedures/QT-TEST-03?from=2026-10-01&to=2026-11-26');
  });

  it('shows the period problem and the picker on the HTML report with a bad period (400)', async () => {
    const q = await t.signIn('quality_officer');
    const res = await q.get('/reports/procedures/QT-TEST-01?from=2026-03-31');
    expect(res.status).toBe(400);
    expect(res.text).toContain('Thiếu tham số &quot;to&quot;');
    expect(res.text).toContain('<label for="period-from">Từ ngày</label>');
    expect(res.text).toMatch(/href="\/reports\/procedures\/QT-TEST-01\?from(=|&#x3D;)2026-10-01&amp;to(=|&#x3D;)2026-11-26">Quý này/);
  });
});
