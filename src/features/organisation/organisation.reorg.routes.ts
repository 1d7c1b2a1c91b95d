import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../core/context';
import { ORGANISATION_KINDS } from '../../core/db/schema';
import { organisationOf } from '../../core/db/scope';
import {
  failField,
  multiValue,
  optionalEnum,
  optionalLongText,
  optionalText,
  parseForm,
  requiredDate,
  requiredEnum,
  requiredLongText,
} from '../../core/http/forms';
import { NotFound } from '../../core/http/errors';
import { ADMIN, SIGNED_IN } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { organisationsUnder } from './organisation.tree.queries';
import { listOrganisationsByIds, predecessorsOf, successorsOf } from './organisation.reorg.queries';
import { mergeOrganisations, ReorgRefused, splitOrganisation, type NewSuccessor, type ReorgResult } from './organisation.reorg.service';

const FORM_VIEW = 'organisation/reorg-form';
const LINEAGE_VIEW = 'organisation/reorg-lineage';
const PATH = '/admin/organisations/reorganise';

/** One form for both kinds: the chosen kind says which section's fields count; the others may stay filled. */
const ReorgForm = z
  .object({
    action: requiredEnum(['merge', 'split']),
    predecessors: multiValue(z.string().max(30), 100),
    successor_code: optionalText(30),
    new_code: optionalText(30),
    new_name: optionalText(200),
    new_kind: optionalEnum(ORGANISATION_KINDS),
    new_parent: optionalText(30),
    split_from: optionalText(30),
    split_into: optionalLongText(5000),
    effective_on: requiredDate(),
    reason: requiredLongText(1000),
  })
  .strict();

/**
 * The form's choices: the organisations under the admin's own (their user's organisation, as the service checks,
 * even while they read one below it), active ones only (read-only ones cannot take part).
 */
async function formLocals(ctx: AppContext, own: number) {
  const all = (await listOrganisationsByIds(ctx.db, await organisationsUnder(ctx.db, own))).filter((o) => o.status === 'active');
  const option = (o: (typeof all)[number]) => ({ value: o.code, label: `${o.code} — ${o.name}` });
  return {
    // the admin's own organisation is reorganised by the one above it, never from within
    predecessorOptions: all.filter((o) => o.id !== own).map(option),
    organisationOptions: all.map(option),
    kindOptions: ORGANISATION_KINDS.filter((k) => k !== 'template').map((value) => ({ value })),
  };
}

/** "CODE: Name" lines of the split's new organisations; undefined when a line is not one. */
function splitLines(text: string): NewSuccessor[] | undefined {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const parsed = lines.map((line) => /^([^:\s]+)\s*:\s*(.+)$/.exec(line));
  if (parsed.some((m) => !m)) return undefined;
  return parsed.map((m) => ({ code: m![1], name: m![2].trim() }));
}

const codesOf = (list: { code: string }[]) => list.map((o) => o.code).join(', ');

export function reorgRoutes(ctx: AppContext): RouteTable {
  return new RouteTable()
    .get(PATH, ADMIN, async (req: Request, res: Response) => {
      res.render(FORM_VIEW, { ...(await formLocals(ctx, req.user!.organisation_id)), values: { action: 'merge', predecessors: [] }, errors: {} });
    })
    .post(PATH, ADMIN, async (req: Request, res: Response) => {
      const view = { view: FORM_VIEW, locals: await formLocals(ctx, req.user!.organisation_id) };
      const form = parseForm(ReorgForm, req.body, view);
      const values = { ...(req.body as Record<string, unknown>), predecessors: form.predecessors };
      const common = { effectiveOn: form.effective_on, reason: form.reason };
      let done: ReorgResult;
      try {
        if (form.action === 'merge') {
          if (form.predecessors.length === 0) failField('predecessors', 'reorg.refused.no_predecessor', values, view);
          if (form.successor_code && form.new_code) failField('successor_code', 'reorg.refused.successor_required', values, view);
          let successor: { code: string } | NewSuccessor;
          if (form.successor_code) successor = { code: form.successor_code };
          else if (!form.new_code) failField('successor_code', 'reorg.refused.successor_required', values, view);
          else if (!form.new_name) failField('new_name', 'validation.required', values, view);
          else successor = { code: form.new_code, name: form.new_name, kind: form.new_kind, parentCode: form.new_parent };
          done = await mergeOrganisations(ctx, { predecessors: form.predecessors, successor: successor!, ...common }, req.user!.id);
        } else {
          if (!form.split_from) failField('split_from', 'validation.required', values, view);
          const successors = splitLines(form.split_into ?? '');
          if (!successors) failField('split_into', 'reorg.refused.split_line', values, view);
          done = await splitOrganisation(ctx, { predecessor: form.split_from, successors, ...common }, req.user!.id);
        }
      } catch (err) {
        // the service's refusal (outside the subtree, read-only, a taken code …) shown beside its field
        if (err instanceof ReorgRefused) failField(err.field, err.key, values, view, err.params);
        throw err;
      }
      await setFlash(ctx, req, {
        kind: 'success',
        key: `reorg.done.${done.kind}`,
        params: { from: codesOf(done.predecessors), into: codesOf(done.successors) },
      });
      res.redirect(303, PATH);
    })
    .get('/organisation/lineage', SIGNED_IN, async (_req: Request, res: Response) => {
      // the organisation the request works for: the user's own (or, once the lead's drill-down lands, the one chosen)
      const id = organisationOf(ctx.db);
      const [organisation] = await listOrganisationsByIds(ctx.db, [id]);
      if (!organisation) throw new NotFound();
      res.render(LINEAGE_VIEW, { organisation, predecessors: await predecessorsOf(ctx.db, id), successors: await successorsOf(ctx.db, id) });
    });
}
