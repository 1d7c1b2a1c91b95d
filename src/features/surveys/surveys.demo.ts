import { addDays, todayLocal } from '../../core/calendar';
import { organisationOf } from '../../core/db/scope';
import type { DemoContext } from '../demo-context';
import { findSurveyOrganisation } from './surveys.responses.queries';
import { findSetByStatus, listQuestions } from './surveys.queries';
import { discardResponse, submitResponse } from './surveys.service';
import { activateSet, addQuestion, createDefaultSet, newDraft } from './surveys.sets.service';

/**
 * The model office's satisfaction survey over the 12 months before the demo's today: the default set (version 1) in
 * use for the first months, then version 2 (the same questions and one on the whole experience), put in use about
 * eight months ago; about 250 answers, written through the public page's service (so the feedback event fires as for
 * a real answer), mostly satisfied, a few low scores with comments, a third tied to real dossiers of the demo (on
 * their return date), two spam answers discarded. Deterministic: a generator seeded with the demo's date.
 */
const DAY = 86_400_000;
const ANSWERS = 250;

/** mulberry32: a small deterministic PRNG (as the demo dossiers use). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const PRAISE = [
  'Cán bộ một cửa hướng dẫn nhiệt tình, dễ hiểu.',
  'Trả kết quả sớm hơn ngày hẹn, cảm ơn cán bộ.',
  'Thủ tục nhanh gọn, không phải đi lại nhiều lần.',
  'Nơi chờ sạch sẽ, có nước uống.',
];
const COMPLAINTS = [
  'Phải chờ gần một tiếng mới được tiếp nhận hồ sơ.',
  'Cán bộ yêu cầu bổ sung giấy tờ hai lần, lần đầu không hướng dẫn đủ.',
  'Kết quả trả chậm so với giấy hẹn, không được báo trước.',
  'Bảng niêm yết thủ tục đặt cao, chữ nhỏ, khó đọc.',
  'Tổng đài không ai nghe máy khi gọi hỏi tiến độ hồ sơ.',
];
const SPAM = ['Vay tiền nhanh lãi suất thấp, liên hệ 09xx', 'test test test'];

/** A moment on a local working day between 07:30 and 16:30 (the organisation's zone is UTC+7 in the demo). */
const atOn = (date: string, random: () => number) => new Date(Date.parse(`${date}T00:30:00Z`) + Math.floor(random() * 9 * 60) * 60_000);

export async function seedSurveys(demo: DemoContext): Promise<void> {
  const { ctx, now, byRole } = demo;
  const db = ctx.db;
  const org = await db.selectFrom('organisation').select(['code', 'time_zone']).where('id', '=', organisationOf(db)).executeTakeFirstOrThrow();
  if (!(await findSurveyOrganisation(db, org.code))) return;
  const today = todayLocal(now, org.time_zone);
  const first = addDays(today, -365);
  const switchOn = addDays(today, -240);
  const random = prng(Number(today.replace(/-/g, '')) ^ 0x5a17);

  await createDefaultSet(db, byRole.quality_officer, new Date(Date.parse(`${first}T00:00:00Z`) - 7 * DAY));
  const v1 = (await findSetByStatus(db, 'active'))!;
  const q1 = await listQuestions(db, v1.id);

  const procedures = await db
    .selectFrom('procedures')
    .select(['id', 'code'])
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'active')
    .where('kind', '=', 'administrative')
    .orderBy('code')
    .execute();
  const codeOf = new Map(procedures.map((p) => [p.id, p.code]));
  const dossiers = (
    await db
      .selectFrom('dossiers')
      .select(['code', 'procedure_id', 'returned_on'])
      .where('organisation_id', '=', organisationOf(db))
      .where('outcome', '=', 'returned')
      .where('returned_on', '>=', first)
      .where('returned_on', '<', today)
      .orderBy('returned_on')
      .orderBy('id')
      .execute()
  ).filter((d) => codeOf.has(d.procedure_id));

  // the answers' days and, for a third of them, the dossier they were given for
  const plan: { date: string; procedure: string; dossier: string | null }[] = [];
  const step = Math.max(1, Math.floor(dossiers.length / Math.floor(ANSWERS / 3)));
  for (let i = 0; i < dossiers.length && plan.length < Math.floor(ANSWERS / 3); i += step)
    plan.push({ date: dossiers[i].returned_on!, procedure: codeOf.get(dossiers[i].procedure_id)!, dossier: dossiers[i].code });
  // the rest on random days, more often for the procedures asked for most (the first ones of the dossiers' list)
  while (plan.length < ANSWERS && procedures.length > 0) {
    const fromDossier = dossiers.length > 0 && random() < 0.7 ? dossiers[Math.floor(random() * dossiers.length)] : undefined;
    const procedure = fromDossier ? codeOf.get(fromDossier.procedure_id)! : procedures[Math.floor(random() * procedures.length)].code;
    plan.push({ date: addDays(first, Math.floor(random() * 365)), procedure, dossier: null });
  }
  plan.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  let questions = q1;
  let switched = false;
  let low = 0;
  const spam: number[] = [];
  for (const [i, p] of plan.entries()) {
    if (!switched && p.date >= switchOn) {
      switched = true;
      const at = new Date(`${switchOn}T01:00:00Z`);
      const draft = await newDraft(db, byRole.quality_officer, at);
      await addQuestion(
        db,
        draft,
        {
          criterion: 'other',
          text_vi: 'Nhìn chung, ông/bà hài lòng với việc giải quyết thủ tục hành chính tại cơ quan.',
          text_en: 'Overall, you are satisfied with how the office handled your procedure.',
        },
        byRole.quality_officer,
        at,
      );
      await activateSet(db, draft, byRole.quality_officer, at);
      questions = await listQuestions(db, draft);
    }
    const draw = random();
    const mood = draw < 0.06 ? 'low' : draw < 0.18 ? 'mixed' : 'happy';
    const scores = new Map<number, number>();
    for (const q of questions) {
      if (random() < 0.08) continue; // left unanswered
      const score = mood === 'happy' ? (random() < 0.55 ? 5 : 4) : mood === 'mixed' ? 3 + Math.floor(random() * 2) : 1 + Math.floor(random() * 3);
      scores.set(q.id, score);
    }
    let comment: string | null = null;
    if (mood === 'low') comment = COMPLAINTS[low++ % COMPLAINTS.length];
    else if (random() < 0.12) comment = PRAISE[Math.floor(random() * PRAISE.length)];
    const isSpam = i === Math.floor(plan.length / 3) || i === Math.floor((2 * plan.length) / 3);
    if (isSpam) {
      scores.clear();
      comment = SPAM[spam.length % SPAM.length];
    }
    const counter = random() < 0.6 ? `Quầy số ${1 + Math.floor(random() * 3)}` : null;
    const id = await submitResponse(
      db,
      {
        procedureCode: p.procedure,
        scores,
        dossierCode: isSpam ? null : p.dossier,
        comment,
        counter,
        language: random() < 0.04 ? 'en' : 'vi',
      },
      atOn(p.date, random),
      org.time_zone,
    );
    if (isSpam) spam.push(id);
  }
  for (const id of spam) await discardResponse(ctx, id, 'Nội dung quảng cáo, gửi thử; không phải ý kiến về thủ tục.', byRole.quality_officer);
  demo.log(`Satisfaction surveys: ${plan.length} answers over 12 months (${spam.length} discarded as spam), question set version 2 in use.`);
}
