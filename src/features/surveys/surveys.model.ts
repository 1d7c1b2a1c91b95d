import type { SurveyLowScore } from './surveys.hooks';
import type { SurveyCriterion } from './surveys.tables';

/** The 1–5 scale of every question: 1 very dissatisfied … 5 very satisfied. */
export const SCALE = [1, 2, 3, 4, 5] as const;

/** Longest comment a citizen may write, dossier code and counter name kept. */
export const COMMENT_MAX = 1000;
export const DOSSIER_CODE_MAX = 60;
export const COUNTER_MAX = 40;

export interface DefaultQuestion {
  criterion: SurveyCriterion;
  textVi: string;
  textEn: string;
}

/**
 * The default question set (version 1), on the criteria of the surveys of satisfaction with administrative services:
 * access to information about the procedure, the procedure and its papers, the officials' attitude and guidance, the
 * time taken, the result.
 */
export const DEFAULT_QUESTIONS: readonly DefaultQuestion[] = [
  {
    criterion: 'information',
    textVi: 'Thông tin về thủ tục hành chính được niêm yết công khai, đầy đủ, dễ hiểu.',
    textEn: 'Information about the administrative procedure is posted publicly, complete and easy to understand.',
  },
  {
    criterion: 'procedure',
    textVi: 'Thành phần hồ sơ, giấy tờ phải nộp đúng như quy định được công bố, không phải nộp thêm giấy tờ ngoài quy định.',
    textEn: 'The papers required are those published, and no paper beyond them was asked for.',
  },
  {
    criterion: 'procedure',
    textVi: 'Mẫu đơn, tờ khai dễ hiểu, dễ điền.',
    textEn: 'The application forms are easy to understand and to fill in.',
  },
  {
    criterion: 'attitude',
    textVi: 'Công chức tiếp nhận hồ sơ có thái độ lịch sự, tôn trọng người dân.',
    textEn: 'The official who received the dossier was polite and respectful.',
  },
  {
    criterion: 'attitude',
    textVi: 'Công chức hướng dẫn kê khai, bổ sung hồ sơ tận tình, rõ ràng, chỉ hướng dẫn một lần.',
    textEn: 'The official explained clearly and helpfully how to complete the dossier, all at once.',
  },
  {
    criterion: 'time',
    textVi: 'Kết quả được trả đúng hẹn (hoặc sớm hơn) so với giấy tiếp nhận hồ sơ và hẹn trả kết quả.',
    textEn: 'The result was returned on (or before) the date on the receipt.',
  },
  {
    criterion: 'result',
    textVi: 'Kết quả giải quyết đúng quy định, thông tin trên kết quả đầy đủ, chính xác.',
    textEn: 'The result complies with the rules and the information on it is complete and correct.',
  },
];

/** The organisation's triage settings (organisation.survey_low_score, organisation.survey_comment_feedback). */
export interface TriageSettings {
  lowScore: number;
  commentFeedback: boolean;
}

export interface ScoredQuestion {
  id: number;
  seq: number;
  criterion: SurveyCriterion;
  text_vi: string;
  text_en: string;
}

/**
 * What of an answer needs triage: the questions scored at or below the low score (none when it is 0), and whether its
 * comment does. `needed` is false when neither.
 */
export function triageOf(
  settings: TriageSettings,
  questions: readonly ScoredQuestion[],
  scores: ReadonlyMap<number, number>,
  comment: string | null,
): { needed: boolean; lowScores: SurveyLowScore[] } {
  const lowScores: SurveyLowScore[] = [];
  if (settings.lowScore > 0) {
    for (const q of questions) {
      const score = scores.get(q.id);
      if (score !== undefined && score <= settings.lowScore)
        lowScores.push({ questionId: q.id, seq: q.seq, criterion: q.criterion, textVi: q.text_vi, textEn: q.text_en, score });
    }
  }
  const byComment = settings.commentFeedback && comment !== null && comment !== '';
  return { needed: lowScores.length > 0 || byComment, lowScores };
}
