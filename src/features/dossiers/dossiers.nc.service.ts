import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { record } from '../../core/audit-log/audit-log';
import { Conflict, NotFound } from '../../core/http/errors';
import { translate, type Lang } from '../../core/i18n';
import { createNonconformityIn } from '../nonconformities/nonconformities.service';
import { findProcedure } from '../procedures/procedures.queries';
import { hasActiveNonconformity, insertNonconformityDossiers, listRaisableDossiers } from './dossiers.nc.queries';
import { findDossier } from './dossiers.queries';
import type { Period } from './dossiers.period';

/** ISO 9001:2015 clause of a dossier not resolved by its due date: control of service provision. */
export const OVERDUE_DOSSIER_CLAUSE = '8.5.1';
const LISTED_CODES = 30;

export interface RaiseInput {
  procedureId: number;
  dossiers: { id: number; code: string }[];
  title: string;
  description: string;
  severity: 'major' | 'minor';
  detectedOn: string;
  actorId: number | null;
  responsibleUnitId: number | null;
}

/** Creates one nonconformity (source overdue_dossier) inside the caller's transaction and links it to the dossiers. */
export async function raiseNonconformityIn(trx: Db, input: RaiseInput, at: Date): Promise<{ id: number; code: string }> {
  const nc = await createNonconformityIn(
    trx,
    {
      title: input.title,
      description: input.description,
      source: 'overdue_dossier',
      severity: input.severity,
      procedureId: input.procedureId,
      clause: OVERDUE_DOSSIER_CLAUSE,
      detectedOn: input.detectedOn,
      reportedBy: input.actorId,
      responsibleUnitId: input.responsibleUnitId,
      responsibleUserId: null,
      status: 'open',
    },
    input.actorId,
    at,
  );
  await insertNonconformityDossiers(
    trx,
    nc.id,
    input.dossiers.map((d) => d.id),
    at.toISOString(),
  );
  await record(
    trx,
    {
      userId: input.actorId,
      action: 'link_dossiers',
      entity: 'nonconformity',
      entityId: nc.id,
      new: { nc_code: nc.code, dossiers: input.dossiers.map((d) => d.code) },
    },
    at,
  );
  return nc;
}

const codeList = (codes: string[], lang: Lang) =>
  codes.length <= LISTED_CODES
    ? codes.join(', ')
    : `${codes.slice(0, LISTED_CODES).join(', ')} ${translate(lang, 'dossiers.nc_more', { n: codes.length - LISTED_CODES })}`;

/** A late or pending-overdue dossier (as of `today`) → a nonconformity; refused when one is already active for it. */
export async function raiseForDossier(
  ctx: AppContext,
  dossierId: number,
  severity: 'major' | 'minor',
  actorId: number,
  lang: Lang,
  today: string,
): Promise<{ id: number; code: string }> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const d = await findDossier(trx, dossierId);
    if (!d) throw new NotFound();
    const late = d.outcome === 'returned' && d.returned_on! > d.due_on;
    const overdue = d.returned_on === null && d.due_on < today;
    if (!late && !overdue) throw new Conflict('dossiers.nc_not_overdue');
    if (await hasActiveNonconformity(trx, d.id)) throw new Conflict('dossiers.nc_exists');
    const procedure = await findProcedure(trx, d.procedure_id);
    const params = { code: d.code, procedure: d.procedure_code, due: d.due_on, returned: d.returned_on ?? '' };
    return raiseNonconformityIn(
      trx,
      {
        procedureId: d.procedure_id,
        dossiers: [{ id: d.id, code: d.code }],
        title: translate(lang, late ? 'dossiers.nc_title_late' : 'dossiers.nc_title_overdue', params),
        description: translate(lang, late ? 'dossiers.nc_description_late' : 'dossiers.nc_description_overdue', params),
        severity,
        detectedOn: today,
        actorId,
        responsibleUnitId: procedure?.unit_id ?? null,
      },
      at,
    );
  });
}

/** Every late / pending-overdue dossier of a procedure in a period not yet covered → one nonconformity. */
export async function raiseForProcedure(
  ctx: AppContext,
  procedureId: number,
  period: Period,
  severity: 'major' | 'minor',
  actorId: number,
  lang: Lang,
  today: string,
): Promise<{ id: number; code: string; count: number }> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const procedure = await findProcedure(trx, procedureId);
    if (!procedure) throw new NotFound();
    const dossiers = await listRaisableDossiers(trx, procedureId, period.from, period.to);
    if (dossiers.length === 0) throw new Conflict('dossiers.nc_nothing');
    const params = {
      n: dossiers.length,
      procedure: procedure.code,
      from: period.from,
      to: period.to,
      codes: codeList(
        dossiers.map((d) => d.code),
        lang,
      ),
    };
    const nc = await raiseNonconformityIn(
      trx,
      {
        procedureId,
        dossiers,
        title: translate(lang, 'dossiers.nc_title_bulk', params),
        description: translate(lang, 'dossiers.nc_description_bulk', params),
        severity,
        detectedOn: today,
        actorId,
        responsibleUnitId: procedure.unit_id,
      },
      at,
    );
    return { ...nc, count: dossiers.length };
  });
}
