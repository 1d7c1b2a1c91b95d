import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { ORGANISATION_KINDS } from '../../core/db/schema';
import { organisationOf } from '../../core/db/scope';
import { failField, parseForm, type FormView } from '../../core/http/forms';
import { ADMIN } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { NewOrganisationForm } from './organisations.schemas';
import { listOrganisationsByIds, listTemplateOrganisations, type OrganisationEntry } from './organisations.template.queries';
import { addOrganisationFromTemplate, TemplateRefused } from './organisations.template.service';
import { organisationsUnder } from '../organisation/organisation.tree.queries';
import { OrganisationRefused } from '../organisation/organisation.tree.service';

const LIST = 'organisation/orgs-index';
const FORM = 'organisation/orgs-form';
const CREATED = 'organisation/orgs-created';
const kindOptions = ORGANISATION_KINDS.map((value) => ({ value }));
const option = (o: OrganisationEntry) => ({ value: String(o.id), label: `${o.code} — ${o.name}`, code: o.code });

/**
 * The organisations under an administrator's own (issue 22): the list, and the form that adds one under it — with its
 * first administrator and, when chosen, the register of a template to start from. Reachable by any administrator (a
 * single office sees only its own row and the form); the admin menu links here only where there is a tree to manage.
 */
export function organisationAdminRoutes(ctx: AppContext): RouteTable {
  /** The subtree of the request's organisation, itself first. */
  const subtree = async () => listOrganisationsByIds(ctx.db, await organisationsUnder(ctx.db, organisationOf(ctx.db)));

  /** The selects: parents are the subtree's active organisations; templates the subtree and every `template`. */
  const choices = async () => {
    const orgs = await subtree();
    const templates = await listTemplateOrganisations(ctx.db);
    const inTree = new Set(orgs.map((o) => o.id));
    return {
      parentOptions: orgs.filter((o) => o.status === 'active').map(option),
      templateOptions: [...orgs, ...templates.filter((o) => !inTree.has(o.id))].map(option),
    };
  };

  return new RouteTable()
    .get('/admin/organisations', ADMIN, async (_req: Request, res: Response) => {
      const organisations = await subtree();
      res.render(LIST, { pageTitle: 'organisations.title', organisations, own: organisations[0] });
    })
    .get('/admin/organisations/new', ADMIN, async (_req: Request, res: Response) => {
      const lists = await choices();
      const values = { kind: 'office', parent_id: lists.parentOptions[0]?.value };
      res.render(FORM, { pageTitle: 'organisations.new', kindOptions, ...lists, values, errors: {} });
    })
    .post('/admin/organisations', ADMIN, async (req: Request, res: Response) => {
      const lists = await choices();
      const view: FormView = { view: FORM, locals: { pageTitle: 'organisations.new', kindOptions, ...lists } };
      const form = parseForm(NewOrganisationForm, req.body, view);
      const body = req.body as Record<string, unknown>;
      // Ids from the selects: only those the page offered (the service checks the same again, by code).
      const parent = lists.parentOptions.find((o) => o.value === String(form.parent_id));
      if (!parent) failField('parent_id', 'organisations.error.parent_outside', body, view);
      const template = form.template_id === undefined ? undefined : lists.templateOptions.find((o) => o.value === String(form.template_id));
      if (form.template_id !== undefined && !template) failField('template_id', 'organisations.error.template_outside', body, view);
      let added;
      try {
        added = await addOrganisationFromTemplate(
          ctx,
          {
            code: form.code,
            name: form.name,
            kind: form.kind,
            parentCode: parent.code,
            templateCode: template?.code,
            admin: { username: form.admin_username, fullName: form.admin_full_name },
          },
          req.user!.id,
        );
      } catch (err) {
        if (err instanceof TemplateRefused) failField(err.field, err.key, body, view);
        if (err instanceof OrganisationRefused) failField('code', 'organisations.error.refused', body, view);
        throw err;
      }
      // The one-time password is shown on this response only (never stored in the session's flash): no redirect.
      res.status(201).render(CREATED, {
        pageTitle: 'organisations.created',
        organisation: { code: added.code, name: form.name },
        copied: added.copied,
        template: template?.label,
        admin: added.admin,
      });
    });
}
