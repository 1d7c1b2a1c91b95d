import type { AppContext } from '../../core/context';
import { todayLocal } from '../../core/calendar';
import { completeAction, startAction } from '../nonconformities/nonconformities.actions.service';
import { findAction } from '../nonconformities/nonconformities.actions.queries';
import type { DemoContext } from '../demo-context';
import { emptyAssessments, type Assessments, type DecisionKind } from './reviews.model';
import { listDecisions } from './reviews.queries';
import { addDecision, createReview, signReview } from './reviews.service';

/**
 * The model office's two management reviews: one held in the first week of December last year (the year to November)
 * and one in June this year (December to May), each prepared by the ISO secretary, chaired and signed by the head of
 * office (this year's by his deputy, signing for him), with attendees, assessments, conclusions and decisions. The
 * first review's decisions' actions are worked since (two completed, two overdue at the end of the second review's period), so the second review's pack shows
 * them with their status. Everything goes through the services with the clock set back to when it happened; steps
 * dated after the demo's "now" are left undone.
 */
interface DecisionSpec {
  kind: DecisionKind;
  description: string;
  owner: string;
  due: string;
  started?: string;
  done?: string;
  note?: string;
}

interface ReviewSpec {
  from: string;
  to: string;
  held: string;
  assessments: Partial<Assessments>;
  conclusions: string;
  decisions: DecisionSpec[];
}

function specs(y: number): ReviewSpec[] {
  const last = y - 1;
  return [
    {
      from: `${last}-01-01`,
      to: `${last}-11-30`,
      held: `${last}-12-04`,
      assessments: {
        previous_actions: 'Đây là lần xem xét đầu tiên sau khi áp dụng phần mềm theo dõi; các kết luận của lần họp trước đã được thực hiện xong.',
        context: 'Sáp nhập đơn vị hành chính cấp xã làm tăng số hồ sơ tiếp nhận; một số văn bản quy phạm mới về chính sách người có công.',
        satisfaction: 'Chưa tổ chức khảo sát chính thức; phản ánh qua đường dây nóng chủ yếu về thời gian chờ tại Bộ phận Một cửa.',
        objectives: 'Các mục tiêu về tỷ lệ hồ sơ đúng hạn cơ bản đạt; mục tiêu về rà soát tài liệu đúng hạn còn chậm.',
        processes: 'Đa số quy trình phù hợp; quy trình trợ cấp xã hội cần lưu ý do còn hồ sơ trễ hạn vì chờ xác minh.',
        nonconformities: 'Các sự không phù hợp được xử lý kịp thời; còn một số hành động khắc phục quá hạn cần đôn đốc.',
        monitoring: 'Tỷ lệ giải quyết hồ sơ đúng hạn ổn định; tiếp tục theo dõi hằng tháng.',
        audits: 'Đánh giá nội bộ đã thực hiện theo chương trình; các phát hiện đã được giao xử lý.',
        resources: 'Bộ phận Một cửa thiếu thiết bị quét hồ sơ; cần bổ sung trong năm tới.',
        risks: 'Biện pháp theo dõi hạn xác minh đã có hiệu quả bước đầu.',
        improvement: 'Số hóa hồ sơ đã giải quyết; cập nhật quy trình người có công theo văn bản mới.',
      },
      conclusions:
        'Hệ thống quản lý chất lượng phù hợp với hoạt động của cơ quan, được duy trì thỏa đáng và có hiệu lực; cần cải tiến việc số hóa hồ sơ và cập nhật kịp thời quy trình khi văn bản pháp luật thay đổi.',
      decisions: [
        {
          kind: 'improvement',
          description: 'Số hóa toàn bộ hồ sơ thủ tục hành chính đã giải quyết năm trước và lưu trữ theo năm.',
          owner: 'canbo',
          due: `${y}-03-31`,
          started: `${y}-01-15`,
          done: `${y}-03-20`,
          note: 'Đã số hóa và lưu trữ xong.',
        },
        {
          kind: 'qms_change',
          description: 'Cập nhật quy trình giải quyết chế độ người có công theo văn bản mới và ban hành lại.',
          owner: 'thuky',
          due: `${y}-04-30`,
          started: `${y}-03-01`,
          done: `${y}-07-15`,
          note: 'Đã ban hành lại quy trình (chậm do chờ hướng dẫn của cấp trên).',
        },
        {
          kind: 'resource',
          description: 'Bổ sung 01 máy quét hồ sơ cho Bộ phận Một cửa.',
          owner: 'phophong',
          due: `${y}-02-28`,
          done: `${y}-02-20`,
          note: 'Đã bàn giao máy quét.',
        },
        {
          kind: 'improvement',
          description: 'Xây dựng phiếu khảo sát sự hài lòng của người dân, tổ chức tại Bộ phận Một cửa.',
          owner: 'danhgia',
          due: `${y}-05-15`,
        },
      ],
    },
    {
      from: `${last}-12-01`,
      to: `${y}-05-31`,
      held: `${y}-06-10`,
      assessments: {
        previous_actions:
          'Hai quyết định đã hoàn thành; việc cập nhật quy trình người có công và phiếu khảo sát còn quá hạn, giao đôn đốc hoàn thành trong quý III.',
        context: 'Tiếp tục thực hiện chuyển đổi số: tăng dịch vụ công trực tuyến toàn trình.',
        satisfaction: 'Chưa có số liệu khảo sát; giao hoàn thành phiếu khảo sát để có số liệu cho lần xem xét sau.',
        objectives: 'Các mục tiêu đúng tiến độ, trừ mục tiêu rà soát tài liệu.',
        processes: 'Các quy trình cơ bản phù hợp; tỷ lệ đúng hạn được duy trì.',
        nonconformities: 'Số sự không phù hợp phát sinh giảm so với kỳ trước.',
        monitoring: 'Kết quả theo dõi hằng tháng ổn định.',
        audits: 'Chưa tiến hành cuộc đánh giá nội bộ nào trong kỳ; thực hiện theo chương trình năm.',
        resources: 'Nguồn lực cơ bản đáp ứng; đề xuất kinh phí tập huấn cho cán bộ Một cửa.',
        risks: 'Các hành động xử lý rủi ro có hiệu lực một phần; tiếp tục theo dõi rủi ro sai sót thành phần hồ sơ.',
        improvement: 'Triển khai khảo sát sự hài lòng điện tử; ban hành lại Sổ tay chất lượng.',
      },
      conclusions:
        'Hệ thống quản lý chất lượng tiếp tục phù hợp, thỏa đáng và có hiệu lực. Yêu cầu hoàn thành các hành động còn quá hạn của lần xem xét trước trong quý III.',
      decisions: [
        {
          kind: 'improvement',
          description: 'Triển khai khảo sát sự hài lòng của người dân bằng phiếu điện tử tại Bộ phận Một cửa.',
          owner: 'motcua',
          due: `${y}-09-30`,
        },
        { kind: 'qms_change', description: 'Ban hành lại Sổ tay chất lượng (lần 3) cập nhật phạm vi áp dụng.', owner: 'thuky', due: `${y}-12-31` },
        {
          kind: 'resource',
          description: 'Đề xuất kinh phí tập huấn nghiệp vụ cho cán bộ Bộ phận Một cửa.',
          owner: 'lanhdao',
          due: `${y}-08-31`,
          done: `${y}-08-20`,
          note: 'Đã được phê duyệt kinh phí.',
        },
      ],
    },
  ];
}

export async function seedReviews(demo: DemoContext): Promise<void> {
  const { users } = demo;
  const id = (username: string) => {
    const u = users[username];
    if (!u) throw new Error(`demo user ${username} missing`);
    return u.id;
  };
  const today = todayLocal(demo.now, demo.ctx.config.timeZone);
  // the June review must be held already: before mid-June, "this year" is the last one
  const y = Number(today.slice(0, 4)) - (today.slice(5) < '06-15' ? 1 : 0);
  const on = (date: string): AppContext => {
    const at = new Date(`${date}T02:00:00Z`);
    return { ...demo.ctx, clock: { now: () => (at > demo.now ? demo.now : at) } };
  };
  const thuky = id('thuky');
  let n = 0;
  for (const [i, s] of specs(y).entries()) {
    // this year's review is chaired by the deputy, who signs its minutes for the head (KT. TRƯỞNG PHÒNG, issue 25)
    const chair = (i === 1 && users.phophong) || users.lanhdao;
    const attendees = ['lanhdao', 'phophong', 'thuky', 'danhgia', 'canbo', 'motcua'].filter((u) => users[u] && users[u] !== chair).map(id);
    const reviewId = await createReview(
      on(s.held),
      {
        period_from: s.from,
        period_to: s.to,
        held_on: s.held,
        place: 'Phòng họp cơ quan',
        chair_id: chair.id,
        secretary_id: thuky,
        attendee_ids: attendees,
        guests: 'Đại diện Văn phòng HĐND và UBND huyện',
        assessments: { ...emptyAssessments(), ...s.assessments },
        conclusions: s.conclusions,
      },
      thuky,
    );
    for (const d of s.decisions)
      await addDecision(on(s.held), reviewId, { kind: d.kind, description: d.description, owner_id: id(d.owner), due_date: d.due }, thuky);
    await signReview(on(s.held), reviewId, 1, { userId: chair.id, name: chair.fullName, role: 'leader' });
    const decisions = await listDecisions(demo.ctx.db, reviewId);
    for (const [i, d] of s.decisions.entries()) {
      const actionId = decisions[i].action_id!;
      const owner = id(d.owner);
      if (d.started && d.started <= today) await startAction(on(d.started), actionId, (await findAction(demo.ctx.db, actionId))!.version, owner);
      if (d.done && d.done <= today) await completeAction(on(d.done), actionId, (await findAction(demo.ctx.db, actionId))!.version, d.note ?? '', owner);
    }
    n++;
  }
  demo.log(`Management reviews: ${n} held and signed.`);
}
