import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RANKED_CANDIDATES } from '../../src/core/db/dialect/search';
import { searchDocuments, upsertSearchEntry } from '../../src/features/documents/documents.search.queries';
import { createTestApp, run, type TestApp } from '../support/app';
import { onPostgres } from '../support/engine';

/**
 * A query of common words matches most of a province's documents. PostgreSQL ranks a bounded set of candidates (core/
 * db/dialect/search.ts): the newest RANKED_CANDIDATES matches and the documents whose heading holds every word, however
 * old; SQLite's FTS5 ranks every match. The search entries are written directly (the ranking reads only them).
 */
let t: TestApp;
const FIRST = 900_000;
const titled = FIRST; // the oldest: the query's words in its title, not in its body
const bodies = Array.from({ length: RANKED_CANDIDATES + 20 }, (_, i) => FIRST + 1 + i); // the words in the body only

beforeAll(async () => {
  t = await createTestApp();
  // The documents themselves (the search finds the organisation's active documents only), then their entries.
  const entry = async (documentId: number, code: string, title: string, body: string) => {
    await run(
      t,
      `insert into documents (id, code, title, type, search_text, created_at, updated_at, organisation_id) values (?, ?, ?, 'form', ?, 'now', 'now', 1)`,
      documentId,
      code,
      title,
      code.toLowerCase(),
    );
    await upsertSearchEntry(t.ctx.db, { documentId, code, title, body, fileName: null });
  };
  await entry(titled, 'QT-TD-00', 'Quy trình thẩm định hồ sơ', 'Áp dụng cho mọi đơn vị.');
  for (const id of bodies) await entry(id, `BM-TD-${id}`, `Biểu mẫu số ${id}`, 'Cán bộ ghi kết quả thẩm định hồ sơ vào phiếu.');
});
afterAll(async () => t.close());

describe('many matches', () => {
  it('the document whose title holds every word comes first, however old, then a page of the others', async () => {
    const hits = await searchDocuments(t.ctx.db, 'thẩm định hồ sơ', 50);
    expect(hits.length).toBe(50);
    expect(hits[0].documentId).toBe(titled);
    expect(hits[0].title.filter((p) => p.hit).map((p) => p.text)).toEqual(['thẩm định hồ sơ']);
    const rest = hits.slice(1).map((h) => h.documentId);
    expect(rest.every((id) => bodies.includes(id))).toBe(true);
    // Equal scores: by document id. PostgreSQL ranked the newest RANKED_CANDIDATES of them, SQLite all.
    const candidates = onPostgres ? bodies.slice(-RANKED_CANDIDATES) : bodies;
    expect(rest).toEqual(candidates.slice(0, 49));
  });

  it('without the words in a title, the newest matches are ranked; a query few documents match ranks them all', async () => {
    const hits = await searchDocuments(t.ctx.db, 'ket qua tham', 5);
    expect(hits.map((h) => h.documentId)).toEqual((onPostgres ? bodies.slice(-RANKED_CANDIDATES) : bodies).slice(0, 5));
    // The words typed in part: only the oldest document matches, found among the newest matches of the index.
    const partial = await searchDocuments(t.ctx.db, 'quy trinh tham dinh ho s', 3);
    expect(partial.map((h) => h.documentId)).toEqual([titled]);
  });
});
