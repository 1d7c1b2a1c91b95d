import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type SignedIn, type TestApp } from '../support/app';
import { decodeEntities } from '../support/html';
import { buildOversightWorld, KNOWN, run, type OversightWorld } from './fixtures';
import { csvRows, pageRows } from './page';

/**
 * The oversight page (issue 22): the parent organisation's admin sees every organisation under it with figures
 * computed by hand (fixtures.ts, KNOWN), in the page, the CSV, the XLSX and the print view; sorted and filtered;
 * nobody else of the parent sees it; a child's admin sees its own subtree only. The clock says 2026-11-26.
 */
let t: TestApp;
let w: OversightWorld;
let admin: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  w = await buildOversightWorld(t);
  // SOA's admin declares its QMS on its settings page (the settings test checks the form itself).
  const soa = await t.signIn(w.a.usernames.admin);
  const form = await soa.get('/admin/organisation');
  const version = /name="version" value="(\d+)"/.exec(form.text)![1];
  const saved = await soa.post('/admin/organisation', {
    name: 'Sở Khoa học và Công nghệ',
    time_zone: 'Asia/Ho_Chi_Minh',
    revision_signers: '3',
    qms_declared_on: '2026-03-15',
    version,
  });
  expect(saved.status).toBe(303);
  admin = await t.signIn('admin');
});
afterAll(async () => t?.close());

const CODES = ['DV1', 'SOA', 'SOB', 'SOC', 'SOD'] as const;

describe('the known answers', () => {
  it('shows every organisation of the subtree (its own first) with the figures computed by hand, and none outside', async () => {
    const res = await admin.get('/oversight');
    expect(res.status).toBe(200);
    const rows = pageRows(res.text);
    expect(rows.map((r) => r.code)).toEqual([...CODES]);
    expect(res.text).not.toContain('OUT');
    expect(res.text).not.toContain('Cơ quan ngoài cây');
    for (const r of rows) {
      const k = KNOWN[r.code as keyof typeof KNOWN];
      expect(r.v, r.code).toEqual({
        kind: r.code === 'DV1' ? 'province' : r.code === 'SOC' ? 'commune' : r.code === 'SOD' ? 'office' : 'department',
        declared: k.declared ?? '',
        documentsDue: String(k.documentsDue),
        audits: String(k.audits),
        openMajor: String(k.openMajor),
        overdueActions: String(k.overdue),
        onTimeRate: k.rate === null ? '' : String(k.rate),
        compliant: String(k.compliant),
        attention: String(k.attention),
        nonCompliant: String(k.nonCompliant),
      });
    }
    // As shown: dd/MM/yyyy, — for no date and no rate, the rate to two decimals (no-break space before %).
    expect(res.text).toMatch(/data-f="declared" data-v="2026-03-15">15\/03\/2026</);
    expect(res.text).toMatch(/data-f="declared" data-v="2025-12-01">01\/12\/2025</);
    expect(res.text).toMatch(/<tr data-code="SOB"[\s\S]*?data-f="declared" data-v="">—</);
    expect(res.text).toContain('data-v="0.6666666666666666">66,67\u00a0%<');
    expect(res.text).toMatch(/data-f="onTimeRate" data-v="1">100\u00a0%</);
    // Each name links to that organisation's reports (the drill-down).
    expect(res.text).toContain('<a href="/reports?org=SOA">Sở Khoa học và Công nghệ</a>');
    expect(res.text).toContain('Giám sát HTQLCL các cơ quan trực thuộc');
  });

  it('exports the same figures as CSV (UTF-8 with BOM) and XLSX, with the filter kept', async () => {
    const csv = await admin.get('/oversight.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    const [keys, ...body] = csvRows(csv.text);
    expect(keys).toEqual([
      'code',
      'name',
      'kind',
      'kindLabel',
      'status',
      'qmsDeclaredOn',
      'documentsDue',
      'auditsLast12Months',
      'openMajorNcs',
      'overdueActions',
      'resolved',
      'goodResolved',
      'onTimeRate',
      'compliant',
      'attention',
      'nonCompliant',
      'problems',
      'asOf',
    ]);
    expect(body.map((r) => r[0])).toEqual([...CODES]);
    expect(body[1]).toEqual([
      'SOA',
      'Sở Khoa học và Công nghệ',
      'department',
      'Sở, ngành',
      'active',
      '2026-03-15',
      '1',
      '2',
      '1',
      '1',
      '3',
      '2',
      String(2 / 3),
      '0',
      '1',
      '1',
      'true',
      '2026-11-26',
    ]);
    expect(body[2]).toEqual([
      'SOB',
      'Sở Tư pháp',
      'department',
      'Sở, ngành',
      'active',
      '',
      '0',
      '1',
      '0',
      '0',
      '2',
      '2',
      '1',
      '1',
      '0',
      '0',
      'false',
      '2026-11-26',
    ]);
    expect(body[3].slice(5, 13)).toEqual(['2025-12-01', '1', '0', '0', '1', '0', '0', '']);

    const page = await admin.get('/oversight?problems=1&sort=name&dir=desc');
    const links = decodeEntities(page.text);
    expect(links).toContain('href="/oversight.csv?problems=1&sort=name&dir=desc"');
    expect(links).toContain('href="/oversight.xlsx?problems=1&sort=name&dir=desc"');
    expect(links).toContain('href="/oversight/print?problems=1&sort=name&dir=desc"');
    const filtered = csvRows((await admin.get('/oversight.csv?problems=1&sort=name&dir=desc')).text);
    // UBND xã Đông Hòa, Sở Khoa học và Công nghệ: names in Vietnamese order, descending.
    expect(filtered.slice(1).map((r) => r[0])).toEqual(['SOC', 'SOA']);

    const xlsx = await admin
      .get('/oversight.xlsx')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as never);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('Giám sát HTQLCL');
    expect(ws.getRow(1).getCell(1).value).toBe('Mã');
    expect(ws.getRow(1).getCell(13).value).toBe('Tỷ lệ hồ sơ đúng hạn năm nay');
    expect(ws.rowCount).toBe(6);
    const soa = ws.getRow(3);
    expect(soa.getCell(1).value).toBe('SOA');
    expect(soa.getCell(6).value).toBe('2026-03-15');
    expect([7, 8, 9, 10, 11, 12].map((i) => soa.getCell(i).value)).toEqual([1, 2, 1, 1, 3, 2]);
    expect(soa.getCell(13).value).toBeCloseTo(2 / 3, 12);
    expect(ws.getColumn(13).numFmt).toBe('0.00%');
    expect(ws.getRow(4).getCell(13).value).toBe(1);
    expect(ws.getRow(5).getCell(13).value).toBe(null);
  });
});

describe('sort and filter', () => {
  const order = async (q: string) => pageRows((await admin.get(`/oversight${q}`)).text).map((r) => r.code);

  it('sorts by every column, both ways (empty values last, ties by code)', async () => {
    expect(await order('?sort=code&dir=desc')).toEqual(['SOD', 'SOC', 'SOB', 'SOA', 'DV1']);
    expect(await order('?sort=documents_due&dir=desc')).toEqual(['SOA', 'SOC', 'DV1', 'SOB', 'SOD']);
    expect(await order('?sort=audits&dir=desc')).toEqual(['SOA', 'SOB', 'DV1', 'SOC', 'SOD']);
    expect(await order('?sort=open_major&dir=desc')).toEqual(['SOA', 'DV1', 'SOB', 'SOC', 'SOD']);
    expect(await order('?sort=overdue_actions&dir=desc')).toEqual(['SOA', 'SOC', 'DV1', 'SOB', 'SOD']);
    expect(await order('?sort=on_time_rate&dir=asc')).toEqual(['SOA', 'SOB', 'DV1', 'SOC', 'SOD']);
    expect(await order('?sort=on_time_rate&dir=desc')).toEqual(['SOB', 'SOA', 'DV1', 'SOC', 'SOD']);
    expect(await order('?sort=declared&dir=asc')).toEqual(['SOC', 'SOA', 'DV1', 'SOB', 'SOD']);
    expect(await order('?sort=non_compliant&dir=desc')).toEqual(['SOA', 'SOC', 'DV1', 'SOB', 'SOD']);
    expect(await order('?sort=compliant&dir=desc')).toEqual(['SOB', 'DV1', 'SOA', 'SOC', 'SOD']);
    expect(await order('?sort=attention&dir=desc')).toEqual(['SOA', 'DV1', 'SOB', 'SOC', 'SOD']);
    expect(await order('?sort=kind&dir=asc')).toEqual(['SOC', 'SOA', 'SOB', 'SOD', 'DV1']);
    // Phòng Công chứng số 1, Phòng Lao động … (DV1), Sở Khoa học …, Sở Tư pháp, UBND xã …
    expect(await order('?sort=name&dir=asc')).toEqual(['SOD', 'DV1', 'SOA', 'SOB', 'SOC']);
    // An unknown column or direction: the tree's order, ascending.
    expect(await order('?sort=password&dir=sideways')).toEqual([...CODES]);
    const page = await admin.get('/oversight?sort=audits&dir=desc');
    expect(page.text).toContain('aria-sort="descending"');
    expect(decodeEntities(page.text)).toContain('href="/oversight?sort=audits&dir=asc"');
  });

  it('filters by kind, by name or code (ignoring case and diacritics) and by problems', async () => {
    expect(await order('?kind=department')).toEqual(['SOA', 'SOB']);
    expect(await order('?q=dong hoa')).toEqual(['SOC']);
    expect(await order('?q=sod')).toEqual(['SOD']);
    expect(await order('?problems=1')).toEqual(['SOA', 'SOC']);
    expect(await order('?problems=1&kind=commune')).toEqual(['SOC']);
    const none = await admin.get('/oversight?q=zzz');
    expect(none.status).toBe(200);
    expect(none.text).toContain('Không có cơ quan nào khớp bộ lọc.');
    expect(await order('?kind=galaxy')).toEqual([...CODES]);
  });
});

describe('the columns', () => {
  it('put every figure under its own heading', async () => {
    const html = (await admin.get('/oversight')).text;
    const headings = [...html.matchAll(/data-sort="([^"]+)"/g)].map((m) => m[1]);
    expect(headings.slice(0, 2)).toEqual(['code', 'name']);
    const cell: Record<string, string> = {
      kind: 'kind',
      declared: 'declared',
      documents_due: 'documentsDue',
      audits: 'audits',
      open_major: 'openMajor',
      overdue_actions: 'overdueActions',
      on_time_rate: 'onTimeRate',
      non_compliant: 'nonCompliant',
      attention: 'attention',
      compliant: 'compliant',
    };
    for (const row of html.matchAll(/<tr data-code="[^"]+"[^>]*>([\s\S]*?)<\/tr>/g)) {
      expect([...row[1].matchAll(/data-f="([^"]+)"/g)].map((m) => m[1])).toEqual(headings.slice(2).map((h) => cell[h]));
    }
  });
});

describe('the print view', () => {
  it("has the viewing user's organisation's letterhead, the table and the signature block", async () => {
    const res = await admin.get('/oversight/print?kind=department');
    expect(res.status).toBe(200);
    const own = (await t.signIn('admin').then((s) => s.get('/admin/organisation'))).text;
    const name = /name="name"[^>]*value="([^"]+)"/.exec(own)?.[1] ?? /value="([^"]+)"[^>]*name="name"/.exec(own)![1];
    expect(res.text).toContain('class="doc-header"');
    expect(res.text).toContain(`<div class="agency-name">${name}</div>`);
    expect(res.text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(res.text).toContain('ngày 26 tháng 11 năm 2026');
    expect(res.text).toContain('class="doc-signatures"');
    expect(pageRows(res.text).map((r) => r.code)).toEqual(['SOA', 'SOB']);
    expect(decodeEntities(res.text)).toContain('href="/oversight?kind=department"');
    // No sort links in the printed document.
    expect(res.text).not.toContain('data-sort=');
  });
});

describe('access', () => {
  it("lets the parent organisation's inspector (Sở KH&CN) read the same page, exports and print, and drill down to an organisation's reports", async () => {
    // An inspector of the province (organisation 1), written as a row as addOrganisation writes its users.
    await run(
      t,
      `insert into users (username, full_name, role, unit_id, email, position_title, password_hash, active, must_change_password, password_changed_at,
         version, created_at, updated_at, organisation_id)
       select 'inspector', 'Thanh tra Sở KH&CN', 'inspector', null, null, null, password_hash, 1, 0, password_changed_at, 1, created_at, updated_at, 1
       from users where username = 'admin'`,
    );
    const inspector = await t.signIn('inspector');
    const res = await inspector.get('/oversight');
    expect(res.status).toBe(200);
    expect(pageRows(res.text).map((r) => r.code)).toEqual([...CODES]);
    expect(pageRows(res.text)[1].v).toEqual(pageRows((await admin.get('/oversight')).text)[1].v);
    for (const path of ['/oversight.csv', '/oversight.xlsx', '/oversight/print']) expect((await inspector.get(path)).status, path).toBe(200);
    // The name's link: the session then works in SOA, whose summary shows SOA's procedures.
    const drill = await inspector.get('/reports?org=SOA');
    expect(drill.status).toBe(200);
    const summary = await inspector.get('/reports/summary?from=2026-01-01&to=2026-11-26');
    expect(summary.text).toContain('Quy trình A1');
    // The oversight page stays the inspector's own organisation's subtree while it works in SOA.
    expect(pageRows((await inspector.get('/oversight')).text).map((r) => r.code)).toEqual([...CODES]);
  });

  it('refuses the parent organisation’s staff, leader and quality officer', async () => {
    for (const role of ['staff', 'leader', 'quality_officer'] as const) {
      const who = await t.signIn(role);
      for (const path of ['/oversight', '/oversight.csv', '/oversight.xlsx', '/oversight/print'])
        expect((await who.get(path)).status, `${role} ${path}`).toBe(403);
    }
  });

  it("shows a child organisation's admin its own subtree only: not the parent, not its siblings", async () => {
    const sob = await t.signIn(w.b.usernames.admin);
    const res = await sob.get('/oversight');
    expect(res.status).toBe(200);
    expect(pageRows(res.text).map((r) => r.code)).toEqual(['SOB', 'SOD']);
    for (const hidden of ['SOA', 'SOC', 'DV1', 'OUT']) expect(res.text).not.toContain(`data-code="${hidden}"`);
    const csv = csvRows((await sob.get('/oversight.csv')).text);
    expect(csv.slice(1).map((r) => r[0])).toEqual(['SOB', 'SOD']);
    const leaf = await t.signIn(w.d.usernames.admin);
    expect(pageRows((await leaf.get('/oversight')).text).map((r) => r.code)).toEqual(['SOD']);
  });
});
