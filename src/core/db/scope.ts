import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { DB } from './schema';

/** The database type of database.ts, named here so that the audit log (which database.ts uses) can use this file without a loop. */
type Db = Kysely<DB>;

/**
 * Which organisation a query works for (organisations, issue 22). The rule: every query of an organisation's data
 * filters by `organisation_id = organisationOf(db)` and every insert writes it. The organisation comes from, in
 * this order:
 * 1. the handle's own scope: `scopedDb(db, id)`, a handle on the same database that works for one organisation
 *    (carried as a plugin that changes nothing, as EnginePlugin carries the engine; Kysely hands its plugins on to
 *    every transaction it opens, so `organisationOf(trx)` answers as on `db`). For code that picks the organisation
 *    itself: the CLI's `--org`, the demo, an inspector reading another organisation, work that loops over them.
 * 2. the request's context: the session middleware runs the rest of a signed-in request inside
 *    `runInOrganisation(user's organisation, …)` (node's AsyncLocalStorage, which follows the request's promises and
 *    callbacks), so route handlers and services use `ctx.db` as before.
 * Otherwise `organisationOf` throws UnscopedQuery: a query written for one organisation never runs for none.
 */
export class OrganisationScope implements KyselyPlugin {
  constructor(readonly organisationId: number) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/** Thrown when a query for one organisation's data runs on a handle without a scope: a programming error. */
export class UnscopedQuery extends Error {
  constructor() {
    super("a query of an organisation's data ran without an organisation scope (use scopedDb)");
  }
}

function scopeOf(db: Db): OrganisationScope | undefined {
  return db.getExecutor().plugins.find((p): p is OrganisationScope => p instanceof OrganisationScope);
}

const requestOrganisation = new AsyncLocalStorage<number>();

/** Runs `work` (and everything it starts) for one organisation: the request's context of rule 2 above. */
export function runInOrganisation<T>(organisationId: number, work: () => T): T {
  if (!Number.isSafeInteger(organisationId) || organisationId < 1) throw new Error(`runInOrganisation: invalid organisation id ${organisationId}`);
  return requestOrganisation.run(organisationId, work);
}

/** Runs `work` outside any request's organisation (background work started from a request must not inherit it). */
export function runOutsideOrganisation<T>(work: () => T): T {
  return requestOrganisation.exit(work);
}

/** A handle on the same database (the same pool or connection) that works for one organisation. */
export function scopedDb(db: Db, organisationId: number): Db {
  if (!Number.isSafeInteger(organisationId) || organisationId < 1) throw new Error(`scopedDb: invalid organisation id ${organisationId}`);
  const current = scopeOf(db);
  if (current) {
    if (current.organisationId === organisationId) return db;
    throw new Error(`scopedDb: the handle already works for organisation ${current.organisationId}, not ${organisationId}`);
  }
  return db.withPlugin(new OrganisationScope(organisationId));
}

/** The organisation a query on this handle works for (see above); throws UnscopedQuery when there is none. */
export function organisationOf(db: Db): number {
  const id = maybeOrganisationOf(db);
  if (id === undefined) throw new UnscopedQuery();
  return id;
}

/** The organisation a query on this handle works for, or undefined (code that serves one organisation or all). */
export function maybeOrganisationOf(db: Db): number | undefined {
  return scopeOf(db)?.organisationId ?? requestOrganisation.getStore();
}

/** The same handle without its own organisation (its other plugins kept): for tests that work for several. */
export function withoutOrganisation(db: Db): Db {
  return db
    .getExecutor()
    .plugins.filter((p) => !(p instanceof OrganisationScope))
    .reduce((d, p) => d.withPlugin(p), db.withoutPlugins());
}
