import type { Db } from '../core/db/database';

/**
 * Cross-feature events, called inside the transaction of the change that causes them, so that
 * what they write commits or rolls back with it. Features add their handler to the list here.
 */
export interface RevisionEffectiveEvent {
  documentId: number;
  revisionId: number;
  revisionNo: number;
  /** Who made it effective (null when it took effect by date, from the scheduler). */
  actorId: number | null;
  at: Date;
}

export type RevisionEffectiveHook = (trx: Db, event: RevisionEffectiveEvent) => Promise<void>;

/** Called by the documents feature whenever a revision becomes effective. */
export const revisionEffectiveHooks: RevisionEffectiveHook[] = [];

export async function runRevisionEffectiveHooks(trx: Db, event: RevisionEffectiveEvent): Promise<void> {
  for (const hook of revisionEffectiveHooks) await hook(trx, event);
}
revisionEffectiveHooks.push((trx, event) => import('./actions/actions.hooks').then((m) => m.completeReviseDocumentActions(trx, event)));
