import type { AuditEntry } from '../../core/audit-log/audit-log';
import type { Db } from '../../core/db/database';
import { maybeOrganisationOf } from '../../core/db/scope';
import { MANAGERS, READERS, type Role } from '../../core/http/roles';
import { findRevisionSigners } from '../organisation/organisation.queries';
import {
  actionOf,
  activeUsersWithRole,
  auditOf,
  auditTeamOf,
  feedbackOf,
  findingOf,
  mustAcknowledge,
  revisionOf,
  rolesOf,
} from './notifications.events.queries';
import { notify, type Notice } from './notifications.notify';

/**
 * The events of the inbox (issue 26): recordHooks' handler (wired in src/features/hooks.ts), run in the transaction of
 * every audited change. A change that makes something wait for a person puts a notice in that person's inbox (and
 * queues its e-mail, notify()). The keys are stable: the same event for the same person is stored once (an action
 * re-assigned to its owner tells nobody again, to a new owner tells the new one). Nobody is told of their own change.
 * The messages carry codes, titles and dates, never a citizen's name or contact. Entries not listed here are ignored.
 */
type Handler = (trx: Db, entry: AuditEntry, at: Date) => Promise<void>;

const idOf = (entry: AuditEntry): number | undefined => {
  const id = Number(entry.entityId);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
};

/** Notifies each person once, but the one who made the change. */
async function notifyAll(trx: Db, entry: AuditEntry, people: readonly number[], notice: (userId: number) => Omit<Notice, 'userId'>, at: Date) {
  for (const userId of [...new Set(people)]) {
    if (userId === entry.userId) continue;
    await notify(trx, { userId, ...notice(userId) }, at);
  }
}

/** Keeps those whose role may open the record's page. */
async function allowed(trx: Db, people: readonly number[], roles: readonly Role[]): Promise<number[]> {
  const known = await rolesOf(trx, people);
  return people.filter((id) => roles.includes(known.get(id)!));
}

const actionAssigned: Handler = async (trx, entry, at) => {
  const id = idOf(entry);
  if (!id) return;
  const a = await actionOf(trx, id);
  if (!a || !['planned', 'in_progress'].includes(a.status)) return;
  const link = a.nonconformity_id !== null ? `/nonconformities/${a.nonconformity_id}` : `/actions/${a.id}`;
  await notifyAll(
    trx,
    entry,
    [Number(a.owner_id)],
    (userId) => ({
      kind: 'action_assigned',
      entity: 'nc_action',
      entityId: a.id,
      link,
      params: { code: a.code ?? null, title: a.title ?? null, due: a.due_date },
      dueOn: a.due_date,
      dedupeKey: `action_assigned:${a.id}:${userId}`,
    }),
    at,
  );
};

const revisionEffective: Handler = async (trx, entry, at) => {
  const id = idOf(entry);
  const rev = id ? await revisionOf(trx, id) : undefined;
  if (!rev || rev.status !== 'effective') return;
  await notifyAll(
    trx,
    entry,
    await mustAcknowledge(trx, rev.document_id, rev.id),
    (userId) => ({
      kind: 'document_acknowledge',
      entity: 'document_revision',
      entityId: rev.id,
      link: `/documents/${rev.document_id}`,
      params: { code: rev.code, title: rev.title, revision: rev.revision_no, effective: rev.effective_from },
      dedupeKey: `document_acknowledge:${rev.id}:${userId}`,
    }),
    at,
  );
};

/** Submitted for review (→ every manager but its author) or reviewed (→ every leader who may approve it). */
const revisionStep =
  (kind: 'revision_review' | 'revision_approve'): Handler =>
  async (trx, entry, at) => {
    const id = idOf(entry);
    const rev = id ? await revisionOf(trx, id) : undefined;
    if (!rev || rev.status !== 'in_review') return;
    let people = await activeUsersWithRole(trx, kind === 'revision_review' ? MANAGERS : ['leader']);
    people = people.filter((p) => p !== rev.author_id);
    if (kind === 'revision_approve' && (await findRevisionSigners(trx)) === 3) people = people.filter((p) => p !== rev.reviewer_id);
    // A revision returned to draft and submitted again waits again: each round is its own notice.
    const round = at.toISOString();
    await notifyAll(
      trx,
      entry,
      people,
      (userId) => ({
        kind,
        entity: 'document_revision',
        entityId: rev.id,
        link: `/documents/${rev.document_id}/revisions/${rev.id}`,
        params: { code: rev.code, title: rev.title, revision: rev.revision_no },
        dedupeKey: `${kind}:${rev.id}:${round}:${userId}`,
      }),
      at,
    );
  };

/** Grades the audited unit answers (a corrective action, or its view on an observation); an opportunity needs none. */
const ANSWERED_GRADES = ['major_nc', 'minor_nc', 'observation'];

const findingRecorded: Handler = async (trx, entry, at) => {
  const id = idOf(entry);
  const f = id ? await findingOf(trx, id) : undefined;
  if (!f || f.status !== 'active' || !ANSWERED_GRADES.includes(f.grade)) return;
  // The unit responsible: the procedure's when the finding names one, otherwise the audited unit (as its NC is raised).
  const unitId = f.procedure_unit_id ?? f.auditee_unit_id;
  await notifyAll(
    trx,
    entry,
    await activeUsersWithRole(trx, ['leader'], unitId),
    (userId) => ({
      kind: 'finding_answer',
      entity: 'audit_finding',
      entityId: f.id,
      link: `/audits/${f.audit_id}`,
      params: { code: f.code, title: f.title, finding: f.seq, grade: f.grade },
      dedupeKey: `finding_answer:${f.id}:${userId}`,
    }),
    at,
  );
};

const feedbackOpened: Handler = async (trx, entry, at) => {
  const id = idOf(entry);
  const f = id ? await feedbackOf(trx, id) : undefined;
  if (!f || !['open', 'answered'].includes(f.status)) return;
  const people = entry.action === 'create' ? await activeUsersWithRole(trx, ['quality_officer']) : [];
  if (f.assignee_id !== null) people.push(Number(f.assignee_id));
  await notifyAll(
    trx,
    entry,
    people,
    (userId) => ({
      kind: 'feedback_triage',
      entity: 'feedback',
      entityId: f.id,
      link: `/feedback/${f.id}`,
      params: { code: f.code, received: f.received_on, due: f.answer_due_on },
      dueOn: f.answer_due_on,
      dedupeKey: `feedback_triage:${f.id}:${userId}`,
    }),
    at,
  );
};

const auditPlanned: Handler = async (trx, entry, at) => {
  const id = idOf(entry);
  const a = id ? await auditOf(trx, id) : undefined;
  if (!a || !['planned', 'in_progress'].includes(a.status)) return;
  const auditors = [Number(a.lead_auditor_id), ...(await auditTeamOf(trx, a.id))];
  const auditee = await activeUsersWithRole(trx, ['leader'], a.auditee_unit_id);
  await notifyAll(
    trx,
    entry,
    await allowed(trx, [...auditors, ...auditee], READERS),
    (userId) => ({
      kind: 'audit_participant',
      entity: 'audit',
      entityId: a.id,
      link: `/audits/${a.id}`,
      params: { code: a.code, title: a.title, start: a.planned_start, end: a.planned_end },
      dueOn: a.planned_start,
      dedupeKey: `audit_participant:${a.id}:${userId}`,
    }),
    at,
  );
};

const HANDLERS: Record<string, Handler> = {
  'nc_action.create': actionAssigned,
  'nc_action.update': actionAssigned,
  'document_revision.make_effective': revisionEffective,
  'document_revision.submit': revisionStep('revision_review'),
  'document_revision.review': revisionStep('revision_approve'),
  'audit_finding.create': findingRecorded,
  'audit_finding.reinstate': findingRecorded,
  'feedback.create': feedbackOpened,
  'feedback.assign': feedbackOpened,
  'audit.create': auditPlanned,
  'audit.update': auditPlanned,
};

/** recordHooks' handler: the notices an audited change causes (none for a change outside any organisation). */
export async function noticesOfEntry(trx: Db, entry: AuditEntry, at: Date): Promise<void> {
  const handler = HANDLERS[`${entry.entity}.${entry.action}`];
  if (!handler || maybeOrganisationOf(trx) === undefined) return;
  await handler(trx, entry, at);
}
