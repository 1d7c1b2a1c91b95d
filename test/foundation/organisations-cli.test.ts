import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli';

/** One `qms` command, in this process (runCli is what the entry point runs; cli.test.ts spawns the real one). */
const qms = (args: string[], env: Record<string, string>) => runCli(args, { ...process.env, ...env });

let dir: string;
let env: Record<string, string>;
const rows = (sqlText: string) => {
  const db = new Database(env.DATABASE_PATH, { readonly: true });
  try {
    return db.prepare(sqlText).all();
  } finally {
    db.close();
  }
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qms-org-cli-'));
  env = { DATABASE_PATH: join(dir, 'qms.sqlite'), NODE_ENV: 'test', QMS_PASSWORD: 'một mật khẩu đủ dài 2026' };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The CLI of ARCHITECTURE.md's stable interfaces: org:add, org:list, and --org on user:add and the imports
// (optional while the database holds one organisation). Runs on SQLite (the commands are the same on PostgreSQL).
describe('organisations from the command line', { timeout: 240_000 }, () => {
  it('works as before while there is one organisation: no --org needed', async () => {
    expect((await qms(['migrate'], env)).code).toBe(0);
    const added = await qms(['user:add', '--username', 'quantri', '--name', 'Quản trị', '--role', 'admin'], env);
    expect(added.code, added.stderr).toBe(0);
    expect(rows("select organisation_id from users where username = 'quantri'")).toEqual([{ organisation_id: 1 }]);
    expect(rows('select id, code, kind, status from organisation')).toEqual([{ id: 1, code: 'DV1', kind: 'office', status: 'active' }]);
  });

  it('adds organisations under a parent, lists the tree, and refuses a taken code, a bad code or an unknown parent', async () => {
    const province = await qms(['org:add', '--code', 'TINH-NB', '--name', 'UBND tỉnh Ninh Bình'], env);
    expect(province.code, province.stderr).toBe(0);
    expect(province.stdout.trim()).toBe('organisation TINH-NB created (id 2)');
    const dept = await qms(['org:add', '--code', 'SO-KHCN', '--name', 'Sở Khoa học và Công nghệ', '--parent', 'tinh-nb', '--kind', 'department'], env);
    expect(dept.code, dept.stderr).toBe(0);
    const commune = await qms(['org:add', '--code', 'XA-YM', '--name', 'UBND xã Yên Mô', '--parent', 'TINH-NB', '--kind', 'commune'], env);
    expect(commune.code, commune.stderr).toBe(0);
    expect((await qms(['org:add', '--code', 'so-khcn', '--name', 'Trùng'], env)).stderr.trim()).toBe(
      'qms org:add: an organisation with code so-khcn exists already',
    );
    expect((await qms(['org:add', '--code', 'a b', '--name', 'X'], env)).stderr.trim()).toBe(
      'qms org:add: the code takes 2–30 letters, digits, ".", "_" or "-"',
    );
    expect((await qms(['org:add', '--code', 'XA-2', '--name', 'X', '--parent', 'KHONG'], env)).stderr.trim()).toBe(
      'qms org:add: no organisation with code KHONG',
    );
    expect((await qms(['org:add', '--code', 'XA-3', '--name', 'X', '--kind', 'city'], env)).code).toBe(1);
    const list = await qms(['org:list'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.trimEnd().split('\n')).toEqual([
      'DV1\t(settings not filled in yet)\toffice',
      'TINH-NB\tUBND tỉnh Ninh Bình\tprovince',
      '  SO-KHCN\tSở Khoa học và Công nghệ\tdepartment',
      '  XA-YM\tUBND xã Yên Mô\tcommune',
    ]);
    // each addition is in the audit log of the organisation it created
    expect(rows("select organisation_id, action, entity_id from audit_log where entity = 'organisation' order by id")).toEqual([
      { organisation_id: 2, action: 'create', entity_id: '2' },
      { organisation_id: 3, action: 'create', entity_id: '3' },
      { organisation_id: 4, action: 'create', entity_id: '4' },
    ]);
    const verify = await qms(['audit-log:verify'], env);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it('then needs --org to know whose user or import it is, and writes there', async () => {
    const without = await qms(['user:add', '--username', 'canbo.ym', '--name', 'Cán bộ xã', '--role', 'staff'], env);
    expect(without.code).toBe(1);
    expect(without.stderr.trim()).toBe('qms user:add: --org CODE is required: this database holds 4 organisations (npm run qms -- org:list)');
    const unknown = await qms(['user:add', '--username', 'canbo.ym', '--name', 'Cán bộ xã', '--role', 'staff', '--org', 'XA-KHONG'], env);
    expect(unknown.stderr.trim()).toBe('qms user:add: no organisation with code XA-KHONG (npm run qms -- org:list)');
    const ok = await qms(['user:add', '--username', 'canbo.ym', '--name', 'Cán bộ xã', '--role', 'staff', '--org', 'xa-ym'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(rows("select organisation_id from users where username = 'canbo.ym'")).toEqual([{ organisation_id: 4 }]);

    const file = join(dir, 'procedures.tsv');
    writeFileSync(file, 'code\ttitle\tprocessing_days\tonline_level\nQT-01\tĐăng ký khai sinh\t3\tfull\n');
    for (const org of ['XA-YM', 'SO-KHCN']) {
      const imported = await qms(['import:procedures', file, '--org', org], env);
      expect(imported.code, imported.stderr).toBe(0);
    }
    // the same code in two organisations, each in its own register
    expect(rows("select organisation_id, code from procedures where code = 'QT-01' order by organisation_id")).toEqual([
      { organisation_id: 3, code: 'QT-01' },
      { organisation_id: 4, code: 'QT-01' },
    ]);
  });

  it('starts an organisation from a template, merges organisations into a successor and splits one', async () => {
    const added = await qms(['org:add', '--code', 'XA-MOI', '--name', 'UBND xã Mới', '--parent', 'TINH-NB', '--kind', 'commune', '--template', 'XA-YM'], env);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout.trim()).toBe('organisation XA-MOI created (id 5); from XA-YM: 1 procedures, 0 documents as drafts');
    expect(rows("select organisation_id, code, title from procedures where code = 'QT-01' order by organisation_id")).toEqual([
      { organisation_id: 3, code: 'QT-01', title: 'Đăng ký khai sinh' },
      { organisation_id: 4, code: 'QT-01', title: 'Đăng ký khai sinh' },
      { organisation_id: 5, code: 'QT-01', title: 'Đăng ký khai sinh' },
    ]);
    const merged = await qms(['org:merge', '--into', 'XA-MOI', '--from', 'XA-YM', '--on', '2025-07-01', '--reason', 'Sắp xếp đơn vị hành chính'], env);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout.trim()).toBe('XA-YM merged into XA-MOI; 1 user(s) moved');
    const again = await qms(['org:merge', '--into', 'XA-MOI', '--from', 'XA-YM', '--on', '2025-07-01', '--reason', 'Lần hai'], env);
    expect(again.code).toBe(1);
    expect(again.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    const split = await qms(['org:split', '--from', 'SO-KHCN', '--into', 'SO-A:Sở A,SO-B:Sở B', '--on', '2025-07-01', '--reason', 'Chia tách'], env);
    expect(split.code, split.stderr).toBe(0);
    expect(split.stdout.trim()).toBe('SO-KHCN split into SO-A (id 6), SO-B (id 7)');
    expect(rows('select code, status from organisation where id in (3, 4) order by id')).toEqual([
      { code: 'SO-KHCN', status: 'read_only' },
      { code: 'XA-YM', status: 'read_only' },
    ]);
    expect(rows('select predecessor_id, successor_id, kind from organisation_lineage order by id')).toEqual([
      { predecessor_id: 4, successor_id: 5, kind: 'merge' },
      { predecessor_id: 3, successor_id: 6, kind: 'split' },
      { predecessor_id: 3, successor_id: 7, kind: 'split' },
    ]);
    const verify = await qms(['audit-log:verify'], env);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });
});
