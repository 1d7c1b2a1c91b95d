import { sql } from 'kysely';
import type { Db } from '../../core/db/database';
import { scopedDb, withoutOrganisation } from '../../core/db/scope';
import { todayLocal } from '../../core/calendar';
import { READERS } from '../../core/http/roles';
import { createAuditIn } from '../audits/audits.service';
import type { DemoContext } from '../demo-context';
import { noticesOfEntry } from './notifications.events';

/**
 * The demo's inboxes (issue 26). The records the other demos made through the services already notified their
 * people when they were made; here, after the province is built:
 * 1. the documents in force of every organisation are announced to the people who joined after they took effect
 *    (the province's offices, whose documents were copied from the model office's);
 * 2. an organisation whose people still have an empty inbox plans the Sở KH&CN's inspection of its quality system
 *    with them in the team, so every demo user has something waiting;
 * 3. what no longer waits (a revision approved since, an action done, an audit closed…) was read the day it came.
 */
export async function seedNotifications(demo: DemoContext): Promise<void> {
  const all = withoutOrganisation(demo.ctx.db);
  const at = demo.now;
  const organisations = await all.selectFrom('organisation').select(['id', 'time_zone']).where('status', '=', 'active').orderBy('id').execute();
  for (const org of organisations) {
    await all.transaction().execute(async (trx) => {
      const db = scopedDb(trx, org.id);
      const effective = await db
        .selectFrom('document_revisions')
        .select('id')
        .where('organisation_id', '=', org.id)
        .where('status', '=', 'effective')
        .execute();
      for (const rev of effective) await noticesOfEntry(db, { userId: null, action: 'make_effective', entity: 'document_revision', entityId: rev.id }, at);
    });
    const waiting = await emptyInboxes(all, org.id);
    if (waiting.length > 0) await planInspection(scopedDb(all, org.id), waiting, todayLocal(at, org.time_zone || demo.ctx.config.timeZone), at);
  }
  await markDoneAsRead(all);
  const notices = await all
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  demo.log(`Inboxes: ${Number(notices?.n ?? 0)} notifications.`);
}

async function emptyInboxes(db: Db, organisationId: number): Promise<{ id: number; role: string }[]> {
  const found = await db
    .selectFrom('users')
    .select(['id', 'role'])
    .where('organisation_id', '=', organisationId)
    .where('active', '=', 1)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('notifications').select('notifications.id').whereRef('notifications.user_id', '=', 'users.id'))))
    .orderBy('id')
    .execute();
  return found.map((u) => ({ id: Number(u.id), role: u.role }));
}

async function planInspection(db: Db, waiting: { id: number; role: string }[], today: string, at: Date): Promise<void> {
  const readers = waiting.filter((u) => (READERS as readonly string[]).includes(u.role));
  const lead = readers.find((u) => u.role !== 'inspector');
  if (!lead) return;
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  await db.transaction().execute((trx) =>
    createAuditIn(
      trx,
      {
        type: 'inspection',
        title: `Kiểm tra việc áp dụng hệ thống quản lý chất lượng năm ${year}`,
        objectives: 'Kiểm tra việc xây dựng, áp dụng, duy trì và cải tiến hệ thống quản lý chất lượng theo TCVN ISO 9001:2015.',
        criteria_other: '',
        external_body: 'Sở Khoa học và Công nghệ',
        auditee_unit_id: null,
        lead_auditor_id: lead.id,
        planned_start: `${next}-10`,
        planned_end: `${next}-11`,
        actual_start: null,
        actual_end: null,
        scope: { procedureIds: [], unitIds: [], clauses: ['4.4', '9.1'], memberIds: readers.filter((u) => u.id !== lead.id).map((u) => u.id) },
      },
      {},
      null,
      at,
    ),
  );
}

/** Notices whose record no longer waits for the person are marked read when they came (the demo's history). */
async function markDoneAsRead(db: Db): Promise<void> {
  const id = (table: string) => sql`(select cast(x.id as text) from ${sql.table(table)} x where`;
  await sql`update notifications set read_at = created_at where read_at is null and (
    (kind = 'revision_review' and entity_id in ${id('document_revisions')} x.status <> 'in_review' or x.reviewed_at is not null))
    or (kind = 'revision_approve' and entity_id in ${id('document_revisions')} x.status <> 'in_review'))
    or (kind = 'document_acknowledge' and entity_id in ${id('document_revisions')} x.status <> 'effective'
      or exists (select 1 from document_acknowledgements a where a.revision_id = x.id and a.user_id = notifications.user_id)))
    or (kind = 'action_assigned' and entity_id in ${id('nc_actions')} x.status in ('done', 'cancelled')))
    or (kind = 'feedback_triage' and entity_id in ${id('feedback')} x.status in ('closed', 'cancelled')))
    or (kind in ('audit_participant') and entity_id in ${id('audits')} x.status in ('closed', 'cancelled')))
    or (kind = 'finding_answer' and entity_id in (select cast(f.id as text) from audit_findings f join audits a on a.id = f.audit_id
      where f.status <> 'active' or a.status in ('closed', 'cancelled')))
  )`.execute(db);
}
