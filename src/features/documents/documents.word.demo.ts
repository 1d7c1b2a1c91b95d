import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import type { AppContext } from '../../core/context';
import { storeFile } from '../../core/files';
import type { Signer } from '../../core/security/signatures';
import type { DemoContext } from '../demo-context';
import { issueCopy } from './documents.copies.service';
import { findRevision } from './documents.revisions.queries';
import { createDocument, createRevision, submitRevision, type Actor } from './documents.service';
import { readDocx } from './documents.word';
import { acknowledgeRevision, approveRevision, reviewRevision } from './documents.workflow';

/**
 * Demo of a document written in Word (issue 25): the one-stop desk's work instruction HD-MC-01, first issued in
 * Markdown, then rewritten in Word (built here with the `docx` package, as an office's .docx) with one sentence
 * changed, so "compare" and the desk officer's "what changed since you last read" show that sentence; and its
 * controlled copy no. 1 issued to the reception counter.
 */
interface People {
  daysAgo: (days: number) => AppContext;
  author: Actor;
  reviewer: Signer;
  approver: Signer;
  reader?: number;
}

const TITLE = 'Hướng dẫn tiếp nhận và trả kết quả tại Bộ phận Một cửa';
const INTRO = 'Hướng dẫn này áp dụng cho công chức làm việc tại Bộ phận Một cửa của cơ quan.';
const CHECK = 'Công chức kiểm tra thành phần hồ sơ theo danh mục đã công bố. Hồ sơ chưa đầy đủ được hướng dẫn bổ sung một lần bằng văn bản.';
const RECEIPT_OLD = 'Giấy tiếp nhận và hẹn trả kết quả được in và giao cho người nộp.';
const RECEIPT_NEW = 'Giấy tiếp nhận và hẹn trả kết quả được gửi qua tin nhắn và thư điện tử, bản giấy chỉ in khi người nộp yêu cầu.';
const STEPS = [
  ['Bước', 'Nội dung', 'Thời gian'],
  ['1', 'Tiếp nhận, kiểm tra hồ sơ', 'Ngay khi nhận'],
  ['2', 'Chuyển hồ sơ cho phòng chuyên môn', 'Trong ngày làm việc'],
  ['3', 'Trả kết quả, thu lại giấy hẹn', 'Theo ngày hẹn'],
];

function markdown(): string {
  const table = [`| ${STEPS[0].join(' | ')} |`, '|---|---|---|', ...STEPS.slice(1).map((r) => `| ${r.join(' | ')} |`)];
  return [`# ${TITLE}`, '', '## Phạm vi', '', INTRO, '', '## Tiếp nhận hồ sơ', '', `${CHECK} ${RECEIPT_OLD}`, '', '## Các bước', '', ...table].join('\n');
}

async function wordFile(): Promise<Buffer> {
  const heading = (text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]) => new Paragraph({ text, heading: level });
  const doc = new Document({
    creator: 'Văn phòng',
    title: TITLE,
    sections: [
      {
        children: [
          heading(TITLE, HeadingLevel.HEADING_1),
          heading('Phạm vi', HeadingLevel.HEADING_2),
          new Paragraph({ children: [new TextRun(INTRO)] }),
          heading('Tiếp nhận hồ sơ', HeadingLevel.HEADING_2),
          new Paragraph({ children: [new TextRun(`${CHECK} ${RECEIPT_NEW}`)] }),
          heading('Các bước', HeadingLevel.HEADING_2),
          new Table({ rows: STEPS.map((r) => new TableRow({ children: r.map((c) => new TableCell({ children: [new Paragraph(c)] })) })) }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export async function seedWordDocument(demo: DemoContext, ownerUnitId: number | null, people: People): Promise<void> {
  const { daysAgo, author, reviewer, approver } = people;
  const docId = await createDocument(
    daysAgo(400),
    {
      code: 'HD-MC-01',
      title: TITLE,
      type: 'work_instruction',
      procedure_id: null,
      owner_unit_id: ownerUnitId,
      review_interval_months: 12,
      retention: '05 năm',
      ack_scope: 'owner_unit',
    },
    [],
    author.id,
  );
  const version = async (c: AppContext, revId: number) => (await findRevision(c.db, docId, revId))!.version;
  const publish = async (days: number, content: { body: string; change_summary: string | null; word?: { sha256: string; name: string } }) => {
    const c = daysAgo(days);
    const revId = await createRevision(c, docId, content, author);
    await submitRevision(c, docId, revId, await version(c, revId), author);
    const later = daysAgo(days - 0.2);
    await reviewRevision(later, docId, revId, { version: await version(c, revId), comment: 'Nội dung phù hợp.' }, reviewer);
    await approveRevision(later, docId, revId, { version: await version(c, revId), effectiveFrom: undefined }, approver);
    return revId;
  };
  const first = await publish(380, { body: markdown(), change_summary: null });
  if (people.reader) await acknowledgeRevision(daysAgo(375), docId, first, people.reader);
  const buffer = await wordFile();
  const stored = await storeFile(daysAgo(30), { buffer }, 'HD-MC-01 Huong dan Mot cua.docx');
  await publish(30, {
    body: await readDocx(buffer),
    change_summary: 'Gửi giấy hẹn qua tin nhắn và thư điện tử; soạn lại bằng Word.',
    word: { sha256: stored.sha256, name: stored.originalName },
  });
  await issueCopy(daysAgo(29), docId, 'Bộ phận Một cửa — quầy tiếp nhận số 1', author);
}
