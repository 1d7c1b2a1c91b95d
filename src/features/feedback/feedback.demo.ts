import type { AppContext } from '../../core/context';
import { addDays, todayLocal } from '../../core/calendar';
import { organisationOf } from '../../core/db/scope';
import type { DemoContext } from '../demo-context';
import { raiseAsNonconformity } from './feedback.nc.service';
import { answerFeedback, assignFeedback, cancelFeedback, closeFeedback, createFeedback } from './feedback.service';
import type { FeedbackChannel, FeedbackKind } from './feedback.tables';

/**
 * What becomes of a demo record: answered (and closed) that many days after receipt — within the 10 working days, or
 * 'late' three days after the deadline —, left open, raised as a nonconformity, or cancelled as a duplicate.
 */
type Fate = { answerAfter: number; close?: boolean } | 'late' | 'open' | 'nc' | 'cancel';

interface Spec {
  ago: number;
  channel: FeedbackChannel;
  kind: FeedbackKind;
  sender?: [string, string];
  content: string;
  /** Index among the model office's procedures, in code order. */
  procedure?: number;
  fate: Fate;
  answer?: string;
}

const SPECS: Spec[] = [
  {
    ago: 350,
    channel: 'counter',
    kind: 'feedback',
    sender: ['Nguyễn Văn Tâm', '0913 456 789'],
    content: 'Bảng niêm yết thủ tục tại Bộ phận Một cửa đã cũ, khó đọc.',
    procedure: 0,
    fate: { answerAfter: 4, close: true },
    answer: 'Đã thay bảng niêm yết mới, in khổ lớn.',
  },
  {
    ago: 320,
    channel: 'phone',
    kind: 'complaint',
    sender: ['Trần Thị Hoa', '0988 111 222'],
    content: 'Gọi điện hỏi tình trạng hồ sơ nhiều lần nhưng không ai nghe máy.',
    procedure: 1,
    fate: { answerAfter: 6, close: true },
    answer: 'Đã phân công công chức trực điện thoại trong giờ hành chính và xin lỗi bà Hoa.',
  },
  {
    ago: 280,
    channel: 'email',
    kind: 'recommendation',
    content: 'Đề nghị cho phép nộp bản chụp giấy tờ qua thư điện tử trước khi đến nộp bản chính.',
    procedure: 2,
    fate: { answerAfter: 8, close: true },
    answer: 'Đã trả lời: thực hiện qua Cổng dịch vụ công với mức độ trực tuyến một phần.',
  },
  {
    ago: 240,
    channel: 'portal',
    kind: 'feedback',
    sender: ['Lê Văn Bình', 'binh.le@example.vn'],
    content: 'Biểu mẫu tải về trên Cổng dịch vụ công là phiên bản cũ.',
    procedure: 0,
    fate: 'late',
    answer: 'Đã cập nhật biểu mẫu mới trên Cổng dịch vụ công.',
  },
  {
    ago: 200,
    channel: 'counter',
    kind: 'complaint',
    sender: ['Phạm Thị Nga', '0905 333 444'],
    content: 'Hồ sơ bị trả lại hai lần vì thiếu giấy tờ mà lần đầu không được hướng dẫn.',
    procedure: 1,
    fate: 'nc',
  },
  {
    ago: 170,
    channel: 'other',
    kind: 'feedback',
    content: 'Thư góp ý bỏ hòm thư: khu vực chờ thiếu ghế vào buổi sáng thứ Hai.',
    fate: { answerAfter: 5, close: true },
    answer: 'Đã bổ sung 10 ghế chờ.',
  },
  { ago: 140, channel: 'phone', kind: 'feedback', content: 'Gọi hỏi về lệ phí, được báo hai mức khác nhau.', procedure: 2, fate: 'cancel' },
  {
    ago: 110,
    channel: 'counter',
    kind: 'recommendation',
    sender: ['Đỗ Văn Hải', '0977 555 666'],
    content: 'Đề nghị gửi tin nhắn khi có kết quả giải quyết hồ sơ.',
    procedure: 0,
    fate: { answerAfter: 7, close: true },
    answer: 'Ghi nhận; sẽ thực hiện khi phần mềm Một cửa điện tử được nâng cấp.',
  },
  {
    ago: 75,
    channel: 'email',
    kind: 'complaint',
    sender: ['Vũ Thị Mai', 'mai.vu@example.vn'],
    content: 'Kết quả trả chậm so với ngày hẹn mà không được báo trước.',
    procedure: 1,
    fate: { answerAfter: 3, close: true },
    answer: 'Đã gửi phiếu xin lỗi và hẹn lại ngày trả kết quả.',
  },
  { ago: 40, channel: 'portal', kind: 'feedback', content: 'Trang tra cứu hồ sơ không hiển thị được trên điện thoại.', procedure: 2, fate: 'open' },
  {
    ago: 20,
    channel: 'counter',
    kind: 'feedback',
    sender: ['Hoàng Văn Long', '0966 777 888'],
    content: 'Công chức tiếp nhận hướng dẫn rất tận tình.',
    procedure: 0,
    fate: { answerAfter: 2 },
    answer: 'Cảm ơn ông đã ghi nhận.',
  },
  { ago: 3, channel: 'phone', kind: 'recommendation', content: 'Đề nghị mở thêm quầy tiếp nhận vào chiều thứ Sáu.', procedure: 1, fate: 'open' },
];

/**
 * A year of the model office's feedback register: a dozen records over its channels, most answered in time and closed,
 * one answered late, one overdue and still open (and one just received), one complaint raised as a nonconformity,
 * one cancelled as recorded twice. Each step runs through the services with the clock set to when it happened.
 */
export async function seedFeedback(demo: DemoContext): Promise<void> {
  const { ctx, byRole } = demo;
  const today = todayLocal(demo.now, ctx.config.timeZone);
  const at = (date: string): AppContext => {
    const when = new Date(`${date}T03:00:00.000Z`);
    return { ...ctx, clock: { now: () => (when > demo.now ? demo.now : when) } };
  };
  const procedures = Object.values(demo.procedures).slice(0, 3);
  const qo = byRole.quality_officer;
  for (const s of SPECS) {
    const received = addDays(today, -s.ago);
    const { id } = await createFeedback(
      at(received),
      {
        channel: s.channel,
        kind: s.kind,
        senderName: s.sender?.[0] ?? null,
        senderContact: s.sender?.[1] ?? null,
        content: s.content,
        procedureId: s.procedure === undefined ? null : (procedures[s.procedure] ?? null),
        dossierCode: null,
        unitId: null,
        receivedOn: received,
        answerDueOn: null,
      },
      null,
      s.channel === 'counter' ? byRole.staff : qo,
    );
    const due = (await ctx.db.selectFrom('feedback').select('answer_due_on').where('id', '=', id).executeTakeFirstOrThrow()).answer_due_on;
    const assignee = s.procedure === 1 ? byRole.leader : byRole.staff;
    if (s.fate !== 'cancel') await assignFeedback(at(received), id, assignee, qo);
    if (s.fate === 'cancel') await cancelFeedback(at(addDays(received, 1)), id, 'Ghi trùng với phản ánh nhận qua điện thoại cùng ngày.', qo);
    else if (s.fate === 'nc') {
      const on = addDays(received, 2);
      await raiseAsNonconformity(at(on), id, on, qo);
      await answerFeedback(
        at(addDays(received, 6)),
        id,
        'Đã xin lỗi bà Nga, hướng dẫn đầy đủ một lần; rà soát lại việc hướng dẫn hồ sơ.',
        addDays(received, 6),
        assignee,
      );
      await closeFeedback(at(addDays(received, 7)), id, qo);
    } else if (s.fate === 'late') {
      const on = addDays(due, 3);
      await answerFeedback(at(on), id, s.answer!, on, assignee);
      await closeFeedback(at(addDays(on, 1)), id, qo);
    } else if (s.fate !== 'open') {
      const on = addDays(received, s.fate.answerAfter);
      await answerFeedback(at(on), id, s.answer!, on, assignee);
      if (s.fate.close) await closeFeedback(at(addDays(on, 1)), id, qo);
    }
  }
  const triaged = await triageSurveyFeedback(demo, today, at);
  demo.log(`Feedback: ${SPECS.length} records, and ${triaged} opened by survey answers triaged.`);
}

/** What the office answers to a survey's comment or low score (the officer called back or noted it). */
const SURVEY_ANSWERS = [
  'Đã liên hệ lại người dân theo số điện thoại trên phiếu hẹn, giải thích và ghi nhận ý kiến.',
  'Đã nhắc nhở công chức tiếp nhận; bổ sung hướng dẫn tại quầy.',
  'Ghi nhận ý kiến; đưa vào nội dung họp giao ban của Bộ phận Một cửa.',
  'Đã rà soát hồ sơ liên quan; thời gian giải quyết trong hạn quy định, giải thích cho người dân.',
];

/**
 * The records the demo's survey answers opened (channel survey): those received more than two weeks before today are
 * assigned, answered within a few days and closed, as an office triages them; the latest stay open and not yet due.
 * (Those of the answers discarded as spam were cancelled when the survey's demo discarded them.)
 */
async function triageSurveyFeedback(demo: DemoContext, today: string, at: (date: string) => AppContext): Promise<number> {
  const { ctx, byRole } = demo;
  const open = await ctx.db
    .selectFrom('feedback')
    .select(['id', 'received_on'])
    .where('organisation_id', '=', organisationOf(ctx.db))
    .where('channel', '=', 'survey')
    .where('status', '=', 'open')
    .where('received_on', '<', addDays(today, -14))
    .orderBy('id')
    .execute();
  for (const [i, f] of open.entries()) {
    await assignFeedback(at(addDays(f.received_on, 1)), f.id, byRole.staff, byRole.quality_officer);
    const on = addDays(f.received_on, 2 + (i % 4));
    await answerFeedback(at(on), f.id, SURVEY_ANSWERS[i % SURVEY_ANSWERS.length], on, byRole.staff);
    await closeFeedback(at(addDays(on, 1)), f.id, byRole.quality_officer);
  }
  return open.length;
}
