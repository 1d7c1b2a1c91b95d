import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import { databaseFileOf, hasColumn, hasTable } from '../db/dialect/catalog';
import { auditKeyOfDb, pluginOf } from '../db/dialect/engine';
import {
  epochPayload,
  GENESIS_HASH,
  hashRow,
  keyedHash,
  organisationEpochPayload,
  organisationHash,
  readEpoch,
  readOrganisationEpoch,
  storedRow,
  type ChainEpoch,
  type Db,
  type StoredRow,
} from './audit-chain';
import { anchorSigned, parseAnchor, readHeadFile, type ChainAnchor } from './audit-anchor';
import { defaultAuditKeyFile, readAuditKey, type AuditKey } from './audit-key';

/** Anchors from one place; the group holds when the chain matches any one of them (two while a restore swaps files). */
export interface AnchorGroup {
  source: string;
  anchors: ChainAnchor[];
}

export interface VerifyOptions {
  /** Default: the key the database was opened with (openDatabase), else the default key file beside the database. */
  key?: AuditKey | null;
  /** Default: the database's head file (registerHeadFile), else `<database file>.audit-head`; null: none. */
  headFile?: string | null;
  /** More anchors to hold the chain to (a backup's manifest). */
  anchors?: AnchorGroup[];
}

export interface VerifyResult {
  ok: boolean;
  /** Rows verified (before the first bad one, when there is one). */
  checked: number;
  /** The first row that is not what was written: its id and why. */
  brokenAt?: { id: number; reason: 'hash_mismatch' | 'chain_broken' | 'anchor_mismatch' };
  /** What is wrong with the chain as a whole (missing rows at the end, empty, key): one line. */
  problem?: string;
  /** The id from which rows are keyed (HMAC), when the chain is keyed. */
  keyedFrom?: number;
  /** The id from which each organisation's rows are chained among themselves, when they are. */
  perOrganisationFrom?: number;
  /** Where the anchors that held came from. */
  anchors?: string[];
  /** No row at all, on a database that was never initialised: nothing to verify. */
  empty?: boolean;
}

/**
 * Keyed by the handle's engine plugin, which every handle made from it shares (a transaction, a handle scoped to an
 * organisation): the database as opened, not one Kysely object.
 */
const headFiles = new WeakMap<object, { file: string | null }>();
const headKey = (db: Db): object => pluginOf(db) ?? db;

/** The head file the database was opened with (null: none), so that verify(db) compares with the same file. */
export function registerHeadFile(db: Db, file: string | null): void {
  headFiles.set(headKey(db), { file });
}

function keyFor(db: Db, options: VerifyOptions): AuditKey | undefined {
  if (options.key !== undefined) return options.key ?? undefined;
  const opened = auditKeyOfDb(db);
  if (opened) return opened;
  const path = databaseFileOf(db);
  return path ? readAuditKey(defaultAuditKeyFile(path)) : undefined;
}

function headFileFor(db: Db, options: VerifyOptions): string | null {
  if (options.headFile !== undefined) return options.headFile;
  const registered = headFiles.get(headKey(db));
  if (registered) return registered.file;
  const path = databaseFileOf(db);
  return path ? `${path}.audit-head` : null;
}

const anyRow = async (db: Db, table: 'users' | 'audit_log') =>
  (await db
    .selectFrom(table)
    .select(sql<number>`1`.as('one'))
    .limit(1)
    .executeTakeFirst()) !== undefined;

/** When the database was first given a user ('initialised_at'), or undefined for one never initialised. */
export async function initialisedAt(db: Db): Promise<string | undefined> {
  if (await hasTable(db, 'qms_meta')) {
    const row = await db.selectFrom('qms_meta').select('value').where('key', '=', 'initialised_at').executeTakeFirst();
    if (row) return row.value;
  }
  if ((await hasTable(db, 'users')) && (await anyRow(db, 'users'))) return 'a date not recorded';
  return undefined;
}

/** Every anchor the database, its head file and the caller know of; problems with the anchors themselves. */
async function collectAnchors(db: Db, options: VerifyOptions): Promise<{ groups: AnchorGroup[]; problems: string[] }> {
  const groups: AnchorGroup[] = [];
  const problems: string[] = [];
  const headFile = headFileFor(db, options);
  if (headFile && existsSync(headFile)) {
    const read = readHeadFile(headFile);
    if (read.state === 'ok') groups.push({ source: `head file ${headFile}`, anchors: read.heads });
    else if (read.state === 'unreadable') problems.push(`the audit head file ${headFile} is unreadable (${read.reason})`);
  }
  if ((await hasTable(db, 'e_signatures')) && (await hasColumn(db, 'e_signatures', 'audit_anchor'))) {
    const signed = await db
      .selectFrom('e_signatures')
      .select(['id', 'audit_anchor'])
      .where('audit_anchor', 'is not', null)
      .orderBy('id')
      .$narrowType<{ audit_anchor: string }>()
      .execute();
    for (const s of signed) {
      let anchor: ChainAnchor | undefined;
      try {
        anchor = parseAnchor(JSON.parse(s.audit_anchor));
      } catch {
        anchor = undefined;
      }
      if (anchor) groups.push({ source: `signature ${s.id}`, anchors: [anchor] });
      else problems.push(`signature ${s.id} carries a damaged audit anchor`);
    }
  }
  groups.push(...(options.anchors ?? []));
  return { groups, problems };
}

/** Anchors that are not signed with the key or do not describe this chain are problems, not anchors. */
function checkAnchors(groups: AnchorGroup[], key: AuditKey | undefined, epoch: ChainEpoch | undefined, problems: string[]): AnchorGroup[] {
  const usable: AnchorGroup[] = [];
  for (const group of groups) {
    const bad = group.anchors.find((a) => !key || !anchorSigned(key, a));
    if (bad) problems.push(`the anchor in ${group.source} is not signed with ${key ? `audit key ${key.id}` : 'an available audit key'}`);
    else if (!epoch) problems.push(`${group.source} anchors a keyed chain, but the database has no record of its key (audit_chain)`);
    else if (group.anchors.some((a) => a.keyedFrom !== epoch.keyed_from))
      problems.push(`${group.source} says the keyed chain begins at row ${group.anchors[0].keyedFrom}, the database says ${epoch.keyed_from}`);
    else usable.push(group);
  }
  return usable;
}

const VERIFY_PAGE = 5000;

const ROW_COLUMNS = [
  'id',
  'at',
  'user_id',
  'action',
  'entity',
  'entity_id',
  'old_values',
  'new_values',
  'reason',
  'prev_hash',
  'hash',
  'organisation_id',
] as const;

/** What is wrong with the switch points (audit_chain), or undefined: each signed with the key given. */
function checkEpochs(key: AuditKey | undefined, epoch: ChainEpoch | undefined, chains: ChainEpoch | undefined): string | undefined {
  if (epoch) {
    if (!key) return `the audit log is keyed (audit key ${epoch.key_id}) but that key is not available: set AUDIT_KEY_FILE to its file`;
    if (key.id !== epoch.key_id) return `the audit log is keyed with audit key ${epoch.key_id}, but the key given is ${key.id}`;
    if (key.mac(epochPayload(epoch)) !== epoch.mac) return 'the record of where the keyed chain begins (audit_chain) is not signed with the audit key';
  }
  if (chains) {
    if (!epoch || !key || key.id !== chains.key_id || key.mac(organisationEpochPayload(chains)) !== chains.mac || chains.keyed_from < epoch.keyed_from)
      return 'the record of where the chains per organisation begin (audit_chain) is not signed with the audit key';
  }
  return undefined;
}

/**
 * Walks the whole chain in id order: each row's link to the previous hash, its hash (plain SHA-256 before the switch
 * point, HMAC under the audit key from it on), then every anchor: the chain must still have each anchored head as
 * its N-th row. Reports the first bad row, or what is wrong with the chain as a whole (rows missing at the end, an
 * empty log on an initialised database, a missing key).
 */
export async function verify(db: Db, options: VerifyOptions = {}): Promise<VerifyResult> {
  const key = keyFor(db, options);
  const epoch = await readEpoch(db);
  const chains = await readOrganisationEpoch(db);
  const base = { ...(epoch ? { keyedFrom: epoch.keyed_from } : {}), ...(chains ? { perOrganisationFrom: chains.keyed_from } : {}) };
  const problem = (text: string, checked = 0): VerifyResult => ({ ok: false, checked, problem: text, ...base });
  const epochProblem = checkEpochs(key, epoch, chains);
  if (epochProblem) return problem(epochProblem);
  if (!epoch && (await hasTable(db, 'audit_chain')) && (await anyRow(db, 'audit_log'))) {
    // the app records it right after creating the table, before any row: without it every row would pass as unkeyed
    return problem('the record of where the keyed chain begins (audit_chain) is missing');
  }
  const collected = await collectAnchors(db, options);
  const problems = collected.problems;
  const groups = checkAnchors(collected.groups, key, epoch, problems);
  const byId = new Map<number, { group: AnchorGroup; anchor: ChainAnchor }[]>();
  for (const group of groups) for (const anchor of group.anchors) byId.set(anchor.headId, [...(byId.get(anchor.headId) ?? []), { group, anchor }]);
  const held = new Set<AnchorGroup>();
  const mismatched = new Map<AnchorGroup, number>();

  let previous = GENESIS_HASH;
  let checked = 0;
  let lastId = 0;
  let keyedReached = false;
  let perOrganisationReached = false;
  /** Each organisation's last hash in its own chain (from the switch point on). */
  const heads = new Map<number, string>();
  const broken = (id: number, reason: 'hash_mismatch' | 'chain_broken' | 'anchor_mismatch'): VerifyResult => ({
    ok: false,
    checked,
    brokenAt: { id, reason },
    ...base,
  });
  if (await hasTable(db, 'audit_log')) {
    // in pages of VERIFY_PAGE rows by id (the log may hold millions; rows are only ever appended, so no page is missed)
    let after: number | undefined;
    for (let more = true; more;) {
      let page = db.selectFrom('audit_log').select(ROW_COLUMNS).orderBy('id').limit(VERIFY_PAGE);
      if (after !== undefined) page = page.where('id', '>', after);
      const rows = await page.execute();
      more = rows.length === VERIFY_PAGE;
      for (const stored of rows) {
        const row = storedRow(stored);
        after = row.id;
        const keyed = epoch !== undefined && row.id >= epoch.keyed_from;
        if (keyed && !keyedReached) {
          keyedReached = true;
          if (checked !== epoch.rows_before || previous !== epoch.prev_hash) return broken(row.id, 'chain_broken');
        }
        const perOrganisation = chains !== undefined && row.id >= chains.keyed_from;
        if (perOrganisation) {
          // the row at the switch point is the first after the database's head there; then ids follow without a gap
          if (!perOrganisationReached && (checked !== chains.rows_before || previous !== chains.prev_hash || row.id !== chains.keyed_from))
            return broken(row.id, 'chain_broken');
          perOrganisationReached = true;
          if (row.id !== lastId + 1 || row.prev_hash !== (heads.get(row.organisation_id) ?? chains.prev_hash)) return broken(row.id, 'chain_broken');
          if (organisationHash(key!, row) !== row.hash) return broken(row.id, 'hash_mismatch');
          heads.set(row.organisation_id, row.hash);
        } else {
          if (row.prev_hash !== previous) return broken(row.id, 'chain_broken');
          if ((keyed ? keyedHash(key!, row) : hashRow(row)) !== row.hash) return broken(row.id, 'hash_mismatch');
        }
        previous = row.hash;
        checked++;
        lastId = row.id;
        for (const { group, anchor } of byId.get(row.id) ?? []) {
          if (anchor.rows === checked && anchor.headHash === row.hash) held.add(group);
          else if (!mismatched.has(group)) mismatched.set(group, row.id);
        }
      }
    }
  }
  const done = { checked, ...base };
  if (epoch && !keyedReached && (checked !== epoch.rows_before || previous !== epoch.prev_hash))
    return { ok: false, ...done, problem: `expected ${epoch.rows_before} rows before the keyed chain (up to id ${epoch.keyed_from - 1}), found ${checked}` };
  if (chains && !perOrganisationReached && (checked !== chains.rows_before || previous !== chains.prev_hash))
    return {
      ok: false,
      ...done,
      problem: `expected ${chains.rows_before} rows before the chains per organisation (up to id ${chains.keyed_from - 1}), found ${checked}`,
    };
  for (const group of groups) {
    if (held.has(group) || group.anchors.some((a) => a.headId === 0)) continue;
    const at = mismatched.get(group);
    if (at !== undefined)
      return {
        ok: false,
        ...done,
        brokenAt: { id: at, reason: 'anchor_mismatch' },
        problem: `row ${at} is not the row anchored in ${group.source}: rows were removed and others written in their place`,
      };
    const a = group.anchors.reduce((x, y) => (y.headId > x.headId ? y : x));
    const missing = a.headId > lastId ? 'rows are missing at the end' : `row ${a.headId} is missing`;
    return {
      ok: false,
      ...done,
      problem: `expected ${a.rows} rows up to id ${a.headId} (${group.source}), found ${checked}${checked ? ` up to id ${lastId}` : ''}: ${missing}`,
    };
  }
  if (problems.length > 0) return { ok: false, ...done, problem: problems[0] };
  if (checked === 0) {
    const since = await initialisedAt(db);
    if (since) return { ok: false, ...done, problem: `the audit log is empty, but the database was initialised (${since})` };
    return { ok: true, ...done, empty: true, anchors: [] };
  }
  return { ok: true, ...done, anchors: groups.filter((g) => held.has(g)).map((g) => g.source) };
}

/**
 * One organisation's trail on its own, without reading the others': its rows from the switch point to chains per
 * organisation on (the (organisation_id, id) index), each linked to the previous one of the same organisation and
 * signed with the key over its organisation too. The rows before the switch point belong to the database's single
 * chain, which `verify` walks, as it does the anchors that show rows missing at the end.
 */
export async function verifyOrganisation(db: Db, organisationId: number, options: Pick<VerifyOptions, 'key'> = {}): Promise<VerifyResult> {
  const key = keyFor(db, options);
  const epoch = await readEpoch(db);
  const chains = await readOrganisationEpoch(db);
  const problem =
    checkEpochs(key, epoch, chains) ?? (chains ? undefined : 'the audit log is not chained per organisation yet (audit_chain has no second switch point)');
  if (problem || !chains) return { ok: false, checked: 0, problem };
  let previous = chains.prev_hash;
  let checked = 0;
  let after = chains.keyed_from - 1;
  for (let more = true; more;) {
    const rows: StoredRow[] = await db
      .selectFrom('audit_log')
      .select(ROW_COLUMNS)
      .where('organisation_id', '=', organisationId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(VERIFY_PAGE)
      .execute();
    more = rows.length === VERIFY_PAGE;
    for (const stored of rows) {
      const row = storedRow(stored);
      after = row.id;
      const base = { ok: false, checked, perOrganisationFrom: chains.keyed_from };
      if (row.prev_hash !== previous) return { ...base, brokenAt: { id: row.id, reason: 'chain_broken' } };
      if (organisationHash(key!, row) !== row.hash) return { ...base, brokenAt: { id: row.id, reason: 'hash_mismatch' } };
      previous = row.hash;
      checked++;
    }
  }
  return { ok: true, checked, perOrganisationFrom: chains.keyed_from, ...(checked === 0 ? { empty: true } : {}) };
}

/** One line for the command line: what was verified, or what is broken. */
export function describeVerify(result: VerifyResult): string {
  if (result.ok) {
    if (result.empty) return 'audit log empty: no rows to verify (the database has never been initialised)';
    const perOrganisation = result.perOrganisationFrom === undefined ? '' : `, one chain per organisation from row ${result.perOrganisationFrom}`;
    const keyed = result.keyedFrom === undefined ? 'plain SHA-256 chain, no audit key' : `keyed from row ${result.keyedFrom}${perOrganisation}`;
    const anchors = result.anchors?.length ? `; anchors held: ${summariseSources(result.anchors)}` : '; no anchor to compare with';
    return `${result.checked} rows, chain intact (${keyed}${anchors})`;
  }
  if (result.brokenAt && result.brokenAt.reason !== 'anchor_mismatch')
    return `audit log broken at row ${result.brokenAt.id} (${result.brokenAt.reason}); ${result.checked} rows before it verified`;
  return `audit log broken: ${result.problem ?? 'unknown'}`;
}

function summariseSources(sources: string[]): string {
  const signatures = sources.filter((s) => s.startsWith('signature ')).length;
  const others = sources.filter((s) => !s.startsWith('signature '));
  return [...others, ...(signatures ? [`${signatures} signatures`] : [])].join(', ');
}
