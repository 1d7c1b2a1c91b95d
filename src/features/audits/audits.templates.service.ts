import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import { Conflict, NotFound } from '../../core/http/errors';
import { findTemplate, findTemplateByName, insertTemplate, listTemplateQuestions, replaceTemplateQuestions, updateTemplate } from './audits.templates.queries';
import { AuditFieldError } from './audits.validate';

/** Checklist templates, managed by quality officers: create, edit (questions replaced), retire or bring back. */
export interface TemplateInput {
  name: string;
  description: string;
  questions: { clause: string | null; question: string }[];
}

export async function createTemplate(ctx: AppContext, input: TemplateInput, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (await findTemplateByName(trx, input.name)) throw new AuditFieldError('name', 'audits.templates.name_taken');
    const id = await insertTemplate(trx, { name: input.name, description: input.description }, at.toISOString());
    await replaceTemplateQuestions(trx, id, input.questions);
    await record(trx, { userId: actorId, action: 'create', entity: 'audit_checklist_template', entityId: id, new: input }, at);
    return id;
  });
}

export async function editTemplate(ctx: AppContext, id: number, input: TemplateInput, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findTemplate(trx, id);
    if (!before) throw new NotFound();
    const other = await findTemplateByName(trx, input.name);
    if (other && other.id !== id) throw new AuditFieldError('name', 'audits.templates.name_taken');
    const questions = await listTemplateQuestions(trx, id);
    if (!(await updateTemplate(trx, id, { name: input.name, description: input.description }, version, at.toISOString())))
      throw new Conflict('error.edit_conflict');
    await replaceTemplateQuestions(trx, id, input.questions);
    await record(
      trx,
      {
        userId: actorId,
        action: 'update',
        entity: 'audit_checklist_template',
        entityId: id,
        old: { name: before.name, description: before.description, questions },
        new: input,
      },
      at,
    );
  });
}

export async function setTemplateActive(ctx: AppContext, id: number, active: boolean, reason: string, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findTemplate(trx, id);
    if (!before) throw new NotFound();
    if ((before.active === 1) === active) throw new Conflict();
    const changes = { active: active ? 1 : 0, retired_reason: active ? null : reason };
    if (!(await updateTemplate(trx, id, changes, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      {
        userId: actorId,
        action: active ? 'reactivate' : 'retire',
        entity: 'audit_checklist_template',
        entityId: id,
        old: { active: before.active },
        new: { active: changes.active },
        reason,
      },
      at,
    );
  });
}
