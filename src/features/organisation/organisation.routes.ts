import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { parseForm, failField } from '../../core/http/forms';
import { NotFound } from '../../core/http/errors';
import { ADMIN } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { isClause } from '../../core/iso/clauses';
import { todayOf } from '../../core/http/today';
import { ANNUAL_PERIODS, asRevisionSigners, findAnnualPeriod, findOrganisation, findQmsDeclaredOn, REVISION_SIGNERS } from './organisation.queries';
import { OrganisationForm } from './organisation.schemas';
import { DOC_KINDS, type DocKind } from './organisation.print';
import { listRecipientsByKind } from './organisation.signers.queries';
import { saveOrganisation } from './organisation.service';

const VIEW = 'organisation/form';
const recipientsValues = (lists: Partial<Record<DocKind, string>>) => Object.fromEntries(DOC_KINDS.map((k) => [`recipients_${k}`, lists[k] ?? '']));
const signersOptions = REVISION_SIGNERS.map((value) => ({ value: String(value) }));
const periodOptions = ANNUAL_PERIODS.map((value) => ({ value }));

export function organisationRoutes(ctx: AppContext): RouteTable {
  return new RouteTable()
    .get('/admin/organisation', ADMIN, async (_req: Request, res: Response) => {
      const org = await findOrganisation(ctx.db);
      if (!org) throw new NotFound();
      const clauses = (JSON.parse(org.not_applicable_clauses) as string[]).join(', ');
      const values = {
        ...org,
        not_applicable_clauses: clauses,
        revision_signers: String(org.revision_signers),
        qms_declared_on: (await findQmsDeclaredOn(ctx.db)) ?? '',
        annual_period: await findAnnualPeriod(ctx.db),
        ...recipientsValues(await listRecipientsByKind(ctx.db)),
      };
      res.render(VIEW, { values, errors: {}, signersOptions, periodOptions, docKinds: DOC_KINDS, today: todayOf(res) });
    })
    .post('/admin/organisation', ADMIN, async (req: Request, res: Response) => {
      const view = { view: VIEW, locals: { signersOptions, periodOptions, docKinds: DOC_KINDS, today: todayOf(res) } };
      const form = parseForm(OrganisationForm, req.body, view);
      const clauses = (form.not_applicable_clauses ?? '')
        .split(/[,;\s]+/)
        .map((c) => c.trim())
        .filter(Boolean);
      if (clauses.some((c) => !isClause(c))) failField('not_applicable_clauses', 'validation.clause', req.body, view);
      // A declaration is a past event: a date after the organisation's today is refused next to the field.
      if (form.qms_declared_on && form.qms_declared_on > todayOf(res)) failField('qms_declared_on', 'oversight.declared_field_future', req.body, view);
      await saveOrganisation(
        ctx,
        req.user!.id,
        {
          name: form.name,
          parent_agency: form.parent_agency ?? '',
          place_name: form.place_name ?? '',
          report_number_suffix: form.report_number_suffix ?? '',
          signer_title: form.signer_title ?? '',
          signer_name: form.signer_name ?? '',
          time_zone: form.time_zone,
          recipients: form.recipients ?? '',
          not_applicable_clauses: JSON.stringify([...new Set(clauses)]),
          ...(form.revision_signers ? { revision_signers: asRevisionSigners(Number(form.revision_signers)) } : {}),
          // Empty clears the date; a form without the field (older than it) leaves it as it is.
          ...('qms_declared_on' in req.body ? { qms_declared_on: form.qms_declared_on ?? null } : {}),
          ...(form.annual_period ? { annual_period: form.annual_period } : {}),
        },
        form.version,
        // the kinds the form sent (a form older than them leaves them as they are)
        Object.fromEntries(DOC_KINDS.filter((k) => `recipients_${k}` in req.body).map((k) => [k, form[`recipients_${k}`] ?? ''])),
      );
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, '/admin/organisation');
    });
}
