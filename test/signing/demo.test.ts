import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD_SUFFIX, runDemo } from '../../src/features/demo';
import { createTestApp, extractCsrf, one, rows, type TestApp } from '../support/app';

/**
 * The demo's signers and recipients (issue 25): the head and his deputy (KT.), who chaired and signed this year's
 * management review — its minutes print "KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG" and her name — and the recipients of
 * the annual report and of the apology slips. The test clock, the demo's "now", says 2026-11-26.
 */
let t: TestApp;
let agent: request.Agent;
beforeAll(async () => {
  t = await createTestApp({ withUsers: false });
  await runDemo(t.ctx, () => {}, { province: false });
  agent = request.agent(t.app);
  const csrf = extractCsrf((await agent.get('/login')).text);
  const res = await agent
    .post('/login')
    .type('form')
    .send({ username: 'thuky', password: `thuky${DEMO_PASSWORD_SUFFIX}`, _csrf: csrf });
  expect(res.status).toBe(303);
}, 120_000);
afterAll(async () => t.close());

const block = (html: string) => {
  const section = html.slice(html.lastIndexOf('<section class="doc-signatures"'));
  return {
    titles: [...section.matchAll(/<p class="signer-title">([^<]*)<\/p>/g)].map((m) => m[1]),
    name: /<p class="signer-name">([^<]*)<\/p>/.exec(section)?.[1],
    recipients: [...section.matchAll(/<li>- ([^<]*)<\/li>/g)].map((m) => m[1]),
  };
};

describe('demo signers and recipients', () => {
  it('has the head and a deputy signing for him', async () => {
    expect(await rows(t, 'select full_name, position_title, way, active from organisation_signers where organisation_id = 1 order by id')).toEqual([
      { full_name: 'Phạm Văn Minh', position_title: 'TRƯỞNG PHÒNG', way: 'head', active: 1 },
      { full_name: 'Đỗ Thị Hạnh', position_title: 'PHÓ TRƯỞNG PHÒNG', way: 'kt', active: 1 },
    ]);
  });

  it('prints this year’s minutes with the deputy’s block, and last year’s with the head’s', async () => {
    const june = (await one<{ id: number }>(t, "select id from management_reviews where code = 'XXLĐ-2026-01'"))!.id;
    const b = block((await agent.get(`/reviews/${june}/print`)).text);
    expect(b.titles).toEqual(['KT. TRƯỞNG PHÒNG', 'PHÓ TRƯỞNG PHÒNG']);
    expect(b.name).toBe('Đỗ Thị Hạnh');
    const december = (await one<{ id: number }>(t, "select id from management_reviews where code = 'XXLĐ-2025-01'"))!.id;
    const d = block((await agent.get(`/reviews/${december}/print`)).text);
    expect(d.titles).toEqual(['TRƯỞNG PHÒNG']);
    expect(d.name).toBe('Phạm Văn Minh');
  });

  it('prints the annual report’s and the apology slip’s own recipients', async () => {
    const annual = block((await agent.get('/reports/annual/2025')).text);
    expect(annual.recipients).toEqual([
      'UBND huyện Nghĩa Hưng (để báo cáo);',
      'Sở Khoa học và Công nghệ tỉnh Nam Định;',
      'Ban Chỉ đạo ISO huyện;',
      'Lưu: VT, ISO.',
    ]);
    const slip = (await one<{ id: number }>(t, "select min(id) as id from apology_slips where organisation_id = 1 and status = 'recorded'"))!.id;
    const page = (await agent.get(`/apologies/${slip}/print`)).text;
    expect(page).toContain('<li>- Ông (bà) có hồ sơ nêu trên;</li>');
    expect(page).toContain('<li>- Lưu: VT.</li>');
  });
});
