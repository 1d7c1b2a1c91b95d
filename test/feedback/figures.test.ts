import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedbackFigures } from '../../src/features/feedback/feedback.figures';
import { raiseAsNonconformity } from '../../src/features/feedback/feedback.nc.service';
import { answerFeedback, cancelFeedback, createFeedback } from '../../src/features/feedback/feedback.service';
import type { FeedbackChannel, FeedbackKind } from '../../src/features/feedback/feedback.tables';
import { computePack } from '../../src/features/reviews/reviews.pack';
import { createTestApp, type SignedIn, type TestApp } from '../support/app';
import { fetchWorkbook } from '../support/xlsx';

/**
 * The feedback figures of a period by known answers worked out by hand below (feedback.figures.ts defines them), the
 * register page's figures and period filter, and the CSV/XLSX exports. The test clock says 2026-11-26.
 *
 *        channel  kind            received  due    answered  other
 *   F1   counter  complaint       10-05     10-19  10-15     on time
 *   F2   phone    feedback        10-10     10-24  10-28     late
 *   F3   email    recommendation  10-20     11-03  11-02     open at 31/10, on time in November
 *   F4   portal   feedback        09-20     10-04  10-06     answered in October, late
 *   F5   counter  feedback        10-12     10-26  —         overdue at 31/10
 *   F6   other    complaint       10-15     10-29  —         cancelled
 *   F7   survey   feedback        09-01     09-15  —         overdue at 31/10
 *   F8   counter  complaint       10-25     11-08  —         raised as an NC on 10-30
 *   F9   email    feedback        11-05     11-19  —         November
 */
let t: TestApp;
let qo: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  const actor = t.users.quality_officer;
  const add = async (channel: FeedbackChannel, kind: FeedbackKind, receivedOn: string, answerDueOn: string, answeredOn?: string) => {
    const { id } = await createFeedback(
      t.ctx,
      {
        channel,
        kind,
        senderName: null,
        senderContact: null,
        content: `Nội dung ${receivedOn}`,
        procedureId: null,
        dossierCode: null,
        unitId: null,
        receivedOn,
        answerDueOn,
      },
      null,
      actor,
    );
    if (answeredOn) await answerFeedback(t.ctx, id, 'Đã trả lời', answeredOn, actor);
    return id;
  };
  await add('counter', 'complaint', '2026-10-05', '2026-10-19', '2026-10-15');
  await add('phone', 'feedback', '2026-10-10', '2026-10-24', '2026-10-28');
  await add('email', 'recommendation', '2026-10-20', '2026-11-03', '2026-11-02');
  await add('portal', 'feedback', '2026-09-20', '2026-10-04', '2026-10-06');
  await add('counter', 'feedback', '2026-10-12', '2026-10-26');
  await cancelFeedback(t.ctx, await add('other', 'complaint', '2026-10-15', '2026-10-29'), 'Ghi trùng', actor);
  await add('survey', 'feedback', '2026-09-01', '2026-09-15');
  await raiseAsNonconformity(t.ctx, await add('counter', 'complaint', '2026-10-25', '2026-11-08'), '2026-10-30', actor);
  await add('email', 'feedback', '2026-11-05', '2026-11-19');
});
afterAll(async () => t?.close());

const zero = { counter: 0, phone: 0, email: 0, portal: 0, survey: 0, other: 0 };

describe('the feedback figures (known answers)', () => {
  it('counts October', async () => {
    expect(await feedbackFigures(t.ctx.db, '2026-10-01', '2026-10-31')).toEqual({
      received: 5, // F1, F2, F3, F5, F8 (F6 cancelled; F4 and F7 in September)
      byChannel: { ...zero, counter: 3, phone: 1, email: 1 },
      byKind: { feedback: 2, recommendation: 1, complaint: 2 },
      answered: 3, // F1, F2, F4
      answeredOnTime: 1, // F1
      answeredLate: 2, // F2, F4
      openAtEnd: 4, // F3 (answered 11-02), F5, F7, F8
      overdueAtEnd: 2, // F5 (due 10-26), F7 (due 09-15)
      raisedAsNc: 1, // F8
      cancelled: 1, // F6
    });
  });

  it('counts November to date, as of today', async () => {
    expect(await feedbackFigures(t.ctx.db, '2026-11-01', '2026-11-30', '2026-11-26')).toEqual({
      received: 1, // F9
      byChannel: { ...zero, email: 1 },
      byKind: { feedback: 1, recommendation: 0, complaint: 0 },
      answered: 1, // F3
      answeredOnTime: 1,
      answeredLate: 0,
      openAtEnd: 4, // F5, F7, F8, F9
      overdueAtEnd: 4, // all four are due before 26/11
      raisedAsNc: 0,
      cancelled: 0,
    });
  });

  it('shows the figures on the register page, as of today for a period that ends later', async () => {
    const page = await qo.get('/feedback?from=2026-10-01&to=2026-10-31&lang=vi');
    expect(page.status).toBe(200);
    const fig = (key: string) => new RegExp(`data-fig="${key}">(\\d+)<`).exec(page.text)?.[1];
    expect([fig('received'), fig('answered'), fig('answeredLate'), fig('overdueAtEnd'), fig('raisedAsNc'), fig('cancelled')]).toEqual([
      '5',
      '3',
      '2',
      '2',
      '1',
      '1',
    ]);
    expect(/data-channel="counter">(\d+)</.exec(page.text)?.[1]).toBe('3');
    expect(/data-kind="complaint">(\d+)</.exec(page.text)?.[1]).toBe('2');
    // the list: received in the period, cancelled ones too
    expect([...page.text.matchAll(/data-feedback="([^"]+)"/g)].length).toBe(6);
    const filtered = await qo.get('/feedback?from=2026-10-01&to=2026-10-31&channel=counter&status=open');
    expect([...filtered.text.matchAll(/data-feedback="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual(['PA-2026-005', 'PA-2026-008']);
    const later = await qo.get('/feedback?from=2026-11-01&to=2026-12-31');
    expect(later.text).toContain('data-as-of="2026-11-26"');
    expect(/data-fig="overdueAtEnd">(\d+)</.exec(later.text)?.[1]).toBe('4');
  });

  it('answers a malformed period with 400 and the default period, never a 500', async () => {
    expect((await qo.get('/feedback?from=2026-10-31&to=2026-10-01')).status).toBe(400);
    expect((await qo.get('/feedback?from=x&to=y&status=zzz&procedure_id=abc')).status).toBe(400);
    expect((await qo.get('/feedback.csv?from=x&to=2026-10-01')).status).toBe(400);
    expect((await qo.get('/feedback?status=nope&channel=nope&procedure_id=nope')).status).toBe(200);
  });

  it('exports the figures as CSV (machine keys) and XLSX (labels)', async () => {
    const csv = await qo.get('/feedback.csv?from=2026-10-01&to=2026-10-31');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines).toEqual([
      'from,to,received,answered,answeredOnTime,answeredLate,openAtEnd,overdueAtEnd,raisedAsNc,cancelled,channel_counter,channel_phone,channel_email,channel_portal,channel_survey,channel_other,kind_feedback,kind_recommendation,kind_complaint',
      '2026-10-01,2026-10-31,5,3,1,2,4,2,1,1,3,1,1,0,0,0,2,1,2',
    ]);
    const xlsx = await fetchWorkbook(qo, '/feedback.xlsx?from=2026-10-01&to=2026-10-31&lang=en');
    expect(xlsx.status).toBe(200);
    const ws = xlsx.wb!.worksheets[0];
    expect(ws.getRow(1).getCell(3).value).toBe('Received in the period');
    expect(ws.getRow(1).getCell(11).value).toBe('Received: At the one-stop counter');
    expect(ws.getRow(2).getCell(3).value).toBe(5);
    expect(ws.getRow(2).getCell(8).value).toBe(2);
  });

  it("gives the annual report's satisfaction section and the management review's pack their feedback figures", async () => {
    // 2026 as of 26/11: received F1–F5, F7–F9 (F6 cancelled); answered F1, F3 on time, F2, F4 late; open F5, F7, F8, F9, all overdue
    const page = await qo.get('/reports/annual/2026?lang=vi');
    expect(page.status).toBe(200);
    const fig = (key: string) => new RegExp(`data-figure="feedback.${key}">(\\d+)<`).exec(page.text)?.[1];
    expect(['received', 'answered', 'answeredOnTime', 'answeredLate', 'openAtEnd', 'overdueAtEnd', 'raisedAsNc', 'cancelled'].map(fig)).toEqual([
      '8',
      '4',
      '2',
      '2',
      '4',
      '4',
      '1',
      '1',
    ]);
    const csv = (await qo.get('/reports/annual/2026/figures.csv?lang=vi')).text;
    expect(csv).toContain(',feedback.received,Tiếp nhận trong kỳ,8');
    expect(csv).toContain(',feedback.answeredLate,Trả lời quá hạn,2');
    // a review of October, held in November: the October figures
    const pack = await computePack(
      t.ctx,
      { id: 0, period_from: '2026-10-01', period_to: '2026-10-31', held_on: '2026-11-20' },
      '2026-11-26',
      'Asia/Ho_Chi_Minh',
    );
    expect(pack.feedback).toMatchObject({
      received: 5,
      answered: 3,
      answeredOnTime: 1,
      answeredLate: 2,
      openAtEnd: 4,
      overdueAtEnd: 2,
      raisedAsNc: 1,
      cancelled: 1,
    });
  });
});
