import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { addDays } from '../../core/calendar';
import type { SessionUser } from '../../core/http/session.queries';
import { clauseTitle } from '../../core/iso/clauses';
import { translate, type Lang } from '../../core/i18n';
import { formatDate, formatNumber } from '../../core/views/format';
import { DUE_SOON_DAYS, urgencyOf } from './nonconformities.actions.model';
import { actionTallyOfNc, listActionsOfNc } from './nonconformities.actions.queries';
import { canAddAction } from './nonconformities.actions.service';
import { canWork, isQuality, isVerifierRole } from './nonconformities.access';
import { ANALYSIS_STATUSES, CORRECTION_STATUSES, canTransition, parseWhys, statusBadge } from './nonconformities.model';
import type { NcPageRow } from './nonconformities.list.queries';
import { listCorrections, listRepeatsOf, listStatusHistory, listVerifications, ownsActionOf, type NcRow } from './nonconformities.queries';

/**
 * The register's rows with their texts ready: each status, source and severity is translated once per page (not
 * once per row through a template helper), dates and counts formatted here, so the template only prints.
 */
export function registerRows(rows: NcPageRow[], lang: Lang, timeZone: string) {
  const memo = new Map<string, string>();
  const tr = (key: string) => {
    let text = memo.get(key);
    if (text === undefined) memo.set(key, (text = translate(lang, key)));
    return text;
  };
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    title: r.title,
    repeat: r.repeat_of_id !== null,
    sourceText: tr(`nonconformities.source.${r.source}`),
    statusClass: statusBadge(r.status),
    statusText: tr(`nonconformities.status.${r.status}`),
    major: r.severity === 'major',
    severityText: tr(`nonconformities.severity.${r.severity}`),
    procedure_code: r.procedure_code,
    detected: formatDate(r.detected_on, timeZone),
    unit_code: r.unit_code,
    responsible_name: r.responsible_name,
    openActions: formatNumber(r.open_actions, lang),
    overdueText: r.overdue_actions > 0 ? translate(lang, 'nonconformities.n_overdue', { n: r.overdue_actions }) : undefined,
    nextDue: formatDate(r.next_due, timeZone),
    verifyText:
      r.status === 'awaiting_verification' && r.verify_due_on
        ? translate(lang, 'nonconformities.verify_on', { date: formatDate(r.verify_due_on, timeZone) })
        : undefined,
  }));
}

/**
 * Where an NC came from when another feature raised it (the feedback register's complaint): each answers the records
 * that link to the NC, as a label and an address, for the NC page's "Nguồn" line. Wired in src/features/hooks.ts, so
 * that nonconformities imports none of the features that raise NCs.
 */
export type NcOriginHook = (db: Db, ncId: number, lang: Lang) => Promise<{ label: string; href: string }[]>;
export const ncOriginHooks: NcOriginHook[] = [];

/** What the NC page (and the print) shows, and which buttons the signed-in user gets. */
export async function ncPageLocals(ctx: AppContext, nc: NcRow, user: SessionUser, today: string, lang: Lang) {
  const soon = addDays(today, DUE_SOON_DAYS);
  const actions = (await listActionsOfNc(ctx.db, nc.id)).map((a) => ({ ...a, urgency: urgencyOf(a.status, a.due_date, today, soon) }));
  const tally = await actionTallyOfNc(ctx.db, nc.id);
  const worker = canWork(user, nc);
  const quality = isQuality(user);
  const ownsAction = await ownsActionOf(ctx.db, nc.id, user.id);
  const can = {
    edit: quality && CORRECTION_STATUSES.includes(nc.status),
    triage: quality && canTransition('accept', nc.status),
    correction: worker && CORRECTION_STATUSES.includes(nc.status),
    analyse: worker && ANALYSIS_STATUSES.includes(nc.status),
    plan: worker && canTransition('plan', nc.status),
    start: worker && canTransition('start', nc.status) && tally.open > 0,
    schedule: quality && nc.status === 'awaiting_verification',
    verify: isVerifierRole(user) && nc.status === 'awaiting_verification' && !ownsAction,
    cancel: quality && canTransition('cancel', nc.status),
    reopen: quality && canTransition('reopen', nc.status),
    addAction: worker && (canAddAction(nc.status, 'correction') || canAddAction(nc.status, 'corrective')),
  };
  const anyStep = Object.values(can).some(Boolean);
  return {
    pageTitle: 'nonconformities.title_one',
    nc,
    statusClass: statusBadge(nc.status),
    clauseText: nc.clause ? `${nc.clause} — ${clauseTitle(nc.clause, lang)}` : null,
    whys: parseWhys(nc.whys),
    history: await listStatusHistory(ctx.db, nc.id),
    corrections: await listCorrections(ctx.db, nc.id),
    verifications: await listVerifications(ctx.db, nc.id),
    repeats: await listRepeatsOf(ctx.db, nc.id),
    origins: (await Promise.all(ncOriginHooks.map((hook) => hook(ctx.db, nc.id, lang)))).flat(),
    actions,
    tally,
    verifierOwnsAction: isVerifierRole(user) && nc.status === 'awaiting_verification' && ownsAction,
    verifyOverdue: nc.status === 'awaiting_verification' && nc.verify_due_on !== null && nc.verify_due_on < today,
    can,
    anyStep,
    today,
    errors: {},
  };
}
