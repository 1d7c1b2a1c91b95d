import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, rows, run, type TestApp } from '../support/app';
import { createNonconformity, createNonconformityIn } from '../../src/features/nonconformities/nonconformities.service';
import { baseNc } from './helpers';

/** NC-YYYY-NNN: sequential per year of detection, without gaps, even when many are created at once. */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

const codes = async () => (await rows<{ code: string }>(t, 'select code from nonconformities order by code')).map((r) => r.code);
const expected = (year: number, n: number) => Array.from({ length: n }, (_, i) => `NC-${year}-${String(i + 1).padStart(3, '0')}`);

describe('NC codes', () => {
  it('numbers each year from 001 and keeps the counter per year of the detection date', async () => {
    const a = await createNonconformity(t.ctx, baseNc({ detectedOn: '2026-03-01' }), null);
    const b = await createNonconformity(t.ctx, baseNc({ detectedOn: '2025-12-31' }), null);
    const c = await createNonconformity(t.ctx, baseNc({ detectedOn: '2026-11-20' }), null);
    expect([a.code, b.code, c.code]).toEqual(['NC-2026-001', 'NC-2025-001', 'NC-2026-002']);
    expect(await rows(t, 'select year, last_no from nc_counters order by year')).toEqual([
      { year: 2025, last_no: 1 },
      { year: 2026, last_no: 2 },
    ]);
  });

  it('has no gap and no duplicate when 25 are created at once through the service', async () => {
    const made = await Promise.all(Array.from({ length: 25 }, (_, i) => createNonconformity(t.ctx, baseNc({ title: `NC ${i}` }), null)));
    expect(new Set(made.map((m) => m.code)).size).toBe(25);
    expect(await codes()).toEqual(expected(2026, 25));
  });

  it('has no gap and no duplicate when 12 people report at once through the HTTP API', async () => {
    const people = await Promise.all(['staff', 'leader', 'quality_officer', 'admin'].map((r) => t.signIn(r)));
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        people[i % 4].post('/nonconformities/report', { title: `Báo cáo ${i}`, description: 'Mô tả', detected_on: '2026-11-25' }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(303));
    expect(await codes()).toEqual(expected(2026, 12));
    expect(await rows(t, "select count(*) as n from audit_log where entity = 'nonconformity' and action = 'create'")).toEqual([{ n: 12 }]);
  });

  it('has no gap and no duplicate when three processes create at once on the same database', async () => {
    const exec = promisify(execFile);
    const script = join(import.meta.dirname, 'fixtures', 'create-many.ts');
    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const outputs = await Promise.all(
      ['A', 'B', 'C'].map((label) =>
        exec(tsx, [script, t.config.databasePath, '8', label, ...(t.config.databaseUrl ? [t.config.databaseUrl] : [])], { timeout: 240_000 }),
      ),
    );
    expect(outputs.map((o) => o.stdout.trim())).toEqual(['done', 'done', 'done']);
    expect(await codes()).toEqual(expected(2026, 24));
    expect(await rows(t, 'select last_no from nc_counters where year = 2026')).toEqual([{ last_no: 24 }]);
    const byLabel = await rows<{ l: string; n: number }>(t, 'select substr(title, 1, 1) as l, count(*) as n from nonconformities group by l order by l');
    expect(byLabel).toEqual([
      { l: 'A', n: 8 },
      { l: 'B', n: 8 },
      { l: 'C', n: 8 },
    ]);
  }, 300_000);

  it('gives the number back when the creating transaction rolls back (no gap)', async () => {
    await createNonconformity(t.ctx, baseNc(), null);
    await expect(
      t.ctx.db.transaction().execute(async (trx) => {
        await createNonconformityIn(trx, baseNc(), null, t.clock.now());
        throw new Error('the caller fails after creating');
      }),
    ).rejects.toThrow('the caller fails');
    const next = await createNonconformity(t.ctx, baseNc(), null);
    expect(next.code).toBe('NC-2026-002');
    expect(await codes()).toEqual(expected(2026, 2));
  });

  it('keeps a code unique in the database itself', async () => {
    const insert = (seq: number) =>
      run(
        t,
        `insert into nonconformities (code, year, seq, title, description, source, severity, detected_on, status, created_at, updated_at, organisation_id) values ('NC-2026-001', 2026, ?, 'a', 'b', 'other', 'minor', '2026-01-01', 'open', 'x', 'x', 1)`,
        seq,
      );
    await expect(insert(1)).resolves.toEqual({ changes: 1 });
    await expect(insert(2)).rejects.toThrow(/UNIQUE constraint failed|violates unique constraint/);
  });
});
