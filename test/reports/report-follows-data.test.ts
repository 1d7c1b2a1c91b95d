import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { createTestApp, type SignedIn, type TestApp } from '../support/app';
import { newNc } from '../nonconformities/helpers';

/**
 * A procedure's compliance report follows the data: a dossier import, a correction by a later file, read again
 * through HTTP; each answer carries the time it was asked. The summary's table and the leader's tile grid follow
 * the same changes, in each language.
 */
let t: TestApp;
let quality: SignedIn;
let leader: SignedIn;
const URL = '/reports/procedures/QT-RC-01.json?from=2026-03-01&to=2026-03-31';
const HEADER = 'code,procedure_code,received_at,due_date,returned_at,outcome,channel';
const importText = (lines: string[]) =>
  importDossiers(t.ctx, { buffer: Buffer.from([HEADER, ...lines].join('\n')) }, { fileName: 'ho-so.csv', actorId: t.users.quality_officer, via: 'upload' });
const dossiersOf = async () => {
  const res = await quality.get(URL);
  expect(res.status, res.text).toBe(200);
  return res.body as { dossiers: Record<string, number>; generatedAt: string };
};

beforeAll(async () => {
  t = await createTestApp();
  await createProcedure(
    t.ctx,
    {
      code: 'QT-RC-01',
      title: 'Thủ tục thử bộ nhớ đệm',
      field: '',
      online_level: 'none',
      unit_id: null,
      on_time_target: 1,
      national_code: null,
      processing_days: 5,
    },
    null,
  );
  quality = await t.signIn('quality_officer');
  leader = await t.signIn('leader');
});
afterAll(async () => t.close());

describe('the compliance report', () => {
  it('follows an import and a later correction at once, with a fresh generatedAt', async () => {
    const empty = await dossiersOf();
    expect(empty.dossiers).toMatchObject({ received: 0, resolved: 0 });

    await importText(['RC-1,QT-RC-01,2026-03-02,2026-03-09,2026-03-05,,online', 'RC-2,QT-RC-01,2026-03-03,2026-03-10,,,online']);
    const first = await dossiersOf();
    expect(first.dossiers).toMatchObject({ received: 2, resolved: 1, early: 1, onTime: 0, late: 0, pending: 1 });

    // The same answer again comes from the cache: same figures.
    expect((await dossiersOf()).dossiers).toEqual(first.dossiers);

    // A later file returns RC-2 after its due date: one more resolved, late.
    await importText(['RC-2,QT-RC-01,2026-03-03,2026-03-10,2026-03-20,,online']);
    expect((await dossiersOf()).dossiers).toMatchObject({ received: 2, resolved: 2, early: 1, onTime: 0, late: 1, pending: 0 });

    t.clock.advance(60_000);
    const later = await dossiersOf();
    expect(later.generatedAt).toBe(t.clock.now().toISOString());
    expect(later.generatedAt).not.toBe(first.generatedAt);
  });
});

describe('the kept renderings of the summary table and the tile grid', () => {
  const SUMMARY = '/reports/summary?from=2026-11-01&to=2026-11-30';
  const receivedCell = (html: string, code: string) => new RegExp(`<tr data-code="${code}">[\\s\\S]*?data-f="received" data-v="(\\d+)"`).exec(html)?.[1];

  it('show an import, a new procedure and the other language at once', async () => {
    const before = await quality.get(SUMMARY);
    expect(before.status).toBe(200);
    expect(receivedCell(before.text, 'QT-RC-01')).toBe('0');
    expect((await quality.get(SUMMARY)).text).toBe(before.text); // the kept rendering, unchanged

    await importText(['RC-N1,QT-RC-01,2026-11-02,2026-11-09,,,online']);
    expect(receivedCell((await quality.get(SUMMARY)).text, 'QT-RC-01')).toBe('1');

    const grid = (html: string) => [...html.matchAll(/data-status="\w+">[^<]*<code>([^<]+)<\/code>/g)].map((m) => m[1]);
    const home = await leader.get('/');
    expect(grid(home.text)).toContain('QT-RC-01');
    expect(grid(home.text)).not.toContain('QT-RC-02');
    // The status chart's counts (its description) add up to the procedures shown, before and after a new one.
    const charted = (html: string) => {
      const m = /<desc id="chart-status-desc">[^<]*?(\d+)[^<]*?(\d+)[^<]*?(\d+)[^<]*<\/desc>/.exec(html);
      return m ? Number(m[1]) + Number(m[2]) + Number(m[3]) : undefined;
    };
    expect(charted(home.text)).toBe(grid(home.text).length);
    await createProcedure(
      t.ctx,
      { code: 'QT-RC-02', title: 'Thủ tục mới', field: '', online_level: 'none', unit_id: null, on_time_target: 1, national_code: null, processing_days: 5 },
      null,
    );
    const after = (await leader.get('/')).text;
    expect(grid(after)).toContain('QT-RC-02');
    expect(charted(after)).toBe(grid(home.text).length + 1);
    expect((await leader.get('/?lang=en')).text).toMatch(/<desc id="chart-status-desc">Horizontal bar chart: /);
    expect((await leader.get('/?lang=vi')).text).toMatch(/<desc id="chart-status-desc">Biểu đồ thanh ngang: /);
    const tile = (html: string) => /<code>QT-RC-02<\/code><br>([^<]+)<\/a>/.exec(html)?.[1];
    expect(tile((await leader.get('/?lang=en')).text)).toMatch(/^(Compliant|Needs attention|Non-compliant)$/);
    expect(tile((await leader.get('/?lang=vi')).text)).toMatch(/^(Đạt|Phù hợp|Cần chú ý|Không phù hợp)$/);
    expect(receivedCell((await quality.get(SUMMARY)).text, 'QT-RC-02')).toBe('0');

    const row = (html: string) => /<tr data-code="QT-RC-01">[\s\S]*?<\/tr>/.exec(html)?.[0] ?? '';
    expect(row((await quality.get(`${SUMMARY}&lang=en`)).text)).toMatch(
      /data-f="status"[^>]*><span class="badge [\w-]+">. (Compliant|Needs attention|Non-compliant)</,
    );
    expect(row((await quality.get(`${SUMMARY}&lang=vi`)).text)).toMatch(
      /data-f="status"[^>]*><span class="badge [\w-]+">. (Đạt|Phù hợp|Cần chú ý|Không phù hợp)</,
    );
  });

  it("the quality officer's home page: the tiles follow a new NC at once, in each language", async () => {
    const majors = async () => Number(/data-tile="nc-major">(\d+)</.exec((await quality.get('/')).text)?.[1]);
    const before = await majors();
    expect((await quality.get('/')).text).toContain('data-tile="nc-major"');
    await newNc(t, { title: 'Thiếu giấy tờ', severity: 'major', detectedOn: '2026-11-20' });
    expect(await majors()).toBe(before + 1);
    const english = (await quality.get('/?lang=en')).text;
    expect(english).toContain(`data-tile="nc-major">${before + 1}</span> <span class="tile-label">Open major nonconformities</span>`);
    expect((await quality.get('/?lang=vi')).text).toContain(
      `data-tile="nc-major">${before + 1}</span> <span class="tile-label">Điểm không phù hợp nặng chưa đóng</span>`,
    );
  });

  it('the summary page around the table: its filters as typed and the presets of the day, with the data unchanged', async () => {
    const was = t.clock.now();
    try {
      // 23:50 on 31/12 in Hà Nội, then 20 minutes later (within the session's idle limit, no data changed): a new day
      // and a new quarter, so the presets move while the kept rows stay the same.
      t.clock.set('2026-12-31T16:50:00Z');
      const officer = await t.signIn('quality_officer');
      const page = async (query: string) => {
        const res = await officer.get(`${SUMMARY}${query}`);
        expect(res.status).toBe(200);
        return res.text;
      };
      const unescaped = (html: string) => html.replaceAll('&amp;', '&').replaceAll('&#x3D;', '=');
      const thisQuarter = (html: string) => unescaped(/href="([^"]+)"[^>]*>(?:Quý này|This quarter)/.exec(html)?.[1] ?? '');
      const rowsBefore = (await page('')).match(/<tbody>[\s\S]*<\/tbody>/)?.[0];
      expect(thisQuarter(await page(''))).toBe('/reports/summary?from=2026-10-01&to=2026-12-31');
      t.clock.advance(20 * 60_000);
      const newYear = await page('');
      expect(thisQuarter(newYear)).toBe('/reports/summary?from=2027-01-01&to=2027-01-01');
      expect(newYear.match(/<tbody>[\s\S]*<\/tbody>/)?.[0]).toBe(rowsBefore);
      // Two filters: each page shows its own choice, and the count and the links carry it.
      const compliant = await page('&status=compliant');
      expect(compliant).toMatch(/<option value="compliant" selected>/);
      expect(unescaped(compliant)).toContain('/reports/summary.csv?status=compliant&from=2026-11-01&to=2026-11-30');
      const failing = await page('&status=non_compliant');
      expect(failing).toMatch(/<option value="non_compliant" selected>/);
      expect(failing).not.toMatch(/<option value="compliant" selected>/);
    } finally {
      t.clock.set(was);
    }
  });
});
