import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSigner } from '../../src/features/organisation/organisation.print';
import { createSigner, deactivateSigner } from '../../src/features/organisation/organisation.signers.service';
import { createTestApp, one, run, TEST_PASSWORD, type SignedIn, type TestApp } from '../support/app';
import { addOrganisation } from '../support/orgs';
import { nonconformity, procedure } from '../reports/fixtures';
import { getDocx } from '../docx/docx';

/**
 * Signing on behalf in print (issue 25, Nghị định 30/2020 Phụ lục I): the head prints his title and name; a deputy who
 * e-signs for him prints "KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG" and the deputy's own name, never the head's; TL. and
 * TUQ. print the signer's position; an unsigned print offers the signer (?signer=); blocks frozen at signing stay as
 * they were; and each kind of document prints its own recipients, or the general list. The test clock says 2026-11-26.
 */
let t: TestApp;
let quality: SignedIn;
let head: SignedIn;
let deputy: SignedIn;
let admin: SignedIn;
const ids = { head: 0, deputy: 0, tl: 0, tuq: 0, other: 0 };

/** The printed signature block: each title line, then the name. */
const block = (html: string) => {
  // the last block: the minutes print the secretary's before the chair's
  const start = html.lastIndexOf('<section class="doc-signatures"');
  expect(start).toBeGreaterThan(-1);
  const section = html.slice(start, html.indexOf('</section>', start));
  return {
    titles: [...section.matchAll(/<p class="signer-title">([^<]*)<\/p>/g)].map((m) => m[1]),
    name: /<p class="signer-name">([^<]*)<\/p>/.exec(section)?.[1],
    recipients: [...section.matchAll(/<li>- ([^<]*)<\/li>/g)].map((m) => m[1]),
    section,
  };
};

beforeAll(async () => {
  t = await createTestApp();
  await run(t, "update users set full_name = 'Phạm Văn Minh', position_title = 'Trưởng phòng' where id = ?", t.users.leader);
  await run(
    t,
    `insert into users (username, full_name, role, unit_id, email, position_title, password_hash, password_changed_at, active, version, created_at, updated_at, organisation_id)
     select 'deputy', 'Ngô Thị Hoa', 'leader', unit_id, null, 'Phó Trưởng phòng', password_hash, password_changed_at, 1, 1, created_at, updated_at, 1 from users where id = ?`,
    t.users.leader,
  );
  const deputyId = (await one<{ id: number }>(t, "select id from users where username = 'deputy'"))!.id;
  ids.head = await createSigner(t.ctx, t.users.admin, { user_id: t.users.leader, full_name: 'Phạm Văn Minh', position_title: '', way: 'head' });
  ids.deputy = await createSigner(t.ctx, t.users.admin, { user_id: deputyId, full_name: 'Ngô Thị Hoa', position_title: 'PHÓ TRƯỞNG PHÒNG', way: 'kt' });
  ids.tl = await createSigner(t.ctx, t.users.admin, { user_id: null, full_name: 'Trần Văn Tư', position_title: 'Chánh Văn phòng', way: 'tl' });
  ids.tuq = await createSigner(t.ctx, t.users.admin, { user_id: null, full_name: 'Lê Thị Năm', position_title: 'TRƯỞNG BỘ PHẬN MỘT CỬA', way: 'tuq' });
  await run(
    t,
    "insert into organisation_recipients (organisation_id, kind, recipients, updated_at) values (1, 'annual', ?, '2026-11-26T02:00:00Z')",
    'UBND huyện Nghĩa Hưng (để báo cáo);\nBan chỉ đạo ISO;\nLưu: VT, ISO.',
  );
  const other = await addOrganisation(t, 'KHCN');
  ids.other = await createSigner(other.ctx, other.users.admin, { user_id: null, full_name: 'Lê Văn Ngoài', position_title: 'PHÓ GIÁM ĐỐC', way: 'kt' });
  await procedure(t, 'QT-KÝ-01');
  quality = await t.signIn('quality_officer');
  head = await t.signIn('leader');
  deputy = await t.signIn('deputy');
  admin = await t.signIn('admin');
});
afterAll(async () => t?.close());

describe('the lines of each way of signing', () => {
  it('compose as Nghị định 30/2020 prints them', () => {
    const s = (way: 'head' | 'kt' | 'tl' | 'tuq' | 'tm', position: string) =>
      composeSigner('Trưởng phòng', { way, position_title: position, full_name: 'Ai Đó' });
    expect(s('head', '')).toEqual({ signerTitle: 'TRƯỞNG PHÒNG', signerName: 'Ai Đó' });
    expect(s('kt', 'Phó Trưởng phòng')).toEqual({ signerTitle: 'KT. TRƯỞNG PHÒNG\nPHÓ TRƯỞNG PHÒNG', signerName: 'Ai Đó' });
    expect(s('tl', 'Chánh Văn phòng').signerTitle).toBe('TL. TRƯỞNG PHÒNG\nCHÁNH VĂN PHÒNG');
    expect(s('tuq', 'Trưởng bộ phận').signerTitle).toBe('TUQ. TRƯỞNG PHÒNG\nTRƯỞNG BỘ PHẬN');
    expect(composeSigner('Ủy ban nhân dân', { way: 'tm', position_title: 'Chủ tịch', full_name: 'Ai Đó' }).signerTitle).toBe('TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH');
  });
});

describe('an annual report issued by e-signature', () => {
  it('issued by the deputy prints KT. TRƯỞNG PHÒNG, PHÓ TRƯỞNG PHÒNG and the deputy’s name, not the head’s', async () => {
    expect((await quality.post('/reports/annual/2026', { narrative_conclusion: 'Hệ thống vận hành hiệu lực.', number_text: '' })).status).toBe(303);
    expect((await deputy.post('/reports/annual/2026/issue', { password: TEST_PASSWORD, version: '1' })).status).toBe(303);
    const b = block((await quality.get('/reports/annual/2026')).text);
    expect(b.titles).toEqual(['KT. TRƯỞNG PHÒNG', 'PHÓ TRƯỞNG PHÒNG']);
    expect(b.name).toBe('Ngô Thị Hoa');
    expect(b.section).not.toContain('Phạm Văn Minh');
    expect(b.section).toContain('Đã ký điện tử: Ngô Thị Hoa');
    // the annual report's own recipients
    expect(b.recipients).toEqual(['UBND huyện Nghĩa Hưng (để báo cáo);', 'Ban chỉ đạo ISO;', 'Lưu: VT, ISO.']);
    const frozen = JSON.parse((await one<{ l: string }>(t, 'select letterhead_json as l from annual_reports where year = 2026'))!.l);
    expect(frozen).toMatchObject({ signerTitle: 'KT. TRƯỞNG PHÒNG\nPHÓ TRƯỞNG PHÒNG', signerName: 'Ngô Thị Hoa' });
  });

  it('issued by the head prints his title and his name', async () => {
    expect((await quality.post('/reports/annual/2025', { narrative_conclusion: 'Hệ thống vận hành hiệu lực.', number_text: '' })).status).toBe(303);
    expect((await head.post('/reports/annual/2025/issue', { password: TEST_PASSWORD, version: '1' })).status).toBe(303);
    const b = block((await quality.get('/reports/annual/2025')).text);
    expect(b.titles).toEqual(['TRƯỞNG PHÒNG']);
    expect(b.name).toBe('Phạm Văn Minh');
  });
});

describe('review minutes signed by the chair', () => {
  it('chaired and signed by the deputy print the deputy’s block, frozen with the minutes', async () => {
    const res = await quality.post('/reviews', {
      period_from: '2026-01-01',
      period_to: '2026-06-30',
      held_on: '2026-07-10',
      place: 'Phòng họp',
      number_text: '',
      chair_id: String((await one<{ id: number }>(t, "select id from users where username = 'deputy'"))!.id),
      secretary_id: String(t.users.quality_officer),
      attendee_ids: [String(t.users.staff)],
      guests: '',
      conclusions: 'HTQLCL phù hợp và có hiệu lực.',
    });
    expect(res.status).toBe(303);
    const id = (await one<{ id: number }>(t, 'select max(id) as id from management_reviews'))!.id;
    const draft = block((await quality.get(`/reviews/${id}/print`)).text);
    expect(draft.titles).toEqual(['KT. TRƯỞNG PHÒNG', 'PHÓ TRƯỞNG PHÒNG']);
    expect((await deputy.post(`/reviews/${id}/sign`, { password: TEST_PASSWORD, version: '1' })).status).toBe(303);
    const signed = block((await quality.get(`/reviews/${id}/print`)).text);
    expect(signed.titles).toEqual(['KT. TRƯỞNG PHÒNG', 'PHÓ TRƯỞNG PHÒNG']);
    expect(signed.name).toBe('Ngô Thị Hoa');
    expect(signed.section).not.toContain('Phạm Văn Minh');
    // no recipients of their own: the general list
    expect(signed.recipients).toEqual(['Lưu: VT.']);
  });
});

describe('frozen blocks', () => {
  it('stay as signed after the settings and the signers change', async () => {
    const v = (await one<{ version: number }>(t, 'select version from organisation where id = 1'))!.version;
    await run(t, "update organisation set signer_title = 'TRƯỞNG PHÒNG LĐTBXH', signer_name = 'Người Khác', version = ? where id = 1", v + 1);
    await deactivateSigner(t.ctx, t.users.admin, ids.deputy, 'Chuyển công tác', 1);
    const annual = block((await quality.get('/reports/annual/2026')).text);
    expect(annual.titles).toEqual(['KT. TRƯỞNG PHÒNG', 'PHÓ TRƯỞNG PHÒNG']);
    expect(annual.name).toBe('Ngô Thị Hoa');
    const id = (await one<{ id: number }>(t, 'select max(id) as id from management_reviews'))!.id;
    const minutes = block((await quality.get(`/reviews/${id}/print`)).text);
    expect(minutes.titles).toEqual(['KT. TRƯỞNG PHÒNG', 'PHÓ TRƯỞNG PHÒNG']);
    expect(minutes.name).toBe('Ngô Thị Hoa');
    await run(t, "update organisation set signer_title = 'TRƯỞNG PHÒNG', signer_name = 'Phạm Văn Minh' where id = 1");
  });
});

describe('an unsigned print offers the signer', () => {
  const report = '/reports/procedures/QT-KÝ-01?from=2026-01-01&to=2026-11-26';

  it('defaults to the head, lists the active signers and keeps the period', async () => {
    const page = (await quality.get(report)).text;
    const b = block(page);
    expect(b.titles).toEqual(['TRƯỞNG PHÒNG']);
    expect(b.name).toBe('Phạm Văn Minh');
    const chooser = page.slice(page.indexOf('<form method="get" class="no-print signer-chooser">'));
    expect(chooser).toContain('<input type="hidden" name="from" value="2026-01-01">');
    expect(chooser).toContain(`<option value="${ids.tl}" >TL. TRƯỞNG PHÒNG / CHÁNH VĂN PHÒNG — Trần Văn Tư</option>`);
    expect(chooser).toContain(`<option value="" selected>TRƯỞNG PHÒNG — Phạm Văn Minh</option>`);
    // the deactivated deputy and the other organisation's signer are not offered
    expect(chooser.slice(0, chooser.indexOf('</form>'))).not.toContain('Ngô Thị Hoa');
    expect(chooser.slice(0, chooser.indexOf('</form>'))).not.toContain('Lê Văn Ngoài');
    // the compliance report has no recipients of its own: the general list
    expect(b.recipients).toEqual(['Lưu: VT.']);
  });

  it('prints TL. and TUQ. with the signer’s position and name', async () => {
    const tl = block((await quality.get(`${report}&signer=${ids.tl}`)).text);
    expect(tl.titles).toEqual(['TL. TRƯỞNG PHÒNG', 'CHÁNH VĂN PHÒNG']);
    expect(tl.name).toBe('Trần Văn Tư');
    const tuq = block((await quality.get(`/reports/summary?from=2026-01-01&to=2026-11-26&signer=${ids.tuq}`)).text);
    expect(tuq.titles).toEqual(['TUQ. TRƯỞNG PHÒNG', 'TRƯỞNG BỘ PHẬN MỘT CỬA']);
    expect(tuq.name).toBe('Lê Thị Năm');
    expect(tuq.section).not.toContain('Phạm Văn Minh');
  });

  it('the Word link carries the chosen signer, and the Word file prints the same block', async () => {
    const page = (await quality.get(`${report}&signer=${ids.tl}`)).text;
    const link = /href="([^"]+\.docx[^"]*)"/
      .exec(page)![1]
      .replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=');
    expect(link).toContain(`&signer=${ids.tl}`);
    const d = await getDocx(quality, link);
    expect(d.lines).toContain('TL. TRƯỞNG PHÒNG');
    expect(d.lines).toContain('CHÁNH VĂN PHÒNG');
    expect(d.lines).toContain('Trần Văn Tư');
    expect(d.text).not.toContain('Phạm Văn Minh');
    // without a choice, the link has no signer and the file is the head's
    const plain = (await quality.get(report)).text;
    expect(/href="([^"]+\.docx[^"]*)"/.exec(plain)![1]).not.toContain('signer');
    expect(
      (
        await getDocx(
          quality,
          /href="([^"]+\.docx[^"]*)"/
            .exec(plain)![1]
            .replace(/&amp;/g, '&')
            .replace(/&#x3D;/g, '='),
        )
      ).lines,
    ).toContain('Phạm Văn Minh');
  });

  it('ignores a deactivated signer, another organisation’s and nonsense: the head signs', async () => {
    for (const value of [String(ids.deputy), String(ids.other), 'abc', '99999']) {
      const b = block((await quality.get(`${report}&signer=${value}`)).text);
      expect(b.titles, value).toEqual(['TRƯỞNG PHÒNG']);
      expect(b.name, value).toBe('Phạm Văn Minh');
    }
  });

  it('the draft annual report offers it too, with its own recipients', async () => {
    expect((await quality.post('/reports/annual/2024', { narrative_conclusion: 'Dự thảo.', number_text: '' })).status).toBe(303);
    const page = (await admin.get(`/reports/annual/2024?signer=${ids.tl}`)).text;
    expect(page).toContain('class="no-print signer-chooser"');
    const b = block(page);
    expect(b.titles).toEqual(['TL. TRƯỞNG PHÒNG', 'CHÁNH VĂN PHÒNG']);
    expect(b.recipients).toEqual(['UBND huyện Nghĩa Hưng (để báo cáo);', 'Ban chỉ đạo ISO;', 'Lưu: VT, ISO.']);
  });

  it('the nonconformity print offers it too, with one line a paragraph, and the NC reports’ own recipients', async () => {
    await run(
      t,
      "insert into organisation_recipients (organisation_id, kind, recipients, updated_at) values (1, 'nonconformity', ?, '2026-11-26T02:00:00Z')",
      'Ban chỉ đạo ISO\nLưu: VT',
    );
    const id = await nonconformity(t, null, { severity: 'minor', detected: '2026-11-20', status: 'open', history: [['open', '2026-11-20']] });
    const page = (await quality.get(`/nonconformities/${id}/print?signer=${ids.tl}`)).text;
    expect(page).toContain('<p class="signer-title">TL. TRƯỞNG PHÒNG</p><p class="signer-title">CHÁNH VĂN PHÒNG</p>');
    expect(page).toContain('<div class="signer-name">Trần Văn Tư</div>');
    expect(page).toContain('class="no-print signer-chooser"');
    expect(page).toContain('<li>- Ban chỉ đạo ISO;</li><li>- Lưu: VT.</li>');
    const byHead = (await quality.get(`/nonconformities/${id}/print`)).text;
    expect(byHead).toContain('<p class="signer-title">TRƯỞNG PHÒNG</p>');
    expect(byHead).toContain('<div class="signer-name">Phạm Văn Minh</div>');
  });
});
