import { sql, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plansOf as plansFor } from '../support/plans';
import { createTestApp, one, rows, type SignedIn, type TestApp } from '../support/app';
import { onPostgres } from '../support/engine';
import type { Db } from '../../src/core/db/database';
import { listCurrentDocuments, listProceduresWithDocuments } from '../../src/features/documents/documents.queries';
import { searchCurrentDocuments, searchDocuments, type SearchHit } from '../../src/features/documents/documents.search.queries';
import { ftsQuery, HIT_END, HIT_START, snippetParts } from '../../src/features/documents/documents.text';
import { addProcedure, createDocument, publish } from '../documents/helpers';
import { todayLocal } from '../../src/core/calendar';

/** The organisation's local date on the test clock (what is in force is read on it). */
const today = () => todayLocal(t.clock.now(), 'Asia/Ho_Chi_Minh');

/**
 * Full-text search of current documents at province scale: the list query reads only the matched documents (by
 * primary key), the ranking reads no stored text, and the results (documents, order, highlights) are those of the
 * former single statement, ties by document id included. The plans and the former statement are SQLite's (FTS5); the
 * known order and highlights hold on PostgreSQL too, where the ranking must find its matches through the GIN index.
 */
let t: TestApp;
let qo: SignedIn;
let leader: SignedIn;
let admin: SignedIn;
let staff: SignedIn;
const ids: Record<string, number> = {};
const people = () => ({ author: qo, reviewer: admin, approver: leader });

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  leader = await t.signIn('leader');
  admin = await t.signIn('admin');
  staff = await t.signIn('staff');
  const procedureId = await addProcedure(t, 'QT-TD-01');
  const add = async (key: string, code: string, title: string, body: string) => {
    ids[key] = await createDocument(qo, { code, title, procedure_id: String(procedureId), owner_unit_id: String(t.units.main) });
    await publish(t, people(), ids[key], body);
  };
  // The query words in the title weigh more than in the body (where more hits weigh more); twin1 and twin2 have the same title and body (the
  // same score), so their order is their document id.
  await add('title', 'HD-TD-01', 'Hướng dẫn thẩm định hồ sơ quyết toán', 'Áp dụng cho bộ phận kế toán.');
  await add('twin1', 'BM-TD-02', 'Biểu mẫu phiếu kiểm soát', 'Cán bộ ghi kết quả thẩm định hồ sơ vào phiếu kiểm soát quá trình.');
  await add('twin2', 'BM-TD-03', 'Biểu mẫu phiếu kiểm soát', 'Cán bộ ghi kết quả thẩm định hồ sơ vào phiếu kiểm soát quá trình.');
  await add('body', 'QĐ-TD-04', 'Quy định lưu trữ', 'Hồ sơ lưu trữ 5 năm. Việc thẩm định do trưởng phòng thực hiện; hồ sơ thẩm định kèm biên bản.');
  await add('other', 'QĐ-TD-05', 'Quy định tiếp công dân', 'Tiếp công dân vào sáng thứ Năm hằng tuần.');
  // A new revision of twin1: its search entry is written again (a later rowid than twin2's), the document id stays lower.
  await publish(t, people(), ids.twin1, 'Cán bộ ghi kết quả thẩm định hồ sơ vào phiếu kiểm soát quá trình.', 'Soát lại câu chữ');
});
afterAll(async () => t.close());

const plansOf = (fn: (db: Db) => Promise<unknown>) => plansFor(t.ctx.sqlite!, fn);

/** The former search: one statement, highlights and snippets for every match, sorted, then cut. */
async function searchBefore(db: Db, input: string, limit = 50): Promise<SearchHit[]> {
  const match = ftsQuery(input);
  if (!match) return [];
  const { rows } = await sql<{ document_id: number; title_hl: string; body_snip: string; title: string; title_text: string; body: string; body_text: string }>`
    select document_id, highlight(documents_fts, 2, ${HIT_START}, ${HIT_END}) as title_hl,
      snippet(documents_fts, 3, ${HIT_START}, ${HIT_END}, '…', 24) as body_snip,
      title, title_text, body, body_text
    from documents_fts
    where documents_fts match ${match}
    order by bm25(documents_fts, 0, 10.0, 5.0, 1.0, 0, 0), document_id
    limit ${limit}`.execute(db);
  return rows.map((r) => ({
    documentId: Number(r.document_id),
    title: snippetParts(r.title_hl, r.title, r.title_text),
    snippet: r.body_snip.includes(HIT_START) ? snippetParts(r.body_snip, r.body, r.body_text) : [],
  }));
}

/**
 * PostgreSQL: every select `fn` runs, with its EXPLAIN lines, sequential scans discouraged (a test's tables are a few
 * rows, read whole by any sensible planner) so that the plan shows the index the statement can use.
 */
async function postgresPlansOf(fn: (db: Db) => Promise<unknown>): Promise<{ sql: string; plan: string[] }[]> {
  const nodes: RootOperationNode[] = [];
  const capture: KyselyPlugin = {
    transformQuery: (args) => {
      nodes.push(args.node);
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  await fn(t.ctx.db.withPlugin(capture));
  const executor = t.ctx.db.getExecutor();
  const out: { sql: string; plan: string[] }[] = [];
  for (const node of nodes) {
    const compiled = executor.compileQuery(node, { queryId: 'plan' });
    if (!/^\s*(select|with)/i.test(compiled.sql)) continue;
    const plan = await t.ctx.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const explained = await trx.executeQuery<{ 'QUERY PLAN': string }>({ ...compiled, sql: `explain ${compiled.sql}` });
      return explained.rows.map((r) => r['QUERY PLAN']);
    });
    out.push({ sql: compiled.sql.replace(/\s+/g, ' '), plan });
  }
  return out;
}

const marked = (parts: { text: string; hit: boolean }[]) => parts.map((p) => (p.hit ? `[${p.text}]` : p.text)).join('');

describe('document search at province scale', () => {
  // EXPLAIN QUERY PLAN and FTS5 are SQLite's; PostgreSQL's plan is checked below.
  it.skipIf(onPostgres)(
    "the page reads only the matched documents by primary key, not every effective revision; the ranking reads no document's text",
    async () => {
      const plans = await plansOf(async (db) => {
        const found = await searchCurrentDocuments(db, 'thẩm định hồ sơ', 50);
        expect(found.length).toBe(4);
      });
      const ranking = plans.find((p) => p.sql.includes('bm25('))!;
      expect(ranking.sql).not.toMatch(/title|body/);
      // The page's stored originals by rowid (no full-text query), their documents by primary key.
      const texts = plans.find((p) => p.sql.includes('"body_text"'))!;
      expect(texts.sql).not.toMatch(/match|highlight|snippet/);
      expect(texts.plan).toEqual(['SCAN documents_fts VIRTUAL TABLE INDEX 0:=']);
      const list = plans.find((p) => p.sql.includes('from documents d cross join document_revisions r'))!;
      expect(list.plan[0]).toBe('SEARCH d USING INTEGER PRIMARY KEY (rowid=?)');
      expect(list.plan[1]).toMatch(/^SEARCH r USING (COVERING )?INDEX document_revisions_one_effective \(document_id=\?\)$/);
      expect(list.plan.filter((p) => /SCAN|status=\?/.test(p))).toEqual([]);
      expect(plans.length).toBe(3);
    },
  );

  it.skipIf(onPostgres)('a search within a procedure or a type scores only its documents, read from an index, with the same results', async () => {
    const procedureId = Number(Object.values((await one<Record<string, unknown>>(t, "select id from procedures where code = 'QT-TD-01'")) ?? {})[0]);
    let within: SearchHit[] = [];
    const plans = await plansOf(async (db) => {
      within = await searchDocuments(db, 'tham dinh ho so', 50, { procedureId });
    });
    expect(within).toEqual(await searchBefore(t.ctx.db, 'tham dinh ho so'));
    const ranking = plans.find((p) => p.sql.includes('bm25('))!;
    // The organisation's documents of the procedure (documents_fts has no organisation column: migration 2026_12_10_1100).
    expect(ranking.plan).toContain(
      'SEARCH documents USING COVERING INDEX documents_org_procedure_status_idx (organisation_id=? AND procedure_id=? AND status=?)',
    );
    expect(ranking.sql).not.toMatch(/highlight|snippet|body/);
    expect(await searchDocuments(t.ctx.db, 'tham dinh ho so', 50, { procedureId: procedureId + 1000 })).toEqual([]);
    expect(await searchDocuments(t.ctx.db, 'tham dinh ho so', 50, { type: 'form' })).toEqual([]);
  });

  it.skipIf(onPostgres)('the procedure filter checks documents from an index alone', async () => {
    const plans = await plansOf((db) => listProceduresWithDocuments(db, today()));
    expect(plans[0].plan).toContain('SEARCH documents USING COVERING INDEX documents_procedure_status_idx (procedure_id=? AND status=?)');
  });

  it('finds the known documents in the known order, ties by document id, with the hits marked on the original words', async () => {
    const hits = await searchDocuments(t.ctx.db, 'tham dinh ho so');
    expect(hits.map((h) => h.documentId)).toEqual([ids.title, ids.body, ids.twin1, ids.twin2]);
    expect(ids.twin1).toBeLessThan(ids.twin2);
    if (!onPostgres) {
      const rowids = await rows<{ rowid: number }>(
        t,
        'select document_id, rowid from documents_fts where document_id in (?, ?) order by document_id',
        ids.twin1,
        ids.twin2,
      );
      expect(rowids[0].rowid).toBeGreaterThan(rowids[1].rowid); // the tie is not settled by rowid
    }
    // Every word is a prefix: "dinh" marks "định" of "Quy định", "so" the "soát" of "kiểm soát".
    expect(hits.map((h) => marked(h.title))).toEqual([
      'Hướng dẫn [thẩm định hồ sơ] quyết toán',
      'Quy [định] lưu trữ',
      'Biểu mẫu phiếu kiểm [soát]',
      'Biểu mẫu phiếu kiểm [soát]',
    ]);
    expect(hits.map((h) => marked(h.snippet))).toEqual([
      '',
      '[Hồ sơ] lưu trữ 5 năm. Việc [thẩm định] do trưởng phòng thực hiện; [hồ sơ thẩm định] kèm biên bản.',
      'Cán bộ ghi kết quả [thẩm định hồ sơ] vào phiếu kiểm [soát] quá trình.',
      'Cán bộ ghi kết quả [thẩm định hồ sơ] vào phiếu kiểm [soát] quá trình.',
    ]);

    // A limit that cuts between the twins keeps the lower document id.
    expect((await searchDocuments(t.ctx.db, 'tham dinh ho so', 3)).map((h) => h.documentId)).toEqual([ids.title, ids.body, ids.twin1]);
    expect((await searchDocuments(t.ctx.db, 'phieu kiem soat', 1)).map((h) => h.documentId)).toEqual([ids.twin1]);
  });

  // The former statement is FTS5's (SQLite).
  it.skipIf(onPostgres)('gives what the former single statement gave, for every query and limit', async () => {
    for (const q of ['tham dinh ho so', 'thẩm định', 'hồ sơ', 'phieu kiem soat', 'biểu mẫu', 'QĐ-TD', 'tiep cong dan', 'khong co tu nay', 'h']) {
      for (const limit of [1, 2, 3, 4, 50]) {
        expect(await searchDocuments(t.ctx.db, q, limit), `${q} / ${limit}`).toEqual(await searchBefore(t.ctx.db, q, limit));
      }
    }
  });

  it.runIf(onPostgres)('PostgreSQL: the ranking finds its matches through the GIN index; within a procedure, from its documents', async () => {
    const procedureId = Number(Object.values((await one<Record<string, unknown>>(t, "select id from procedures where code = 'QT-TD-01'")) ?? {})[0]);
    const plans = await postgresPlansOf(async (db) => {
      expect((await searchDocuments(db, 'thẩm định hồ sơ')).length).toBe(4);
      expect((await searchDocuments(db, 'tham dinh ho so', 50, { procedureId })).length).toBe(4);
    });
    const [all, within] = plans.filter((p) => p.sql.includes('ts_rank('));
    // Organisations: the matches are the organisation's documents' (documents_fts has no organisation column). On a
    // test's few rows the planner may start from the organisation's documents (an index) and read their entries by
    // document id; with a province's statistics it weighs that against the GIN index. Either way, from indexes.
    expect(all.plan.join('\n')).toMatch(/Bitmap Index Scan on documents_fts_search_idx|Index Cond: \(organisation_id = 1\)/);
    // From an index of the documents (which one, on a test's few rows, is the planner's choice among equals).
    expect(within.plan.join('\n')).toMatch(/Index (Only )?Scan using \w+ on documents\b/);
    for (const p of [all, within]) {
      expect(p.plan.join('\n')).not.toMatch(/Seq Scan/);
      // The ranking reads no text: the originals are read for the page's rows only, after the ranking's limit.
      expect(p.sql).not.toMatch(/"body"|"title"/);
      const ranking = p.sql.slice(p.sql.indexOf(' from ( '), p.sql.indexOf(' limit 50) r join '));
      expect(ranking).toContain('ts_rank(');
      expect(ranking).not.toMatch(/_text/);
    }
  });

  it("the search's page gives each hit the row listCurrentDocuments gives its document, in rank order, filters kept", async () => {
    const procedureId = Number(Object.values((await one<Record<string, unknown>>(t, "select id from procedures where code = 'QT-TD-01'")) ?? {})[0]);
    for (const q of ['tham dinh ho so', 'biểu mẫu', 'QĐ-TD', 'khong co tu nay']) {
      for (const within of [{}, { procedureId }, { procedureId: procedureId + 1000 }, { type: 'procedure' as const }, { type: 'form' as const }]) {
        const hits = await searchDocuments(t.ctx.db, q, 50, within);
        const rows = new Map((await listCurrentDocuments(t.ctx.db, { ...within, ids: hits.map((h) => h.documentId) }, today())).map((d) => [d.id, d]));
        const expected = hits.flatMap((hit) => (rows.has(hit.documentId) ? [{ ...rows.get(hit.documentId)!, hit }] : []));
        expect(await searchCurrentDocuments(t.ctx.db, q, 50, within), `${q} ${JSON.stringify(within)}`).toEqual(expected);
      }
    }
    expect((await searchCurrentDocuments(t.ctx.db, 'tham dinh ho so', 50)).map((d) => d.id)).toEqual([ids.title, ids.body, ids.twin1, ids.twin2]);
  });

  it('the search page lists the matched documents in rank order with the hits marked', async () => {
    const res = await staff.get(`/documents/current?q=${encodeURIComponent('thẩm định hồ sơ')}`);
    expect(res.status).toBe(200);
    const codes = [...res.text.matchAll(/<h2 class="search-title"><a href="\/documents\/(\d+)"><code>([^<]+)<\/code>/g)].map((m) => [Number(m[1]), m[2]]);
    expect(codes).toEqual([
      [ids.title, 'HD-TD-01'],
      [ids.body, 'QĐ-TD-04'],
      [ids.twin1, 'BM-TD-02'],
      [ids.twin2, 'BM-TD-03'],
    ]);
    expect(res.text).toContain('Hướng dẫn <mark>thẩm định hồ sơ</mark> quyết toán');
    expect(res.text).toContain(
      '<mark>Hồ sơ</mark> lưu trữ 5 năm. Việc <mark>thẩm định</mark> do trưởng phòng thực hiện; <mark>hồ sơ thẩm định</mark> kèm biên bản.',
    );
    // With a filter, the matched documents outside it are left out, the order kept.
    const typed = await staff.get(`/documents/current?q=${encodeURIComponent('thẩm định hồ sơ')}&type=form`);
    expect(typed.status).toBe(200);
    expect(typed.text).not.toContain('class="search-title"');
  });
});
