import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, ExternalHyperlink, Packer, Paragraph, TextRun } from 'docx';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { approve, auditActions, count, createDocument, createDraft, publish, review, signInPeople, submit, v } from '../documents/helpers';
import { PDF } from '../documents/fixtures';
import { buildDocx, diffBlock, diffMarks, PROCESS, uploadWord, type WordContent } from './support';

/**
 * Revisions written in Word (issue 25): a real .docx (built with the `docx` package) is read into safe HTML and shown,
 * its original downloadable; two Word revisions, and a Markdown revision and a Word one, compare sentence by sentence
 * as text; files that are not a readable Word document are refused next to the field with nothing stored.
 */
let t: TestApp;
let qo: SignedIn;
let leader: SignedIn;
let admin: SignedIn;
let staff: SignedIn;
let people: { author: SignedIn; reviewer: SignedIn; approver: SignedIn };
const MAX = 60_000;

beforeAll(async () => {
  t = await createTestApp({ config: { uploadMaxBytes: MAX } });
  ({ qo, leader, admin, staff, people } = await signInPeople(t));
});
afterAll(async () => t.close());

const CHANGED: WordContent = {
  ...PROCESS,
  paragraphs: [PROCESS.paragraphs[0], 'Công chức kiểm tra tính đầy đủ của hồ sơ. Kết quả được trả trong 7 ngày làm việc.'],
};

async function wordDraft(docId: number, content: WordContent | Buffer, summary?: string): Promise<number> {
  const file = Buffer.isBuffer(content) ? content : await buildDocx(content);
  const res = await uploadWord(qo, `/documents/${docId}/revisions/word`, file, 'Quy trình LLTP.docx', summary ? { word_summary: summary } : {});
  expect(res.status, res.text.slice(0, 3000)).toBe(303);
  return Number(/\/revisions\/(\d+)$/.exec(res.headers.location)![1]);
}

async function publishWord(docId: number, content: WordContent, summary?: string): Promise<number> {
  const revId = await wordDraft(docId, content, summary);
  expect((await submit(qo, t, docId, revId)).status).toBe(303);
  expect((await review(admin, t, docId, revId)).status).toBe(303);
  expect((await approve(leader, t, docId, revId)).status).toBe(303);
  return revId;
}

describe('a revision written in Word', () => {
  let docId: number;
  let rev1: number;
  let rev2: number;

  beforeAll(async () => {
    docId = await createDocument(qo, { code: 'QT-LLTP-01', title: 'Cấp phiếu lý lịch tư pháp' });
  });

  it('is converted and shown: heading, paragraphs and table cells, the original stored and downloadable', async () => {
    const docx = await buildDocx(PROCESS);
    rev1 = await wordDraft(docId, docx);
    const [row] = await rows<{ source: string; source_name: string; source_sha256: string; body: string }>(
      t,
      'select source, source_name, source_sha256, body from document_revisions where id = ?',
      rev1,
    );
    expect(row.source).toBe('docx');
    expect(row.source_name).toBe('Quy trình LLTP.docx');
    expect(row.body).toContain('<h1>Quy trình cấp phiếu lý lịch tư pháp</h1>');
    expect(readFileSync(join(t.config.filesPath, row.source_sha256.slice(0, 2), row.source_sha256)).equals(docx)).toBe(true);
    expect(await auditActions(t, 'document_revision', rev1)).toEqual(['create']);

    const page = await qo.get(`/documents/${docId}/revisions/${rev1}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Quy trình cấp phiếu lý lịch tư pháp</h1>');
    expect(page.text).toContain('<h2>Các bước thực hiện</h2>');
    expect(page.text).toContain('<p>Công chức kiểm tra tính đầy đủ của hồ sơ. Kết quả được trả trong 10 ngày làm việc.</p>');
    expect(page.text).toContain('<td><p>Phòng Tư pháp</p></td>');
    expect(page.text).toContain('Lần ban hành này được soạn bằng Word.');

    const dl = await qo
      .get(`/documents/${docId}/revisions/${rev1}/source`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(dl.status).toBe(200);
    expect(dl.headers['content-type']).toContain('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(dl.headers['content-disposition']).toMatch(/^attachment;/);
    expect((dl.body as Buffer).equals(docx)).toBe(true);
  });

  it('staff read the Word content and download the original once it is in force, not before', async () => {
    expect((await staff.get(`/documents/${docId}/revisions/${rev1}/source`)).status).toBe(404);
    expect((await submit(qo, t, docId, rev1)).status).toBe(303);
    expect((await review(admin, t, docId, rev1)).status).toBe(303);
    expect((await approve(leader, t, docId, rev1)).status).toBe(303);
    const page = await staff.get(`/documents/${docId}`);
    expect(page.text).toContain('<td><p>Bộ phận Một cửa</p></td>');
    expect((await staff.get(`/documents/${docId}/revisions/${rev1}/source`)).status).toBe(200);
    expect((await staff.post(`/documents/${docId}/revisions/${rev1}/acknowledge`)).status).toBe(303);
  });

  it('a second Word revision with one sentence changed: the diff shows that sentence removed and added, nothing else', async () => {
    rev2 = await publishWord(docId, CHANGED, 'Rút ngắn thời hạn trả kết quả');
    const compare = await leader.get(`/documents/${docId}/compare?from=${rev1}&to=${rev2}`);
    expect(compare.status).toBe(200);
    expect(diffMarks(compare.text)).toEqual({
      removed: ['Kết quả được trả trong 10 ngày làm việc.'],
      added: ['Kết quả được trả trong 7 ngày làm việc.'],
    });
    const block = diffBlock(compare.text);
    expect(block).toContain('Công chức kiểm tra tính đầy đủ của hồ sơ.');
    expect(block).toContain('Thẩm định · Phòng Tư pháp · 8 ngày');
    expect(block).not.toMatch(/<(p|td|h1)>/);

    // The reader who acknowledged revision 1 sees the same sentences in "what changed since you last read".
    const page = await staff.get(`/documents/${docId}`);
    expect(diffMarks(page.text)).toEqual({
      removed: ['Kết quả được trả trong 10 ngày làm việc.'],
      added: ['Kết quả được trả trong 7 ngày làm việc.'],
    });
  });

  it('a new draft after a Word revision starts from its text, and its source is frozen once submitted', async () => {
    const form = await qo.get(`/documents/${docId}/revisions/new`);
    expect(form.text).toContain('Kết quả được trả trong 7 ngày làm việc.');
    expect(form.text).not.toContain('&lt;p&gt;');
    const rev3 = await wordDraft(docId, PROCESS, 'Khôi phục thời hạn');
    expect((await submit(qo, t, docId, rev3)).status).toBe(303);
    const replace = await uploadWord(qo, `/documents/${docId}/revisions/${rev3}/word`, await buildDocx(CHANGED), 'b.docx', { version: await v(t, rev3) });
    expect(replace.status).toBe(409);
    await expect(
      t.ctx.db.updateTable('document_revisions').set({ source: 'markdown', source_sha256: null, source_name: null }).where('id', '=', rev3).execute(),
    ).rejects.toThrow(/frozen/);
  });
});

describe('Markdown and Word revisions compare as text', () => {
  const MD = [
    '# Quy trình chứng thực bản sao',
    '',
    '## Mục đích',
    '',
    'Quy trình này hướng dẫn **chứng thực** bản sao từ bản chính. Hồ sơ được trả ngay trong ngày.',
    '',
    '| Bước | Trách nhiệm |',
    '|---|---|',
    '| Tiếp nhận | Bộ phận Một cửa |',
  ].join('\n');
  const WORD: WordContent = {
    heading: 'Quy trình chứng thực bản sao',
    paragraphs: ['Mục đích', 'Quy trình này hướng dẫn chứng thực bản sao từ bản chính. Hồ sơ được trả trong 2 giờ làm việc.'],
    table: [
      ['Bước', 'Trách nhiệm'],
      ['Tiếp nhận', 'Bộ phận Một cửa'],
    ],
  };

  it('Markdown then Word, then Word then Markdown: only the changed sentence, no ## nor |---| nor **', async () => {
    const docId = await createDocument(qo, { code: 'QT-CT-01', title: 'Chứng thực bản sao' });
    const md = await publish(t, people, docId, MD);
    const word = await publishWord(docId, WORD, 'Thời hạn trả kết quả');
    const back = await publish(t, people, docId, MD.replace('ngay trong ngày', 'trong 4 giờ làm việc'), 'Về Markdown');

    const first = await leader.get(`/documents/${docId}/compare?from=${md}&to=${word}`);
    expect(diffMarks(first.text)).toEqual({ removed: ['Hồ sơ được trả ngay trong ngày.'], added: ['Hồ sơ được trả trong 2 giờ làm việc.'] });
    const second = await leader.get(`/documents/${docId}/compare?from=${word}&to=${back}`);
    expect(diffMarks(second.text)).toEqual({ removed: ['Hồ sơ được trả trong 2 giờ làm việc.'], added: ['Hồ sơ được trả trong 4 giờ làm việc.'] });
    for (const page of [first, second]) {
      const block = diffBlock(page.text);
      expect(block).toContain('Tiếp nhận · Bộ phận Một cửa');
      expect(block).not.toMatch(/##|\|---|\*\*|\| Bước/);
    }
  });
});

describe('Word files that are refused', () => {
  let docId: number;
  let draft: number;
  beforeAll(async () => {
    docId = await createDocument(qo, { code: 'QT-HT-01', title: 'Đăng ký hộ tịch' });
    draft = await createDraft(qo, docId, 'Nội dung Markdown ban đầu.');
  });

  const snapshot = async () => ({
    files: await count(t, 'select count(*) from files'),
    revisions: await count(t, 'select count(*) from document_revisions'),
    draft: await rows(t, 'select body, source, source_sha256, version from document_revisions where id = ?', draft),
  });

  it('refuses a non-docx, a PDF or a workbook renamed .docx, a damaged zip and a file over the limit — 422, message at the field, nothing stored', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('BM').addRow(['Mã hồ sơ']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const good = await buildDocx(PROCESS);
    const damaged = good.subarray(0, Math.floor(good.length * 0.9)); // cut short: no central directory, the entries still say Word
    const big = await buildDocx({ ...PROCESS, paragraphs: [randomBytes(90_000).toString('base64')] }); // does not compress
    expect(big.length).toBeGreaterThan(MAX);
    const cases: [Buffer, string, string][] = [
      [Buffer.from('Chỉ là một tệp văn bản thường.'), 'quy-trinh.docx', 'Tệp không phải tài liệu Word (.docx)'],
      [PDF, 'quy-trinh.docx', 'Tệp không phải tài liệu Word (.docx)'],
      [xlsx, 'bang-tinh.docx', 'Tệp không phải tài liệu Word (.docx)'],
      [damaged, 'hong.docx', 'Không đọc được tệp Word: tệp bị hỏng hoặc không đầy đủ.'],
      [big, 'lon.docx', `Tệp lớn hơn ${Math.round(MAX / 1048576)} MB cho phép.`],
    ];
    const before = await snapshot();
    for (const [file, name, message] of cases) {
      for (const path of [`/documents/${docId}/revisions/${draft}/word`, `/documents/99999/revisions/word`]) {
        const res = await uploadWord(qo, path, file, name, { version: await v(t, draft) });
        if (path.startsWith('/documents/99999')) {
          expect(res.status).toBe(404);
          continue;
        }
        expect(res.status, `${name}: ${res.text.slice(0, 500)}`).toBe(422);
        expect(res.text).toMatch(/<p class="field-error" id="e-word_file">[^<]+<\/p>/);
        expect(res.text).toContain(message);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a missing file and a missing summary are field errors too', async () => {
    const res = await qo.agent
      .post(`/documents/${docId}/revisions/${draft}/word`)
      .field('_csrf', qo.csrf)
      .field('version', await v(t, draft));
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="e-word_file">[^<]+</);
    const pub = await publish(t, people, await createDocument(qo, { code: 'QT-HT-02', title: 'Khai sinh' }), 'Bản đầu.');
    expect(pub).toBeGreaterThan(0);
    const [doc] = await rows<{ document_id: number }>(t, 'select document_id from document_revisions where id = ?', pub);
    const noSummary = await uploadWord(qo, `/documents/${doc.document_id}/revisions/word`, await buildDocx(PROCESS), 'a.docx');
    expect(noSummary.status).toBe(422);
    expect(noSummary.text).toContain('Vui lòng nêu nội dung sửa đổi');
  });

  it('never keeps a script, an inline style, an image or a javascript: link from the Word file', async () => {
    const docx = await Packer.toBuffer(
      new Document({
        sections: [
          {
            children: [
              new Paragraph({ children: [new TextRun('<script>alert("x")</script> Nội dung an toàn.')] }),
              new Paragraph({ children: [new ExternalHyperlink({ link: 'javascript:alert(1)', children: [new TextRun('bấm vào đây')] })] }),
              new Paragraph({ children: [new ExternalHyperlink({ link: 'https://dichvucong.gov.vn', children: [new TextRun('Cổng DVC')] })] }),
            ],
          },
        ],
      }),
    );
    const res = await uploadWord(qo, `/documents/${docId}/revisions/${draft}/word`, docx, 'x.docx', { version: await v(t, draft) });
    expect(res.status, res.text.slice(0, 2000)).toBe(303);
    const page = await qo.get(`/documents/${docId}/revisions/${draft}`);
    const body = /<article class="markdown doc-body">([\s\S]*?)<\/article>/.exec(page.text)![1];
    expect(body).toContain('<p>&lt;script&gt;alert("x")&lt;/script&gt; Nội dung an toàn.</p>');
    expect(body).not.toMatch(/<script|javascript:|style=|<img|on\w+=/i);
    // the javascript: link keeps its words, without an address: an inert <a>
    expect(body).toContain('<p><a>bấm vào đây</a></p>');
    expect(body).toContain('<a href="https://dichvucong.gov.vn" rel="noopener noreferrer nofollow">Cổng DVC</a>');
    // Saving the summary form with "keep the Word file" keeps the content; choosing Markdown replaces it.
    const kept = await qo.post(`/documents/${docId}/revisions/${draft}`, { version: await v(t, draft), keep_word: '1', body: 'bỏ qua' });
    expect(kept.status).toBe(303);
    expect((await rows<{ source: string }>(t, 'select source from document_revisions where id = ?', draft))[0].source).toBe('docx');
    const md = await qo.post(`/documents/${docId}/revisions/${draft}`, { version: await v(t, draft), keep_word: '0', body: 'Viết lại bằng Markdown.' });
    expect(md.status).toBe(303);
    expect(await rows(t, 'select source, source_sha256, body from document_revisions where id = ?', draft)).toEqual([
      { source: 'markdown', source_sha256: null, body: 'Viết lại bằng Markdown.' },
    ]);
  });

  it('only quality officers and admins upload (403 for leaders and staff), and never without the form token', async () => {
    const file = await buildDocx(PROCESS);
    for (const who of [leader, staff]) {
      const res = await uploadWord(who, `/documents/${docId}/revisions/${draft}/word`, file, 'a.docx', { version: await v(t, draft) });
      expect(res.status).toBe(403);
    }
    const noToken = await qo.agent
      .post(`/documents/${docId}/revisions/${draft}/word`)
      .field('version', await v(t, draft))
      .attach('word_file', file, 'a.docx');
    expect(noToken.status).toBe(403);
    expect((await uploadWord(admin, `/documents/${docId}/revisions/${draft}/word`, file, 'a.docx', { version: await v(t, draft) })).status).toBe(303);
  });
});
