import type { Request } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../core/context';
import { BadRequest, NotFound } from '../../core/http/errors';
import { optionalEnum, optionalText, parseForm } from '../../core/http/forms';
import { idParam } from '../../core/http/params';
import { QUALITY } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { listLinkedNonconformities, type LinkedNc } from './dossiers.nc.queries';
import { raiseForDossier, raiseForProcedure } from './dossiers.nc.service';
import { findOwnProcedureByCode } from './dossiers.queries';
import { parsePeriod } from './dossiers.period';
import { todayOf } from '../../core/http/today';

const SEVERITIES = ['minor', 'major'] as const;
const RaiseForm = z.object({ severity: optionalEnum(SEVERITIES) }).strict();
const BulkRaiseForm = z.object({ severity: optionalEnum(SEVERITIES), from: optionalText(10), to: optionalText(10) }).strict();

/** Adds each dossier's linked nonconformities (`nonconformities`: id, code, status). */
export async function linkedNonconformities<T extends { id: number }>(ctx: AppContext, dossiers: T[]): Promise<(T & { nonconformities: LinkedNc[] })[]> {
  const links = await listLinkedNonconformities(
    ctx.db,
    dossiers.map((d) => d.id),
  );
  return dossiers.map((d) => ({ ...d, nonconformities: links.filter((l) => l.dossier_id === d.id) }));
}

/** These forms are a choice and a button: a wrong body re-renders a short page with the message (422). */
const errorView = (back: string) => ({ view: 'dossiers/raise', locals: { pageTitle: 'dossiers.nc_raise_title', back } });

export function addNonconformityRoutes(table: RouteTable, ctx: AppContext): void {
  const langOf = (req: Request) => req.lang;

  table
    .post('/dossiers/:id/nonconformity', QUALITY, async (req, res) => {
      const id = idParam(req);
      const form = parseForm(RaiseForm, req.body, errorView(`/dossiers/${id}`));
      const nc = await raiseForDossier(ctx, id, form.severity ?? 'minor', req.user!.id, langOf(req), todayOf(res));
      await setFlash(ctx, req, { kind: 'success', key: 'dossiers.nc_raised', params: { code: nc.code, n: 1 } });
      res.redirect(303, `/nonconformities/${nc.id}`);
    })
    .post('/dossiers/procedures/:code/nonconformity', QUALITY, async (req, res) => {
      const procedure = await findOwnProcedureByCode(ctx.db, String(req.params.code));
      if (!procedure) throw new NotFound();
      const form = parseForm(BulkRaiseForm, req.body, errorView(`/dossiers/procedures/${encodeURIComponent(procedure.code)}`));
      const period = parsePeriod(form.from, form.to);
      if (!period.ok) throw new BadRequest(`dossiers.period_${period.problem}`);
      const nc = await raiseForProcedure(ctx, procedure.id, period, form.severity ?? 'minor', req.user!.id, langOf(req), todayOf(res));
      await setFlash(ctx, req, { kind: 'success', key: 'dossiers.nc_raised', params: { code: nc.code, n: nc.count } });
      res.redirect(303, `/nonconformities/${nc.id}`);
    });
}
