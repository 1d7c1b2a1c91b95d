import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { fts5Highlight, fts5Snippet, HIT_END, HIT_START, tsqueryText } from '../../src/core/db/dialect/search';
import { searchDocuments, upsertSearchEntry } from '../../src/features/documents/documents.search.queries';
import { foldSameLength, searchWords } from '../../src/features/documents/documents.text';
import { createTestApp, run, type SignedIn, type TestApp } from '../support/app';
import { onPostgres } from '../support/engine';
import { addEffectiveDocument } from '../nonconformities/helpers';
import { addProcedure } from './helpers';

/**
 * Document search on both engines: FTS5 on SQLite, a tsvector under a GIN index on PostgreSQL (core/db/dialect/
 * search.ts). The same words find the same documents, diacritics or not, and the hits are marked on the original words.
 * The highlights and snippets are computed in JavaScript on both engines; on SQLite they are checked against FTS5's own.
 */
let t: TestApp;
let staff: SignedIn;
const ids: Record<string, number> = {};
const marked = (parts: { text: string; hit: boolean }[]) => parts.map((p) => (p.hit ? `[${p.text}]` : p.text)).join('');

async function addDocument(procedureId: number, code: string, title: string, body: string, fileName: string | null = null) {
  const { documentId } = await addEffectiveDocument(t, procedureId, code, 'procedure');
  await run(t, 'update documents set title = ? where id = ?', title, documentId);
  await upsertSearchEntry(t.ctx.db, { documentId, code, title, body, fileName });
  return documentId;
}

beforeAll(async () => {
  t = await createTestApp();
  staff = await t.signIn('staff');
  const procedureId = await addProcedure(t, 'QT-TK-01');
  ids.quy = await addDocument(procedureId, 'QT-TK-01', 'Quy trình tiếp nhận hồ sơ', 'Bộ phận Một cửa tiếp nhận và trả kết quả. Thời hạn: 15 ngày làm việc.');
  ids.dang = await addDocument(procedureId, 'HD-ĐK-02', 'Hướng dẫn đăng ký', 'Công dân đăng ký tại Ủy ban nhân dân xã, ngày 2026-11-26.', 'Mẫu-đăng-ký.pdf');
  ids.other = await addDocument(procedureId, 'QĐ-TK-03', 'Quy định lưu trữ', 'Lưu trữ hồ sơ 5 năm theo quy trình chung.');
});
afterAll(async () => t.close());

describe('document search on either engine', () => {
  it('"quy trinh" finds "Quy trình", marked on the original words, the title before the body', async () => {
    const hits = await searchDocuments(t.ctx.db, 'quy trinh');
    expect(hits.map((h) => h.documentId)).toEqual([ids.quy, ids.other]);
    expect(hits.map((h) => marked(h.title))).toEqual(['[Quy trình] tiếp nhận hồ sơ', '[Quy] định lưu trữ']);
    expect(hits.map((h) => marked(h.snippet))).toEqual(['', 'Lưu trữ hồ sơ 5 năm theo [quy trình] chung.']);
    const page = await staff.get(`/documents/current?q=${encodeURIComponent('quy trinh')}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<mark>Quy trình</mark> tiếp nhận hồ sơ');
    expect(page.text).toContain('Tìm thấy 2 tài liệu');
  });

  it('finds with or without diacritics, đ as d, codes and file names word by word, every word as a prefix', async () => {
    const found = async (q: string) => (await searchDocuments(t.ctx.db, q)).map((h) => h.documentId);
    expect(await found('Quy trình')).toEqual([ids.quy, ids.other]);
    expect(await found('QUY TRINH tiep')).toEqual([ids.quy]);
    expect(await found('đăng ký')).toEqual([ids.dang]);
    expect(await found('dang ky')).toEqual([ids.dang]);
    expect(await found('HD-DK-02')).toEqual([ids.dang]);
    expect(await found('dk')).toEqual([ids.dang]);
    expect(await found('mau dang ky pdf')).toEqual([ids.dang]);
    expect(await found('26')).toEqual([ids.dang]); // 2026-11-26: three numbers
    expect(await found('11')).toEqual([ids.dang]);
    expect(await found('mot cua')).toEqual([ids.quy]);
    expect(await found('thoi han 15')).toEqual([ids.quy]);
    expect(await found('lưu trữ quy')).toEqual([ids.other]);
    expect(await found('trinh tiep khong')).toEqual([]);
    expect(await found('ho so')).toEqual([ids.quy, ids.other]);
    for (const q of ['"', "'", 'NEAR(', 'a OR', '*', ')))', 'bước:1', '\\', '& | ! <->', ':*']) {
      expect((await staff.get(`/documents/current?q=${encodeURIComponent(q)}`)).status, q).toBe(200);
    }
  });

  it('marks the hits of a long body in a snippet of 24 words around them', async () => {
    const procedureId = await addProcedure(t, 'QT-TK-09');
    const words = Array.from({ length: 60 }, (_, i) => `từ${i}`).join(' ');
    const id = await addDocument(procedureId, 'QT-TK-09', 'Văn bản dài', `${words}. Điều 5: thẩm định hồ sơ trong 3 ngày. ${words}`);
    const [hit] = await searchDocuments(t.ctx.db, 'thẩm định', 50);
    expect(hit.documentId).toBe(id);
    // A sentence that begins with a hit ("…: thẩm định") is preferred to a window centred on it.
    expect(marked(hit.snippet)).toBe('…[thẩm định] hồ sơ trong 3 ngày. từ0 từ1 từ2 từ3 từ4 từ5 từ6 từ7 từ8 từ9 từ10 từ11 từ12 từ13 từ14 từ15 từ16…');
  });
});

describe('the folding of the indexed text', () => {
  /** The definition: each character (code point) on its own, NFD without marks, lower case, đ → d, kept if that changes its length. */
  function foldPerCharacter(text: string): string {
    let out = '';
    for (const ch of text) {
      let f =
        ch === 'đ' || ch === 'Đ'
          ? 'd'
          : ch
              .normalize('NFD')
              .replace(/[\u0300-\u036f]/g, '')
              .toLowerCase();
      if (f.length !== ch.length) f = ch.toLowerCase().length === ch.length ? ch.toLowerCase() : ch;
      out += f;
    }
    return out;
  }

  it('gives every character its fold, the length kept (Vietnamese, capitals, other scripts, marks, surrogates)', () => {
    const samples = [
      '',
      'quy trinh 2026',
      'QUY TRÌNH THẨM ĐỊNH HỒ SƠ — Điều 5: Đăng ký tại Ủy ban; ưu tiên, ờ, Ữ.',
      'İstanbul ΣΊΣΥΦΟΣ Ꭰ ß ẞ ﬁ Ǆ ǅ Å Å ḱ́ n\u0303 a\u0301',
      'emoji 😀 math 𝐀𝐁 deseret 𐐀𐐨 lone \ud800 x \udc00 end \ud83d',
      '한국어 日本語 中文 ไทย עברית العربية',
      '…ellipsis “quotes” ‘single’ ０１２ＡＢＣ',
    ];
    for (let c = 0x80; c < 0x2500; c += 7) samples.push(String.fromCharCode(c, c + 1, c + 2, 0x41 + (c % 26), c + 3));
    for (const text of samples) {
      expect(foldSameLength(text), JSON.stringify(text)).toBe(foldPerCharacter(text));
      expect(foldSameLength(text).length).toBe(text.length);
    }
  });
});

describe('highlights and snippets computed in JavaScript (both engines)', () => {
  it('builds the tsquery of prefixes', () => {
    expect(tsqueryText(['quy', 'trinh'])).toBe("'quy':* & 'trinh':*");
  });

  /** Texts and queries where FTS5's choice of snippet is not obvious: sentences, repeats, short and long columns. */
  function corpus(): { text: string; query: string }[] {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const vocabulary = ['thẩm', 'định', 'hồ', 'sơ', 'quy', 'trình', 'Một', 'cửa', 'đăng', 'ký', 'kết', 'quả', 'ngày', '15', 'A1', 'xã'];
    const stops = [' ', ' ', ' ', ' ', ', ', '. ', ': ', ' - ', '\n', '; ', '.\n\n', ' (', ') '];
    const out: { text: string; query: string }[] = [
      { text: '', query: 'quy' },
      { text: 'Quy trình', query: 'quy trinh' },
      { text: '  Quy trình.  ', query: 'trinh' },
      { text: 'Mục đích: quy trình này quy định việc tiếp nhận hồ sơ.', query: 'quy ho' },
    ];
    for (let n = 0; n < 300; n++) {
      const length = 1 + Math.floor(random() * 90);
      let text = random() < 0.2 ? '— ' : '';
      for (let i = 0; i < length; i++) text += vocabulary[Math.floor(random() * vocabulary.length)] + stops[Math.floor(random() * stops.length)];
      const query = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
        vocabulary[Math.floor(random() * vocabulary.length)].slice(0, 1 + Math.floor(random() * 3)),
      ).join(' ');
      out.push({ text, query });
    }
    return out;
  }

  it.skipIf(onPostgres)('gives exactly what FTS5 gives (SQLite: compared with highlight() and snippet() themselves)', async () => {
    // A scratch FTS5 table in the test's own database: FTS5 exists on SQLite only.
    await run(t, "create virtual table scratch_fts using fts5(x, tokenize = 'unicode61 remove_diacritics 2')");
    for (const { text, query } of corpus()) {
      const folded = foldSameLength(text);
      const words = searchWords(query);
      await run(t, 'delete from scratch_fts');
      await run(t, 'insert into scratch_fts (x) values (?)', folded);
      const match = words.map((w) => `"${w}"*`).join(' OR ');
      const { rows } = await sql<{ hl: string; snip: string }>`select highlight(scratch_fts, 0, ${HIT_START}, ${HIT_END}) as hl,
        snippet(scratch_fts, 0, ${HIT_START}, ${HIT_END}, '…', 24) as snip from scratch_fts where scratch_fts match ${match}`.execute(t.ctx.db);
      if (rows.length === 0) {
        expect(fts5Highlight(folded, words), `${query} in ${JSON.stringify(text)}`).not.toContain(HIT_START);
        continue;
      }
      expect(fts5Highlight(folded, words), `${query} in ${JSON.stringify(text)}`).toBe(rows[0].hl);
      expect(fts5Snippet(folded, words, 24), `${query} in ${JSON.stringify(text)}`).toBe(rows[0].snip);
    }
    await run(t, 'drop table scratch_fts');
  });
});
