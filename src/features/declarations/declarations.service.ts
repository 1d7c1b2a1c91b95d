import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import type { Db } from '../../core/db/database';
import type { StoredFile } from '../../core/files';
import { Conflict, NotFound } from '../../core/http/errors';
import { findQmsDeclaredOn, setQmsDeclaredOn } from '../organisation/organisation.queries';
import {
  cancelDeclarationRow,
  currentScope,
  findDeclaration,
  findLatestDeclaration,
  findRecordedByNumber,
  insertDeclaration,
  type DeclarationRow,
} from './declarations.queries';
import { hasChanges, parseScope, scopeChange, type ScopeChange, type ScopeEntry } from './declarations.scope';

/** Another recorded declaration of the organisation has this decision number. */
export class DecisionNumberTaken extends Error {}
/** A declaration dated before the one in force (`last`): the history is kept in order. */
export class DateBeforeLast extends Error {
  constructor(readonly last: string) {
    super(`before the declaration in force (${last})`);
  }
}
/** A re-declaration says why (the change of scope). */
export class NoteRequired extends Error {}

export interface DeclarationInput {
  decisionNo: string;
  decidedOn: string;
  signerName: string;
  signerTitle: string;
  note: string;
}

/**
 * Records a declaration from its signed decision, with the scope of the QMS that day (the active procedures) and the
 * decision's file when given. The first one is the declaration; every later one a re-declaration, which must say
 * why. The organisation's declaration date (oversight, settings) becomes this one's. One transaction with its entry.
 */
export async function recordDeclaration(
  ctx: AppContext,
  input: DeclarationInput,
  file: StoredFile | undefined,
  actorId: number,
  /** The scope as it was on the decision's date, for a past declaration entered afterwards (the demo); default: today's. */
  scopeThen?: ScopeEntry[],
): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (await findRecordedByNumber(trx, input.decisionNo)) throw new DecisionNumberTaken();
    const last = await findLatestDeclaration(trx);
    if (last && input.decidedOn < last.decided_on) throw new DateBeforeLast(last.decided_on);
    const kind = last ? 're_declaration' : 'declaration';
    if (kind === 're_declaration' && input.note.trim() === '') throw new NoteRequired();
    const scope = scopeThen ?? (await currentScope(trx));
    const id = await insertDeclaration(trx, {
      kind,
      decision_no: input.decisionNo,
      decided_on: input.decidedOn,
      signer_name: input.signerName,
      signer_title: input.signerTitle,
      note: input.note,
      scope: JSON.stringify(scope),
      file_sha256: file?.sha256 ?? null,
      file_name: file?.originalName ?? null,
      file_mime: file?.mime ?? null,
      created_by: actorId,
      created_at: at.toISOString(),
    });
    const declaredBefore = await findQmsDeclaredOn(trx);
    await setQmsDeclaredOn(trx, input.decidedOn);
    await record(
      trx,
      {
        userId: actorId,
        action: 'create',
        entity: 'qms_declaration',
        entityId: id,
        old: { qms_declared_on: declaredBefore },
        new: {
          kind,
          decision_no: input.decisionNo,
          decided_on: input.decidedOn,
          signer_name: input.signerName,
          signer_title: input.signerTitle,
          note: input.note,
          procedures: scope.length,
          file: file ? { sha256: file.sha256, name: file.originalName } : null,
        },
      },
      at,
    );
    return id;
  });
}

/**
 * Cancels a declaration recorded by mistake (it stays, marked cancelled, with the reason). The organisation's
 * declaration date becomes that of the declaration then in force, or none.
 */
export async function cancelDeclaration(ctx: AppContext, id: number, reason: string, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findDeclaration(trx, id);
    if (!before) throw new NotFound();
    if (!(await cancelDeclarationRow(trx, id, reason, at.toISOString(), actorId))) throw new Conflict('declarations.already_cancelled');
    const inForce = await findLatestDeclaration(trx);
    const declaredBefore = await findQmsDeclaredOn(trx);
    await setQmsDeclaredOn(trx, inForce?.decided_on ?? null);
    await record(
      trx,
      {
        userId: actorId,
        action: 'cancel',
        entity: 'qms_declaration',
        entityId: id,
        old: { status: 'recorded', qms_declared_on: declaredBefore },
        new: { status: 'cancelled', qms_declared_on: inForce?.decided_on ?? null },
        reason,
      },
      at,
    );
  });
}

export interface ScopeStatus {
  /** The declaration in force, if any. */
  latest?: DeclarationRow;
  /** How the register's scope differs from the declaration in force's. */
  change?: ScopeChange;
  /** The scope changed since the declaration in force: announce again. */
  due: boolean;
  /** Procedures in the scope now. */
  procedures: number;
}

/** The declaration in force and whether the scope changed since (the quality officer's home page, the register). */
export async function scopeStatus(db: Db): Promise<ScopeStatus> {
  const [latest, now] = await Promise.all([findLatestDeclaration(db), currentScope(db)]);
  if (!latest) return { due: false, procedures: now.length };
  const change = scopeChange(parseScope(latest.scope), now);
  return { latest, change, due: hasChanges(change), procedures: now.length };
}
