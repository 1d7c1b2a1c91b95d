import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { record } from '../../src/core/audit-log/audit-log';
import { cachedUntilChange } from '../../src/core/db/change-cache';
import { createTestApp, rows, type TestApp } from '../support/app';
import { watchStatements } from '../support/faults';
import { holdTransaction } from '../support/transactions';
import { addProcedure, createDocument, createDraft, publish, signInPeople, submit } from '../documents/helpers';
import { createProcedure, editProcedure, setProcedureStatus } from '../../src/features/procedures/procedures.service';
import { cancelNonconformity } from '../../src/features/nonconformities/nonconformities.service';
import { newAction, newNc } from '../nonconformities/helpers';

/**
 * Values kept until the data changes (src/core/db/change-cache.ts), checked through the pages that use them: the
 * current-documents search and each person's "documents to acknowledge" (home page and current documents) follow a
 * revision taking effect and an acknowledgement at once; the procedure register and the NC register follow their
 * changes, and the NC register the date. (The compliance report's and the summary's: test/reports/report-cache.test.ts.)
 */
let t: TestApp;
let who: Awaited<ReturnType<typeof signInPeople>>;

beforeAll(async () => {
  t = await createTestApp();
  who = await signInPeople(t);
});
afterAll(async () => t.close());

describe('kept until the data changes', () => {
  it('a document search follows a new revision at once: new words found, old words gone', async () => {
    const procedureId = await addProcedure(t, 'QT-KHO-01');
    const doc = await createDocument(who.qo, { code: 'HD-KHO-01', title: 'Hướng dẫn lưu kho hồ sơ', procedure_id: String(procedureId), owner_unit_id: String(t.units.main) });
    await publish(t, who.people, doc, 'Hồ sơ được lưu tại kho tầng một.');
    const words = async (q: string) => (await who.staff.get(`/documents/current?q=${encodeURIComponent(q)}`)).text;
    expect(await words('tang mot')).toContain('<mark>tầng một</mark>');
    expect(await words('tang hai')).toContain('Không tìm thấy tài liệu nào');

    await publish(t, who.people, doc, 'Hồ sơ được lưu tại kho tầng hai.', 'Chuyển kho lên tầng hai');
    expect(await words('tang hai')).toContain('<mark>tầng hai</mark>');
    expect(await words('tang mot')).toContain('Không tìm thấy tài liệu nào');
  });

  it("the home page's documents to acknowledge show a revision as soon as it takes effect and drop it as soon as it is acknowledged", async () => {
    // The "to acknowledge" section only (the page also lists recently changed documents).
    const home = async () => {
      const html = (await who.staff.get('/')).text;
      return html.slice(html.indexOf('id="h-ack"'), html.indexOf('id="h-changed"'));
    };
    expect(await home()).toContain('<h2');
    expect(await home()).not.toContain('HD-DOC-01');
    const procedureId = await addProcedure(t, 'QT-DOC-01');
    const doc = await createDocument(who.qo, { code: 'HD-DOC-01', title: 'Hướng dẫn đọc tài liệu', procedure_id: String(procedureId), owner_unit_id: String(t.units.main) });
    await publish(t, who.people, doc, 'Nội dung cần đọc.');
    const revision = rows<{ id: number }>(t, "select id from document_revisions where document_id = ? and status = 'effective'", doc)[0]!.id;
    expect(await home()).toContain(`data-ack="${revision}"`);
    expect((await who.staff.post(`/documents/${doc}/revisions/${revision}/acknowledge`)).status).toBe(303);
    expect(await home()).not.toContain('HD-DOC-01');
  });

  it('the current documents page lists a revision to acknowledge once it takes effect, for that person only, until acknowledged', async () => {
    const pending = async (as: typeof who.staff) => {
      const html = (await as.get('/documents/current')).text;
      return html.includes('id="pending-title"') ? html.slice(html.indexOf('id="pending-title"'), html.indexOf('</section>')) : '';
    };
    expect(await pending(who.staff)).not.toContain('HD-ACK-02');
    const procedureId = await addProcedure(t, 'QT-ACK-02');
    const doc = await createDocument(who.qo, { code: 'HD-ACK-02', title: 'Hướng dẫn xác nhận', procedure_id: String(procedureId), owner_unit_id: String(t.units.main) });
    await publish(t, who.people, doc, 'Nội dung cần xác nhận.');
    const revision = rows<{ id: number }>(t, "select id from document_revisions where document_id = ? and status = 'effective'", doc)[0]!.id;
    expect(await pending(who.staff)).toContain(`/documents/${doc}"><code>HD-ACK-02</code>`);
    expect((await who.staff.post(`/documents/${doc}/revisions/${revision}/acknowledge`)).status).toBe(303);
    expect(await pending(who.staff)).not.toContain('HD-ACK-02');
    // Kept per person: the leader, who has not acknowledged it, still sees it.
    expect(await pending(who.leader)).toContain('HD-ACK-02');
  });

  it('a document page follows an acknowledgement, a new revision and the ack state of each person at once', async () => {
    const procedureId = await addProcedure(t, 'QT-PAGE-01');
    const doc = await createDocument(who.qo, { code: 'HD-PAGE-01', title: 'Hướng dẫn trang tài liệu', procedure_id: String(procedureId), owner_unit_id: String(t.units.main) });
    await publish(t, who.people, doc, 'Bước một: tiếp nhận.');
    const page = async (as: typeof who.staff) => (await as.get(`/documents/${doc}`)).text;
    const DONE = '<p id="ack-title"><span class="badge badge-ok">✓ Đã đọc và xác nhận';
    const effective = () => rows<{ id: number }>(t, "select id from document_revisions where document_id = ? and status = 'effective'", doc)[0]!.id;
    const first = effective();
    expect(await page(who.staff)).toContain('Bạn cần đọc và xác nhận lần ban hành này');
    expect((await who.staff.post(`/documents/${doc}/revisions/${first}/acknowledge`)).status).toBe(303);
    expect(await page(who.staff)).toContain(DONE);
    // Kept per person: the leader has not acknowledged it.
    expect(await page(who.leader)).not.toContain(DONE);
    await publish(t, who.people, doc, 'Bước một: tiếp nhận và kiểm tra.', 'Thêm bước kiểm tra');
    const html = await page(who.staff);
    expect(html).toContain('tiếp nhận và kiểm tra');
    expect(html).toContain('Những thay đổi kể từ lần ban hành 1 mà bạn đã xác nhận:');
    expect(html).toContain('Thêm bước kiểm tra');
    expect(html).not.toContain(DONE);
  });

  it("the NC register's filters are rendered once per kept page and typed query: each query shows its own values", async () => {
    const page = async (query: string) => (await who.qo.get(`/nonconformities?${query}`)).text;
    // The same kept page of rows (no procedure matches either code), two different things typed.
    const first = await page('procedure_code=QT-KHONG-CO-1&q=kho');
    const second = await page('procedure_code=QT-KHONG-CO-2&q=kho');
    expect(first).toContain('mang mã “QT-KHONG-CO-1”');
    expect(second).toContain('mang mã “QT-KHONG-CO-2”');
    expect(second).not.toContain('QT-KHONG-CO-1');
    expect(await page('q=kho')).toContain('value="kho"');
    expect(await page('q=kh%C3%B4ng')).toContain('value="không"');
    // The count follows a new NC at once.
    const count = (html: string) => /<p class="count">([^<]*)</.exec(html)?.[1];
    const before = count(await page('status=active'));
    await newNc(t, { title: 'Thiếu chữ ký trên phiếu' });
    const after = count(await page('status=active'));
    expect(Number(after?.split(' ')[0])).toBe(Number(before?.split(' ')[0]) + 1);
  });

  it('the procedure register follows a new procedure, an edit and a retirement at once', async () => {
    const found = async (q: string) => [...(await who.staff.get(`/procedures?q=${encodeURIComponent(q)}`)).text.matchAll(/<code>(QT-DK-\d+)<\/code>/g)].map((m) => m[1]);
    expect(await found('dang ky khai sinh')).toEqual([]);
    const values = { code: 'QT-DK-01', title: 'Đăng ký khai sinh', field: 'Hộ tịch', online_level: 'none' as const, unit_id: null, on_time_target: 1, national_code: null, processing_days: 3 };
    const id = await createProcedure(t.ctx, values, t.users.quality_officer);
    expect(await found('dang ky khai sinh')).toEqual(['QT-DK-01']);
    const statusCell = async (lang: string) => /<code>QT-DK-01<\/code>[\s\S]*?<span class="badge badge-ok">✓ ([^<]+)<\/span>/.exec((await who.staff.get(`/procedures?q=khai+sinh&lang=${lang}`)).text)?.[1];
    expect(await statusCell('en')).toBe('In use');
    expect(await statusCell('vi')).toBe('Đang áp dụng');
    await editProcedure(t.ctx, id, { ...values, title: 'Đăng ký khai tử' }, 1, t.users.quality_officer);
    expect(await found('dang ky khai sinh')).toEqual([]);
    expect(await found('dang ky khai tu')).toEqual(['QT-DK-01']);
    await setProcedureStatus(t.ctx, id, true, 2, 'Bãi bỏ theo quyết định mới', t.users.quality_officer);
    expect(await found('dang ky khai tu')).toEqual([]);
  });
});

describe("the home pages' per-person lists", () => {
  it("a staff member's open actions and a leader's revisions to sign follow at once, per person", async () => {
    const actions = async () => ((await who.staff.get('/')).text.match(/data-action="\d+"/g) ?? []).length;
    const before = await actions();
    const nc = await newNc(t, { title: 'Thiếu bước kiểm tra', severity: 'minor', detectedOn: '2026-11-20' });
    await newAction(t, nc.id, { type: 'correction', ownerId: t.users.staff, dueDate: '2026-12-20' });
    expect(await actions()).toBe(before + 1);

    const signs = async (as: typeof who.leader) => (await as.get('/')).text.match(/data-sign="revision"/g)?.length ?? 0;
    const leaderBefore = await signs(who.leader);
    const procedureId = await addProcedure(t, 'QT-SIGN-01');
    const doc = await createDocument(who.qo, { code: 'HD-SIGN-01', title: 'Hướng dẫn ký', procedure_id: String(procedureId), owner_unit_id: String(t.units.main) });
    const revision = await createDraft(who.qo, doc, 'Nội dung cần ký.', 'Ban hành lần đầu');
    expect((await submit(who.qo, t, doc, revision)).status).toBe(303);
    expect(await signs(who.leader)).toBe(leaderBefore + 1);
  });
});

describe('the kept procedure filter', () => {
  it("offers a new procedure in the NC register's select at once", async () => {
    const options = async () => (await who.qo.get('/nonconformities')).text.match(/<option value="\d+"[^>]*>QT-LOC-0\d/g) ?? [];
    expect(await options()).toEqual([]);
    await createProcedure(t.ctx, { code: 'QT-LOC-01', title: 'Thủ tục lọc', field: '', online_level: 'none', unit_id: null, on_time_target: 1, national_code: null, processing_days: 5 }, t.users.quality_officer);
    expect(await options()).toHaveLength(1);
  });
});

describe("the NC register's kept pages", () => {
  it('follow a new NC, an action and a cancellation at once, and the next day with nothing changed', async () => {
    // Sessions that outlive the day, so that nothing but the date changes between the last two pages.
    const u = await createTestApp({ config: { sessionIdleMs: 2 * 86_400_000, sessionAbsoluteMs: 2 * 86_400_000 } });
    try {
      const qo = await u.signIn('quality_officer');
      const row = async (code: string, query = 'status=active') => {
        const html = (await qo.get(`/nonconformities?${query}`)).text;
        const at = html.indexOf(`<code>${code}</code>`);
        return at < 0 ? undefined : html.slice(at, html.indexOf('</tr>', at));
      };
      const nc = await newNc(u, { title: 'Sai sót khi tiếp nhận', severity: 'major', detectedOn: '2026-11-20' });
      expect(await row(nc.code)).toContain('Sai sót khi tiếp nhận');
      await newAction(u, nc.id, { type: 'correction', dueDate: '2026-11-26' });
      expect(await row(nc.code)).not.toContain('quá hạn'); // due today: not yet overdue
      u.clock.advance(86_400_000);
      expect(await row(nc.code)).toContain('(1 quá hạn)');
      const version = rows<{ version: number }>(u, 'select version from nonconformities where id = ?', nc.id)[0]!.version;
      await cancelNonconformity(u.ctx, nc.id, version, 'Ghi trùng', u.users.quality_officer);
      expect(await row(nc.code)).toBeUndefined();
      expect(await row(nc.code, 'status=cancelled')).toContain('Sai sót khi tiếp nhận');
    } finally {
      await u.close();
    }
  });
});

describe('the change counter', () => {
  const BIN = { name: 'test-counter', maxEntries: 10 };
  const insertElsewhere = () => {
    // Another process (a CLI import) writes to the same file.
    const other = new Database(t.ctx.config.databasePath);
    other.prepare(`insert into audit_log (at, action, entity, prev_hash, hash) values ('2026-11-26T02:00:00Z', 'test', 'test', 'x', 'y')`).run();
    other.close();
  };

  it("is read once per turn, yet a change written in this process is seen by the very next read", async () => {
    const nextTurn = () => new Promise<void>((done) => setImmediate(done));
    await nextTurn();
    let computed = 0;
    const kept = () => cachedUntilChange(t.ctx, 'counter-a', async () => ++computed, BIN);
    expect(await kept()).toBe(1);
    expect(await kept()).toBe(1);
    // Another process's change (a CLI import) bypasses this process: seen from the next turn on.
    insertElsewhere();
    expect(await kept()).toBe(1);
    await nextTurn();
    expect(await kept()).toBe(2);
    // A change recorded by this process, in the same turn: the next read sees it.
    await record(t.ctx.db, { userId: null, action: 'test', entity: 'test', entityId: null }, t.clock.now());
    expect(await kept()).toBe(3);
    expect(await kept()).toBe(3);
  });

  it("waits while a transaction holds the connection, and then sees what it committed, never what it had not", async () => {
    let computed = 0;
    const kept = () => cachedUntilChange(t.ctx, 'counter-b', async () => ++computed, BIN);
    expect(await kept()).toBe(1);
    const held = await holdTransaction(t.ctx.db, (trx) => record(trx, { userId: null, action: 'test', entity: 'test', entityId: null }, t.clock.now()));
    expect(t.ctx.sqlite.inTransaction).toBe(true);
    // Asked while the transaction is open (its entry written, not committed): two callers, one read, after the commit.
    const first = kept();
    const second = kept();
    let settled = false;
    void first.then(() => (settled = true));
    await new Promise<void>((done) => setImmediate(done));
    expect(settled).toBe(false);
    held.release();
    await held.finished;
    expect(await first).toBe(2);
    expect(await second).toBe(2);
    expect(computed).toBe(2);
    expect(await kept()).toBe(2);
  });

  it("after a transaction rolls back, the value kept before it still serves", async () => {
    let computed = 0;
    const kept = () => cachedUntilChange(t.ctx, 'counter-c', async () => ++computed, BIN);
    expect(await kept()).toBe(1);
    const held = await holdTransaction(t.ctx.db, (trx) => record(trx, { userId: null, action: 'test', entity: 'test', entityId: null }, t.clock.now()), 'rollback');
    const during = kept();
    held.release();
    await expect(held.finished).rejects.toThrow('rolled back');
    expect(await during).toBe(1);
    expect(computed).toBe(1);
  });
});

describe('statements per request', () => {
  /** The statements run on the connection (kept statements included). */
  function countStatements(sqlite: TestApp['ctx']['sqlite']) {
    const ran: string[] = [];
    const restore = watchStatements(sqlite, { ran: (sql) => ran.push(sql) });
    return { ran, restore };
  }

  it('a signed-in page whose values are kept runs one statement: the session, which also reads the change counter', async () => {
    const staff = await t.signIn('staff');
    const qo = await t.signIn('quality_officer');
    const counter = countStatements(t.ctx.sqlite);
    try {
      for (const [who, path] of [[staff, '/account/password'], [qo, '/nonconformities?status=active']] as const) {
        expect((await who.get(path)).status).toBe(200);
        await new Promise<void>((done) => setImmediate(done));
        counter.ran.length = 0;
        expect((await who.get(path)).status).toBe(200);
        expect(counter.ran, path).toHaveLength(1);
        expect(counter.ran[0]).toMatch(/select id from audit_log order by id desc limit 1\) as stamp\s+from sessions as s left join users as u/);
      }
    } finally {
      counter.restore();
    }
  });
});
