import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopedDb } from '../../src/core/db/scope';
import { insertUser } from '../../src/features/users/users.queries';
import { createHoliday } from '../../src/features/holidays/holidays.service';
import { createFeedbackIn } from '../../src/features/feedback/feedback.service';
import { createRisk } from '../../src/features/risks/risks.service';
import { editAction } from '../../src/features/nonconformities/nonconformities.actions.service';
import { runReminders } from '../../src/features/notifications/notifications.reminders';
import { runDueReminders } from '../../src/features/notifications/notifications.scheduler';
import { createTestApp, one, rows, run, type TestApp } from '../support/app';
import { actionVersion, ncIn, newAction } from '../nonconformities/helpers';

/**
 * The daily reminder run on the fake clock, over the New Year of 2027: Friday 01/01/2027 is declared a holiday through
 * the holidays feature, and an action is due on Monday 04/01/2027. By hand, counting back working days from the
 * Monday (the Monday itself not counted; the weekend of 02–03/01 and the holiday skipped):
 *   1 working day before: Thursday 31/12/2026;
 *   7 working days before: 31/12 (1), 30/12 (2), 29/12 (3), 28/12 (4), 25/12 (5), 24/12 (6), 23/12 (7) → Wednesday 23/12/2026.
 * Overdue: the first working day after the Monday, Tuesday 05/01/2027. Escalation after 3 working days overdue:
 * 05/01 (1), 06/01 (2), 07/01 (3) → Thursday 07/01/2027, to the leader of the owner's unit only.
 */
let t: TestApp;
let otherLeader: number;

const REMINDER_KINDS = "('due_soon', 'overdue', 'escalation')";

/** Runs the day's reminders at 08:00 local time (01:00 UTC) of `date`. */
async function runOn(date: string) {
  t.clock.set(`${date}T01:00:00Z`);
  return runDueReminders(t.appCtx);
}

async function remindersOf(actionId: number) {
  return rows<{ user_id: number; kind: string; dedupe_key: string; created_at: string; due_on: string }>(
    t,
    `select user_id, kind, dedupe_key, created_at, due_on from notifications where entity = 'nc_action' and entity_id = ? and kind in ${REMINDER_KINDS} order by id`,
    String(actionId),
  );
}

beforeAll(async () => {
  t = await createTestApp({ config: { smtpUrl: 'smtp://127.0.0.1:1' } });
  await createHoliday(t.ctx, { date: '2027-01-01', kind: 'holiday', name: 'Tết Dương lịch' }, t.users.admin);
  otherLeader = await insertUser(
    t.ctx.db,
    { username: 'leader2', full_name: 'Lãnh đạo Văn phòng', role: 'leader', unit_id: t.units.other, email: null, position_title: null, password_hash: 'x' },
    t.clock.now().toISOString(),
  );
});
afterAll(async () => t?.close());

describe('the daily reminder run', () => {
  it('reminds 7 and 1 working days before, the day after, and tells the unit leader after 3 working days, on the exact dates', async () => {
    const nc = await ncIn(t, 'action_plan');
    const action = await newAction(t, nc.id, { ownerId: t.users.staff, dueDate: '2027-01-04' });
    const byDay: Record<string, string[]> = {};
    for (let day = Date.parse('2026-12-21'); day <= Date.parse('2027-01-08'); day += 86_400_000) {
      const date = new Date(day).toISOString().slice(0, 10);
      const before = (await remindersOf(action)).length;
      await runOn(date);
      const added = (await remindersOf(action)).slice(before);
      if (added.length)
        byDay[date] = added.map((n) => `${n.kind}→${n.user_id === t.users.staff ? 'staff' : n.user_id === t.users.leader ? 'leader' : n.user_id}`);
    }
    expect(byDay).toEqual({
      '2026-12-23': ['due_soon→staff'],
      '2026-12-31': ['due_soon→staff'],
      '2027-01-05': ['overdue→staff'],
      '2027-01-07': ['escalation→leader'],
    });
    const keys = (await remindersOf(action)).map((n) => n.dedupe_key);
    expect(keys).toEqual([
      `due_soon:7:nc_action:${action}:2027-01-04`,
      `due_soon:1:nc_action:${action}:2027-01-04`,
      `overdue:nc_action:${action}:2027-01-04`,
      `escalation:nc_action:${action}:2027-01-04`,
    ]);
    expect((await remindersOf(action)).some((n) => n.user_id === otherLeader)).toBe(false);
    // Every day run was recorded once.
    const runRow = await one<{ notices: number }>(t, `select notices from reminder_runs where organisation_id = 1 and run_on = '2027-01-07'`);
    expect(Number(runRow!.notices)).toBe(1);
  });

  it('runs a day once, even from two handles at the same time, and stores each reminder once', async () => {
    const nc = await ncIn(t, 'action_plan');
    // Due Friday 19/02/2027: 1 working day before is Thursday 18/02.
    const action = await newAction(t, nc.id, { ownerId: t.users.staff, dueDate: '2027-02-19' });
    t.clock.set('2027-02-18T01:00:00Z');
    const [a, b] = await Promise.all([
      runReminders(scopedDb(t.appCtx.db, 1), '2027-02-18', t.clock.now()),
      runReminders(scopedDb(t.appCtx.db, 1), '2027-02-18', t.clock.now()),
    ]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    expect((await runOn('2027-02-18'))[0]).toMatchObject({ ran: false, runOn: '2027-02-18' });
    expect((await remindersOf(action)).map((n) => n.dedupe_key)).toEqual([`due_soon:1:nc_action:${action}:2027-02-19`]);
    expect((await rows(t, `select run_on from reminder_runs where run_on = '2027-02-18'`)).length).toBe(1);
  });

  it('catches up a missed day without duplicates, and reminds again when the due date changes', async () => {
    const nc = await ncIn(t, 'action_plan');
    // Due Friday 19/03/2027: 7 working days before is Wednesday 10/03; the server was down that day.
    const action = await newAction(t, nc.id, { ownerId: t.users.staff, dueDate: '2027-03-19' });
    await runOn('2027-03-09');
    expect(await remindersOf(action)).toEqual([]);
    await runOn('2027-03-11');
    await runOn('2027-03-12');
    const first = await remindersOf(action);
    expect(first.map((n) => [n.dedupe_key, n.created_at.slice(0, 10)])).toEqual([[`due_soon:7:nc_action:${action}:2027-03-19`, '2027-03-11']]);
    // Moved to Friday 26/03: its 7-day reminder (Wednesday 17/03) comes again, under the new date.
    await editAction(
      t.ctx,
      action,
      Number(await actionVersion(t, action)),
      { description: 'Tập huấn lại', ownerId: t.users.staff, dueDate: '2027-03-26' },
      t.users.quality_officer,
    );
    await runOn('2027-03-16');
    expect((await remindersOf(action)).length).toBe(1);
    await runOn('2027-03-17');
    expect((await remindersOf(action)).map((n) => n.dedupe_key)).toEqual([
      `due_soon:7:nc_action:${action}:2027-03-19`,
      `due_soon:7:nc_action:${action}:2027-03-26`,
    ]);
  });

  it('sends nothing for a finished action', async () => {
    const nc = await ncIn(t, 'action_plan');
    const action = await newAction(t, nc.id, { ownerId: t.users.staff, dueDate: '2027-04-09' });
    await run(t, `update nc_actions set status = 'cancelled', cancelled_on = '2027-04-01', cancel_reason = 'Không còn cần' where id = ?`, action);
    await runOn('2027-04-08');
    expect(await remindersOf(action)).toEqual([]);
  });

  it('respects each person’s settings: a muted kind stays in the inbox without an e-mail; mode off sends no mail', async () => {
    await run(t, `update users set email = ? where id = ?`, 'staff@example.test', t.users.staff);
    await run(t, `update users set email = ? where id = ?`, 'leader@example.test', t.users.leader);
    const at = t.clock.now().toISOString();
    await run(
      t,
      `insert into notification_preferences (user_id, organisation_id, lang, email_mode, muted_kinds, updated_at) values (?, 1, 'vi', 'immediate', '["due_soon"]', ?)`,
      t.users.staff,
      at,
    );
    await run(
      t,
      `insert into notification_preferences (user_id, organisation_id, lang, email_mode, muted_kinds, updated_at) values (?, 1, 'en', 'off', '[]', ?)`,
      t.users.leader,
      at,
    );
    const nc = await ncIn(t, 'action_plan');
    // Due Monday 10/05/2027: 1 working day before is Friday 07/05; overdue Tuesday 11/05; escalation Thursday 13/05.
    const action = await newAction(t, nc.id, { ownerId: t.users.staff, dueDate: '2027-05-10' });
    for (const d of ['2027-05-07', '2027-05-11', '2027-05-13']) await runOn(d);
    const notes = await remindersOf(action);
    expect(notes.map((n) => n.kind)).toEqual(['due_soon', 'overdue', 'escalation']);
    const mails = await rows<{ user_id: number; to_address: string; kind: string }>(
      t,
      `select o.user_id, o.to_address, o.kind from outbox o join notifications n on n.id = o.notification_id where n.entity = 'nc_action' and n.entity_id = ? and n.kind in ${REMINDER_KINDS} order by o.id`,
      String(action),
    );
    // Only the overdue notice reaches the staff member's mailbox; the leader who chose no e-mail gets none.
    expect(mails).toEqual([{ user_id: t.users.staff, to_address: 'staff@example.test', kind: 'notice' }]);
  });

  it('reminds of feedback waiting for its answer: its assignee, else the quality officers, with its code only', async () => {
    const base = {
      channel: 'counter' as const,
      kind: 'complaint' as const,
      senderName: 'Nguyễn Thị Lan',
      senderContact: '0912 345 678',
      content: 'Chờ lâu',
      procedureId: null,
      dossierCode: null,
      unitId: t.units.main,
    };
    // Due Wednesday 09/06/2027: 1 working day before is Tuesday 08/06.
    const details = { ...base, receivedOn: '2027-06-01', answerDueOn: '2027-06-09' };
    const [unassigned, assigned] = await t.ctx.db
      .transaction()
      .execute(async (trx) => [
        await createFeedbackIn(trx, details, {}, t.users.quality_officer, t.clock.now()),
        await createFeedbackIn(trx, details, { assigneeId: t.users.leader }, t.users.quality_officer, t.clock.now()),
      ]);
    await runOn('2027-06-08');
    const got = await rows<{ user_id: number; entity_id: string; link: string; params: string }>(
      t,
      `select user_id, entity_id, link, params from notifications where entity = 'feedback' and kind = 'due_soon' order by entity_id, user_id`,
    );
    expect(got.map((n) => [n.entity_id, n.user_id, n.link])).toEqual([
      [String(unassigned.id), t.users.quality_officer, `/feedback/${unassigned.id}`],
      [String(assigned.id), t.users.leader, `/feedback/${assigned.id}`],
    ]);
    expect(JSON.parse(got[0].params)).toEqual({ code: unassigned.code, due: '2027-06-09', days: 1 });
    expect(got.some((n) => n.params.includes('Nguyễn Thị Lan'))).toBe(false);
  });

  it('reminds a risk’s owner of its periodic review', async () => {
    const risk = await createRisk(
      t.ctx,
      {
        kind: 'risk',
        process: 'Tiếp nhận hồ sơ',
        description: 'Trả kết quả chậm',
        likelihood: 2,
        impact: 2,
        owner_id: t.users.staff,
        identified_on: '2026-11-20',
        review_due: '2027-07-12',
      },
      t.users.quality_officer,
    );
    // Due Monday 12/07/2027: overdue on Tuesday 13/07, not on the Monday itself.
    await runOn('2027-07-12');
    await runOn('2027-07-13');
    expect(
      await rows(
        t,
        `select user_id, kind, link from notifications where entity = 'risk' and entity_id = ? and kind in ${REMINDER_KINDS} order by id`,
        String(risk),
      ),
    ).toEqual([
      { user_id: t.users.staff, kind: 'due_soon', link: `/risks/${risk}` },
      { user_id: t.users.staff, kind: 'overdue', link: `/risks/${risk}` },
    ]);
  });
});
