import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_MIGRATIONS } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/database';
import { createMigrator, migrateToLatest } from '../../src/core/db/migrate';
import { MIGRATIONS } from '../../src/core/db/migrations/index';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qms-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('database', () => {
  it('opens in WAL mode with synchronous=FULL and foreign keys, also when reopening an existing WAL file', async () => {
    const path = join(dir, 'q.sqlite');
    for (let i = 0; i < 2; i++) {
      const opened = openDatabase(path, { quickCheck: true });
      expect(opened.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(opened.sqlite.pragma('synchronous', { simple: true })).toBe(2);
      expect(opened.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(Number(opened.sqlite.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
      await opened.close();
    }
  });

  it('migrates every migration up, all the way down, and up again', async () => {
    const opened = openDatabase(join(dir, 'm.sqlite'));
    try {
      const up = await migrateToLatest(opened.db);
      const names = (up.results ?? []).map((r) => r.migrationName);
      expect(names.length).toBeGreaterThanOrEqual(2);
      expect(names).toEqual([...names].sort());
      for (const name of names) expect(name).toMatch(/^\d{4}_\d{2}_\d{2}_\d{4}_[a-z0-9_]+$/);
      const down = await createMigrator(opened.db).migrateTo(NO_MIGRATIONS);
      expect(down.error).toBeUndefined();
      const left = opened.sqlite
        .prepare("select name from sqlite_master where type in ('table', 'trigger') and name not like 'sqlite_%' and name not like 'kysely_%'")
        .all();
      expect(left).toEqual([]);
      const again = await migrateToLatest(opened.db);
      expect((again.results ?? []).length).toBe(names.length);
    } finally {
      await opened.close();
    }
  });

  it('lists in migrations/index.ts exactly the migration files of the folder, so none is left out of the built server', () => {
    const files = readdirSync(join(process.cwd(), 'src', 'core', 'db', 'migrations'))
      .filter((f) => f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(files.every((f) => /^\d{4}_\d{2}_\d{2}_\d{4}_[a-z0-9_]+$/.test(f))).toBe(true);
    expect(Object.keys(MIGRATIONS).sort()).toEqual(files);
  });
});
