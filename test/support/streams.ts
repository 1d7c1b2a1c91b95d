import Database from 'better-sqlite3';
import { advance, bodyOf, fillContext, isTextual, plan, type Body } from './forms';
import { fieldsWithErrors, parseForms } from './html';
import type { Client } from './server';

/**
 * Streams of state-changing requests against a real server, for the crash and backup tests. A "creator"
 * is a form that makes a new record (units, procedures, and whatever features exist: reported
 * nonconformities, documents …). Each request carries a unique marker in every free-text field that takes it,
 * so after a crash we can find, in any table, whether the record and its audit-log row were written —
 * without knowing the feature's tables.
 */
export interface CreatorSpec {
  post: string;
  page: string;
  /** username of the client that uses it */
  as: string;
}

export const CREATORS: CreatorSpec[] = [
  { post: '/admin/units', page: '/admin/units/new', as: 'admin' },
  { post: '/procedures', page: '/procedures/new', as: 'qualityofficer' },
  { post: '/nonconformities/report', page: '/nonconformities/report', as: 'staff' },
  { post: '/documents', page: '/documents/new', as: 'qualityofficer' },
];

export interface Creator {
  spec: CreatorSpec;
  /** A body the server accepted, with MARKER where the marker goes. */
  template: Body;
}

export const MARKER = '__MARKER__';

export const fillMarker = (template: Body, marker: string): Body =>
  Object.fromEntries(
    Object.entries(template).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => x.replaceAll(MARKER, marker)) : v.replaceAll(MARKER, marker)]),
  );

/**
 * Finds a body the server accepts for the creator, with the marker in every textual field that takes it.
 * Returns undefined when the route does not exist or no body is accepted. `onAccepted` gets the marker used.
 */
export async function calibrate(
  client: Client,
  spec: CreatorSpec,
  password: string,
  marker: (n: number) => string,
  onAccepted: (marker: string) => void,
): Promise<Creator | undefined> {
  const page = await client.get(spec.page);
  if (page.status !== 200) return undefined;
  const form = parseForms(page.text, spec.page).find((f) => f.method === 'POST' && f.action.split('?')[0] === spec.post);
  if (!form) return undefined;
  const forced: Record<string, string> = {};
  for (const f of form.fields) if (isTextual(f)) forced[f.name] = MARKER;
  const p = plan(form, fillContext(password), forced);
  for (let round = 0; round < 12; round++) {
    const template = bodyOf(p);
    const m = marker(round);
    const res = await client.post(spec.post, fillMarker(template, m));
    if (res.status === 303) {
      onAccepted(m);
      if (!Object.values(template).some((v) => String(v).includes(MARKER))) return undefined;
      return { spec, template };
    }
    if (res.status !== 422 || !advance(p, fieldsWithErrors(res.text))) return undefined;
  }
  return undefined;
}

/** Tables (other than the audit log) with a row whose text contains the marker. */
export function tablesWithMarker(db: Database.Database, marker: string): string[] {
  const out: string[] = [];
  for (const { name } of db
    .prepare(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '%_fts%' and name not in ('audit_log', 'sessions', 'login_attempts')",
    )
    .all() as { name: string }[]) {
    const cols = (db.prepare(`select name, type from pragma_table_info(?)`).all(name) as { name: string; type: string }[]).filter((c) =>
      /text|char|clob|^$/i.test(c.type),
    );
    if (!cols.length) continue;
    const where = cols.map((c) => `instr("${c.name}", ?) > 0`).join(' or ');
    if (db.prepare(`select 1 from "${name}" where ${where} limit 1`).get(...cols.map(() => marker))) out.push(name);
  }
  return out;
}

export function auditRowsWithMarker(db: Database.Database, marker: string): number {
  return (db.prepare("select count(*) as n from audit_log where instr(coalesce(new_values, ''), ?) > 0").get(marker) as { n: number }).n;
}
