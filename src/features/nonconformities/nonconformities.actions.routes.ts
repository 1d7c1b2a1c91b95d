import { rm } from 'node:fs/promises';
import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import { addDays } from '../../core/calendar';
import { discardUpload, keepUpload, prepareUpload, sendStoredFile, uploadedFileName, UploadRejected, type PendingFile } from '../../core/files';
import { failField, parseForm, type FormView } from '../../core/http/forms';
import { NotFound } from '../../core/http/errors';
import { idParam, pageParam, pager, queryText } from '../../core/http/params';
import { SIGNED_IN, READERS } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { uploadToDisk } from '../../core/http/upload';
import { listActiveUserOptions } from '../users/users.queries';
import { listNcsOfUser } from './nonconformities.list.queries';
import { statusBadge } from './nonconformities.model';
import { assertCanActOn, assertCanViewAction } from './nonconformities.access';
import { addActionFormRoutes } from './nonconformities.actions.forms.routes';
import { ACTION_STATUSES, actionBadge, DUE_SOON_DAYS, urgencyOf, type ActionStatus } from './nonconformities.actions.model';
import { countActions, findAction, findActionFile, listActions, listMyActions, type ActionFilter, type ActionListRow } from './nonconformities.actions.queries';
import { attachEvidence } from './nonconformities.actions.service';
import { actionPageLocals } from './nonconformities.actions.view';
import { actionSource } from './nonconformities.actions.source';
import { UploadForm } from './nonconformities.actions.schemas';
import { todayOf } from '../../core/http/today';

/** "Việc của tôi", the list of all actions, an action's page and its evidence files. */
const PAGE_SIZE = 50;

export function actionsRoutes(ctx: AppContext): RouteTable {
  const decorate = (rows: ActionListRow[], t: string) => {
    const soon = addDays(t, DUE_SOON_DAYS);
    return rows.map((r) => ({ ...r, source: actionSource(r), statusClass: actionBadge(r.status), urgency: urgencyOf(r.status, r.due_date, t, soon) }));
  };
  const load = async (req: Request) => {
    const a = await findAction(ctx.db, idParam(req));
    if (!a) throw new NotFound();
    return a;
  };

  const table = new RouteTable()
    .get('/actions/mine', SIGNED_IN, async (req, res) => {
      const t = todayOf(res);
      const mine = await listMyActions(ctx.db, req.user!.id, t);
      const open = decorate(mine.open, t);
      const ncs = (await listNcsOfUser(ctx.db, req.user!.id, t)).map((r) => ({ ...r, statusClass: statusBadge(r.status) }));
      res.render('actions/mine', {
        pageTitle: 'actions.mine_title',
        open,
        overdueCount: open.filter((r) => r.urgency === 'overdue').length,
        dueSoonCount: open.filter((r) => r.urgency === 'due_soon').length,
        recent: decorate(mine.recent, t),
        ncs,
      });
    })
    .get('/actions', READERS, async (req, res) => {
      const t = todayOf(res);
      const status = queryText(req, 'status');
      const owner = queryText(req, 'owner');
      const filter: ActionFilter = {
        status: status === 'all' ? undefined : (ACTION_STATUSES as readonly string[]).includes(status ?? '') ? (status as ActionStatus) : 'open',
        ownerId: owner && /^[1-9]\d{0,15}$/.test(owner) ? Number(owner) : undefined,
        overdueBefore: queryText(req, 'overdue') === '1' ? t : undefined,
      };
      const query = { status, owner, overdue: filter.overdueBefore ? '1' : undefined };
      const page = pageParam(req);
      const total = await countActions(ctx.db, filter);
      res.render('actions/index', {
        pageTitle: 'actions.title',
        rows: decorate(await listActions(ctx.db, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE), t),
        total,
        filter: query,
        statusOptions: ACTION_STATUSES,
        ownerOptions: (await listActiveUserOptions(ctx.db)).map((u) => ({ value: u.id, label: u.full_name })),
        pager: pager(page, PAGE_SIZE, total, query),
      });
    })
    .get('/actions/:id', SIGNED_IN, async (req, res) => {
      const a = await load(req);
      await assertCanViewAction(ctx.db, req.user!, a);
      res.render('actions/show', await actionPageLocals(ctx, a, req.user!, todayOf(res)));
    })
    .post('/actions/:id/files', SIGNED_IN, uploadToDisk('file', ctx.config.uploadMaxBytes), async (req, res) => {
      const temp = req.file?.path;
      let pending: PendingFile | undefined;
      try {
        const a = await load(req);
        assertCanActOn(req.user!, a);
        const view: FormView = { view: 'actions/show', locals: await actionPageLocals(ctx, a, req.user!, todayOf(res)) };
        parseForm(UploadForm, req.body, view);
        if (!req.file) failField('file', 'files.missing', {}, view);
        try {
          pending = await prepareUpload(ctx, { path: req.file.path }, uploadedFileName(req.file.originalname));
        } catch (err) {
          if (err instanceof UploadRejected) failField('file', err.messageKey, {}, view);
          throw err;
        }
        const file = pending;
        // Kept by attachEvidence's transaction: a refusal there (409: the nonconformity is closed) stores nothing.
        await keepUpload(ctx, file, (c) => attachEvidence(c, a.id, file, req.user!.id));
        await setFlash(ctx, req, { kind: 'success', key: 'actions.flash.file_attached' });
        res.redirect(303, `/actions/${a.id}`);
      } finally {
        await discardUpload(pending);
        if (temp) await rm(temp, { force: true });
      }
    })
    .get('/actions/:id/files/:fileId', SIGNED_IN, async (req, res) => {
      const a = await load(req);
      await assertCanViewAction(ctx.db, req.user!, a);
      const file = await findActionFile(ctx.db, a.id, idParam(req, 'fileId'));
      if (!file) throw new NotFound();
      await sendStoredFile(ctx, res, file.sha256, file.file_name, file.mime_type);
    });
  addActionFormRoutes(table, ctx);
  return table;
}
