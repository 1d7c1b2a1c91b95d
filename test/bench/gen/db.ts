import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { GENESIS_HASH } from '../../../src/core/audit-log/audit-log';
import { keyedPayload, organisationPayload } from '../../../src/core/audit-log/audit-chain';
import { defaultAuditKeyFile, readAuditKey } from '../../../src/core/audit-log/audit-key';

/**
 * The generator's raw connection: no journal, no fsync, no foreign-key checks, and every index and trigger
 * dropped while rows go in (then recreated from their own CREATE statements, so the schema ends exactly as the
 * migrations made it). Only for a throw-away benchmark database.
 */
export type Sqlite = Database.Database;

export function openForGeneration(path: string): Sqlite {
  const db = new Database(path);
  // better-sqlite3 runs SQLite in defensive mode, which refuses journal_mode=OFF.
  db.unsafeMode(true);
  if (db.pragma('journal_mode = OFF', { simple: true }) !== 'off') throw new Error('could not turn the journal off for generation');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -1000000');
  db.pragma('temp_store = MEMORY');
  return db;
}

export interface Suspended {
  restore(): void;
}

/** Drops every explicit index and trigger (keeping their SQL) until restore(). */
export function suspendIndexesAndTriggers(db: Sqlite): Suspended {
  const objects = db.prepare(`select type, name, sql from sqlite_master where type in ('index', 'trigger') and sql is not null order by type, name`).all() as {
    type: string;
    name: string;
    sql: string;
  }[];
  for (const o of objects) db.exec(`drop ${o.type} "${o.name}"`);
  return {
    restore() {
      for (const o of objects.filter((x) => x.type === 'index')) db.exec(o.sql);
      for (const o of objects.filter((x) => x.type === 'trigger')) db.exec(o.sql);
    },
  };
}

/** Runs fn inside one transaction (the generator writes millions of rows per call). */
export function inTransaction<T>(db: Sqlite, fn: () => T): T {
  return db.transaction(fn)();
}

/** Audit-log rows collected while generating, written at the end in time order as a valid hash chain. */
export class AuditCollector {
  private rows: string[] = [];
  /** The organisation whose rows are being generated: the entries added until it changes are its (audit_log.organisation_id). */
  organisationId = 1;
  /** at (ISO UTC), user id, action, entity, entity id, new values (JSON), organisation — kept as one sortable string. */
  add(at: string, userId: number | null, action: string, entity: string, entityId: number | string, values: unknown = undefined): void {
    this.rows.push(
      `${at}\u0001${userId ?? ''}\u0001${action}\u0001${entity}\u0001${entityId}\u0001${values === undefined ? '' : JSON.stringify(values)}\u0001${this.organisationId}`,
    );
  }
  get size(): number {
    return this.rows.length;
  }
  write(db: Sqlite): number {
    this.rows.sort();
    const insert = db.prepare(
      `insert into audit_log (id, at, user_id, action, entity, entity_id, old_values, new_values, reason, prev_hash, hash, organisation_id) values (?, ?, ?, ?, ?, ?, null, ?, null, ?, ?, ?)`,
    );
    const last = db.prepare('select id, hash from audit_log order by id desc limit 1').get() as { id: number; hash: string } | undefined;
    let prev = last?.hash ?? GENESIS_HASH;
    let id = last?.id ?? 0;
    // The database was migrated by openDatabase, so its chain is keyed: HMAC under the key beside it, as record() does.
    const keyed =
      db.prepare("select 1 from sqlite_master where type = 'table' and name = 'audit_chain'").get() && db.prepare('select 1 from audit_chain').get();
    const key = keyed ? readAuditKey(defaultAuditKeyFile(db.name)) : undefined;
    // From audit_chain's second switch point on, each organisation's rows are chained among themselves (record()).
    const chains = keyed
      ? (db.prepare('select keyed_from, prev_hash from audit_chain where id = 2').get() as { keyed_from: number; prev_hash: string } | undefined)
      : undefined;
    const heads = new Map<number, string>();
    if (chains)
      for (const h of db
        .prepare(
          'select organisation_id as o, hash from audit_log a where id = (select max(id) from audit_log b where b.organisation_id = a.organisation_id) and id >= ?',
        )
        .all(chains.keyed_from) as { o: number; hash: string }[])
        heads.set(h.o, h.hash);
    inTransaction(db, () => {
      for (const line of this.rows) {
        const [at, user, action, entity, entityId, values, organisation] = line.split('\u0001') as [string, string, string, string, string, string, string];
        const userId = user === '' ? null : Number(user);
        const newValues = values === '' ? null : values;
        id++;
        const org = Number(organisation);
        const perOrganisation = key && chains && id >= chains.keyed_from;
        const linked = perOrganisation ? (heads.get(org) ?? chains.prev_hash) : prev;
        const fields = { at, user_id: userId, action, entity, entity_id: entityId, old_values: null, new_values: newValues, reason: null, prev_hash: linked };
        // Same payload as record() / hashRow() in core/audit-log, so `qms audit-log:verify` accepts the generated history.
        const hash = perOrganisation
          ? key.mac(organisationPayload(id, org, fields))
          : key
            ? key.mac(keyedPayload(id, fields))
            : createHash('sha256')
                .update(JSON.stringify([prev, at, userId, action, entity, entityId, null, newValues, null]))
                .digest('hex');
        insert.run(id, at, userId, action, entity, entityId, newValues, linked, hash, org);
        prev = hash;
        if (perOrganisation) heads.set(org, hash);
      }
    });
    const n = this.rows.length;
    this.rows = [];
    return n;
  }
}
