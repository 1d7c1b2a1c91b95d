import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopedDb } from '../../src/core/db/scope';
import { verify } from '../../src/core/audit-log/audit-log';
import { FakeClock } from '../../src/core/clock';
import { loadConfig, type Config } from '../../src/config';
import type { AppContext } from '../../src/core/context';
import { copyToPostgres, type CopyResult } from '../../src/core/db/copy';
import { migrateToLatest } from '../../src/core/db/migrate';
import { openConfiguredDatabase, type Opened } from '../../src/core/db/open';
import { runDemo } from '../../src/features/demo';
import { buildProcedureReport } from '../../src/features/reports/reports.procedure';
import { buildSummary } from '../../src/features/reports/reports.summary';
import { emptyPostgresDatabase, onPostgres, type TestDatabase } from '../support/engine';

/**
 * `qms db:copy --to postgres://…` on the demo database: an office's SQLite file moved into an empty PostgreSQL
 * database. Runs in the PostgreSQL half of the tests (it needs a server).
 */
let dir: string;
let config: Config;
let target: TestDatabase;
let source: Opened;
let copied: Opened;
let result: CopyResult;
const clock = new FakeClock('2026-11-26T02:00:00Z');

describe.runIf(onPostgres)('db:copy of the demo database', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qms-copy-'));
    config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(dir, 'qms.sqlite') });
    source = await openConfiguredDatabase(config);
    await migrateToLatest(source.db);
    await runDemo({ config, db: scopedDb(source.db, 1), sqlite: source.sqlite, clock }, () => undefined);
    await source.close();
    target = await emptyPostgresDatabase();
    result = await copyToPostgres(config, target.url);
    source = await openConfiguredDatabase(config);
    copied = await openConfiguredDatabase({ ...config, databaseUrl: target.url });
  }, 600_000);

  afterAll(async () => {
    await source?.close();
    await copied?.close();
    await target?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const ctxOf = (opened: Opened): AppContext => ({ config, db: scopedDb(opened.db, 1), sqlite: opened.sqlite, clock });

  it('copies every table with the same row count, and the audit chain verifies under the same key', async () => {
    const byName = new Map(result.tables.map((t) => [t.name, t.rows]));
    // the demo office's 2,000 dossiers and 42 procedures (procedures-sample.tsv), and its province: 6 organisations,
    // four of which took the office's register (4 × 42 procedures), with 48 + 30 dossiers, and the 8 the one-stop
    // system pushed through the API (api.dossiers.demo.ts); every one copied
    expect(byName.get('dossiers')).toBe(2000 + 48 + 30 + 8);
    expect(byName.get('procedures')).toBe(5 * 42);
    expect(byName.get('organisation')).toBe(6);
    expect(byName.get('organisation_lineage')).toBe(1);
    for (const table of ['users', 'documents', 'document_revisions', 'nonconformities', 'audits', 'audit_log', 'e_signatures', 'documents_fts'])
      expect(byName.get(table), table).toBeGreaterThan(0);
    const chain = await verify(source.db);
    expect(chain.ok).toBe(true);
    expect(result.auditRows).toBe(chain.checked);
    expect((await verify(copied.db, { headFile: null })).ok).toBe(true);
  });

  it('gives the same report figures on PostgreSQL as on SQLite', async () => {
    const period = { from: '2026-01-01', to: '2026-06-30' };
    const [before, after] = [await buildSummary(ctxOf(source), period, {}), await buildSummary(ctxOf(copied), period, {})];
    expect(after).toEqual(before);
    expect(before.totals).toBeDefined();
    for (const row of before.rows.slice(0, 5)) {
      const [a, b] = [await buildProcedureReport(ctxOf(source), row.code, period), await buildProcedureReport(ctxOf(copied), row.code, period)];
      expect(b).toEqual(a);
    }
  });

  it('goes on numbering after the copied records (identity counters moved on)', async () => {
    const max = Number(
      (
        await copied.db
          .selectFrom('audit_log')
          .select((e) => e.fn.max('id').as('m'))
          .executeTakeFirstOrThrow()
      ).m,
    );
    const next = await copied.db
      .insertInto('units')
      .values({ code: 'MOI', name: 'Đơn vị mới', created_at: '2026-11-26T02:00:00Z', updated_at: '2026-11-26T02:00:00Z', organisation_id: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const units = Number(
      (
        await copied.db
          .selectFrom('units')
          .select((e) => e.fn.count('id').as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(next.id).toBe(units); // ids 1…n copied, the new one is n+1
    expect(max).toBe(result.auditRows);
  });

  it('refuses a target that is not empty, and changes nothing there', async () => {
    await expect(copyToPostgres(config, target.url)).rejects.toThrow(/not empty/);
  });
});
