import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import request from 'supertest';
import type { SignedIn } from '../support/app';

/** Word files built for the tests with the `docx` package: a heading, paragraphs, a table (as offices write them). */
export interface WordContent {
  heading: string;
  paragraphs: string[];
  table: string[][];
  /** A second-level heading before the table. */
  tableHeading?: string;
}

export async function buildDocx(content: WordContent): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: content.heading, heading: HeadingLevel.HEADING_1 }),
          ...content.paragraphs.map((p) => new Paragraph({ children: [new TextRun(p)] })),
          ...(content.tableHeading ? [new Paragraph({ text: content.tableHeading, heading: HeadingLevel.HEADING_2 })] : []),
          new Table({
            rows: content.table.map((row) => new TableRow({ children: row.map((cell) => new TableCell({ children: [new Paragraph(cell)] })) })),
          }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export const PROCESS: WordContent = {
  heading: 'Quy trình cấp phiếu lý lịch tư pháp',
  paragraphs: [
    'Quy trình này áp dụng tại Bộ phận Một cửa. Hồ sơ được tiếp nhận trong giờ hành chính.',
    'Công chức kiểm tra tính đầy đủ của hồ sơ. Kết quả được trả trong 10 ngày làm việc.',
  ],
  tableHeading: 'Các bước thực hiện',
  table: [
    ['Bước', 'Trách nhiệm', 'Thời gian'],
    ['Tiếp nhận hồ sơ', 'Bộ phận Một cửa', '0,5 ngày'],
    ['Thẩm định', 'Phòng Tư pháp', '8 ngày'],
  ],
};

/** Uploads a Word file as a new draft (no `revId`) or as a draft's new content; the token first, the file last. */
export function uploadWord(who: SignedIn, path: string, file: Buffer, name: string, fields: Record<string, string> = {}): request.Test {
  let req = who.agent.post(path).field('_csrf', who.csrf);
  for (const [k, value] of Object.entries(fields)) req = req.field(k, value);
  return req.attach('word_file', file, name);
}

/** The diff block of a page (the compare page's or the acknowledgement's). */
export const diffBlock = (html: string) => /<div class="doc-diff[^"]*">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';

/** The texts marked removed and added in the diff block of a page. */
export function diffMarks(page: string): { removed: string[]; added: string[] } {
  const html = diffBlock(page);
  const decode = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/&#x3D;/g, '=')
      .replace(/&amp;/g, '&')
      .trim();
  const all = (re: RegExp) => [...html.matchAll(re)].map((m) => decode(m[1]));
  return { removed: all(/<del class="diff">([\s\S]*?)<\/del>/g), added: all(/<ins class="diff">([\s\S]*?)<\/ins>/g) };
}
