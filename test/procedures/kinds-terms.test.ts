import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import type { ProcedureValues } from '../../src/features/procedures/procedures.queries';
import { countAdministrativeByOnlineLevel, processingDaysOn, termsAt, termsHistory } from '../../src/features/procedures/procedures.terms.queries';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';
import { importProcedures } from '../../src/features/procedures/procedures.import';
import { createTestApp, one, rows, run, type TestApp } from '../support/app';

/**
 * Issue 20, point 7: procedures are administrative (TTHC) or internal QMS processes, and their processing days and
 * online level keep their history with effective dates. The test clock stands at 2026-11-26 09:00 local time.
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

const base: ProcedureValues = {
  code: 'QT-A-01',
  title: 'Trợ cấp xã hội hàng tháng',
  field: 'Bảo trợ xã hội',
  national_code: '1.001776',
  processing_days: 10,
  online_level: 'partial',
  unit_id: null,
  on_time_target: 1,
};

async function procedure(values: Partial<ProcedureValues>): Promise<number> {
  return createProcedure(t.ctx, { ...base, ...values }, t.users.quality_officer);
}

/** Edits through the form as the quality officer; returns the response. */
async function edit(id: number, values: Record<string, string>) {
  const qo = await t.signIn('quality_officer');
  const [p] = await rows<Record<string, unknown>>(t, 'select * from procedures where id = ?', id);
  const body: Record<string, string> = {
    code: String(p.code),
    title: String(p.title),
    field: String(p.field),
    national_code: String(p.national_code ?? ''),
    processing_days: p.processing_days === null ? '' : String(p.processing_days),
    online_level: String(p.online_level),
    kind: String(p.kind),
    on_time_target: '100',
    version: String(p.version),
    ...values,
  };
  return qo.post(`/procedures/${id}`, body);
}

describe('terms of a procedure over time', () => {
  it('a new procedure has one row "since registration"; a change from a past date adds a row and the register shows the latest', async () => {
    const id = await procedure({});
    expect(await rows(t, 'select effective_from, processing_days, online_level from procedure_terms where procedure_id = ?', id)).toEqual([
      { effective_from: '1900-01-01', processing_days: 10, online_level: 'partial' },
    ]);
    const res = await edit(id, { processing_days: '7', online_level: 'full', terms_from: '2026-07-01' });
    expect(res.status).toBe(303);
    expect(
      await rows(t, 'select effective_from, processing_days, online_level from procedure_terms where procedure_id = ? order by effective_from', id),
    ).toEqual([
      { effective_from: '1900-01-01', processing_days: 10, online_level: 'partial' },
      { effective_from: '2026-07-01', processing_days: 7, online_level: 'full' },
    ]);
    expect(await rows(t, 'select processing_days, online_level from procedures where id = ?', id)).toEqual([{ processing_days: 7, online_level: 'full' }]);
    const [entry] = await rows<{ new_values: string }>(
      t,
      "select new_values from audit_log where entity = 'procedure' and action = 'update' order by id desc limit 1",
    );
    expect(JSON.parse(entry.new_values)).toMatchObject({ processing_days: 7, online_level: 'full', termsFrom: '2026-07-01' });

    // In force on a date: the latest row on or before it.
    expect((await termsAt(t.ctx.db, '2026-06-30', [id])).get(id)).toEqual({ processingDays: 10, onlineLevel: 'partial' });
    expect((await termsAt(t.ctx.db, '2026-07-01', [id])).get(id)).toEqual({ processingDays: 7, onlineLevel: 'full' });
    expect((await termsAt(t.ctx.db, '2025-01-01', [id])).get(id)).toEqual({ processingDays: 10, onlineLevel: 'partial' });
    const history = (await termsHistory(t.ctx.db, [id])).get(id)!;
    expect([processingDaysOn(history, '2026-06-30'), processingDaysOn(history, '2026-07-01'), processingDaysOn(history, '2026-12-31')]).toEqual([10, 7, 7]);

    const page = await (await t.signIn('staff')).agent.get(`/procedures/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Từ khi đăng ký');
    expect(page.text).toContain('01/07/2026');
    expect(page.text).toContain('Toàn trình');
  });

  it('the compliance report of a past period prints the processing days and online level then in force', async () => {
    const id = await procedure({});
    expect((await edit(id, { processing_days: '7', online_level: 'full', terms_from: '2026-07-01' })).status).toBe(303);
    const leader = await t.signIn('leader');
    const q2 = await leader.agent.get('/reports/procedures/QT-A-01?from=2026-04-01&to=2026-06-30');
    expect(q2.status).toBe(200);
    expect(q2.text).toMatch(/<dd>Một phần<\/dd>\s*<dt>[^<]*<\/dt><dd>10 ngày/);
    const q3 = await leader.agent.get('/reports/procedures/QT-A-01?from=2026-07-01&to=2026-09-30');
    expect(q3.text).toMatch(/<dd>Toàn trình<\/dd>\s*<dt>[^<]*<\/dt><dd>7 ngày/);
  });

  it('a change of processing days from a past date moves the computed due dates of dossiers received since, in the same transaction', async () => {
    const id = await procedure({});
    const imp = (await one<{ id: number }>(
      t,
      "insert into dossier_imports (file_name, sha256, via, imported_at, organisation_id) values ('t.csv', ?, 'cli', '2026-07-20T00:00:00Z', 1) returning id",
      'b'.repeat(64),
    ))!.id;
    const add = (code: string, received: string, due: string, computed: number) =>
      run(
        t,
        `insert into dossiers (code, procedure_id, received_on, due_on, due_computed, channel, created_import_id, updated_import_id, created_at, updated_at, organisation_id)
         values (?, ?, ?, ?, ?, 'direct', ?, ?, '2026-07-20T00:00:00Z', '2026-07-20T00:00:00Z', 1)`,
        code,
        id,
        received,
        due,
        computed,
        imp,
        imp,
      );
    // No holidays declared. 10 working days: received Tue 30/06 → 14/07; received Thu 02/07 → 16/07.
    await add('OLD', '2026-06-30', '2026-07-14', 1);
    await add('NEW', '2026-07-02', '2026-07-16', 1);
    await add('GIVEN', '2026-07-02', '2026-07-20', 0); // the file gave this due date: never recomputed
    const res = await edit(id, { processing_days: '5', terms_from: '2026-07-01' });
    expect(res.status).toBe(303);
    // 5 working days after Thu 02/07: 03, 06, 07, 08, 09 → 09/07. OLD was received before the change.
    expect(await rows(t, 'select code, due_on from dossiers order by code')).toEqual([
      { code: 'GIVEN', due_on: '2026-07-20' },
      { code: 'NEW', due_on: '2026-07-09' },
      { code: 'OLD', due_on: '2026-07-14' },
    ]);
    const [entry] = await rows<{ new_values: string }>(
      t,
      "select new_values from audit_log where entity = 'procedure' and action = 'update' order by id desc limit 1",
    );
    expect(JSON.parse(entry.new_values)).toMatchObject({ processing_days: 5, termsFrom: '2026-07-01', dossiersMoved: 1 });
    // The audit trail says it in words.
    const trail = await (await t.signIn('admin')).agent.get('/admin/audit-log?entity=procedure');
    expect(trail.text).toContain('Thời hạn và mức độ mới áp dụng từ ngày');
    expect(trail.text).toContain('01/07/2026');
    expect(trail.text).toContain('Số hồ sơ được tính lại ngày hẹn trả');
  });

  it('a dossier file without due dates is computed with the processing days in force on each receipt date', async () => {
    const id = await procedure({});
    expect((await edit(id, { processing_days: '5', terms_from: '2026-07-01' })).status).toBe(303);
    const csv = ['code,procedure_code,received_at', 'A,QT-A-01,30/06/2026', 'B,QT-A-01,02/07/2026'].join('\n');
    await importDossiers(t.ctx, { buffer: Buffer.from(csv) }, { fileName: 'ho-so.csv', actorId: t.users.quality_officer, via: 'upload' });
    // A: received Tue 30/06 under 10 days → 14/07. B: received Thu 02/07 under 5 days → 09/07. No holidays declared.
    expect(await rows(t, 'select code, due_on, due_computed from dossiers order by code')).toEqual([
      { code: 'A', due_on: '2026-07-14', due_computed: 1 },
      { code: 'B', due_on: '2026-07-09', due_computed: 1 },
    ]);
  });

  it('a procedure file that changes the processing days records them from the day of the import', async () => {
    const file = join(t.dir, 'qt.tsv');
    const header = 'code\ttitle\tnational_code\tprocessing_days\tonline_level\tkind';
    writeFileSync(file, `${header}\nQT-A-01\tTrợ cấp\t1.001776\t17\tpartial\tThủ tục hành chính\nQT-HT-01\tĐánh giá nội bộ\t\t\tnone\tQuy trình nội bộ\n`);
    expect(await importProcedures(t.ctx, { path: file }, 'qt.tsv', t.users.quality_officer)).toMatchObject({ added: 2 });
    expect(await rows(t, 'select code, kind from procedures order by code')).toEqual([
      { code: 'QT-A-01', kind: 'administrative' },
      { code: 'QT-HT-01', kind: 'internal' },
    ]);
    writeFileSync(file, `${header}\nQT-A-01\tTrợ cấp\t1.001776\t15\tpartial\t\n`);
    expect(await importProcedures(t.ctx, { path: file }, 'qt.tsv', t.users.quality_officer)).toMatchObject({ updated: 1 });
    expect(
      await rows(
        t,
        "select t.effective_from, t.processing_days from procedure_terms t join procedures p on p.id = t.procedure_id where p.code = 'QT-A-01' order by 1",
      ),
    ).toEqual([
      { effective_from: '1900-01-01', processing_days: 17 },
      { effective_from: '2026-11-26', processing_days: 15 },
    ]);
    expect(await rows(t, "select processing_days, kind from procedures where code = 'QT-A-01'")).toEqual([{ processing_days: 15, kind: 'administrative' }]);
  });

  it('refuses a change dated after today, next to the field, and writes nothing', async () => {
    const id = await procedure({});
    const res = await edit(id, { processing_days: '7', terms_from: '2026-11-27' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Ngày áp dụng không được sau hôm nay');
    expect(res.text).toMatch(/<input id="f-terms_from"[^>]*aria-invalid="true"/);
    expect(res.text).toMatch(/id="e-terms_from">Ngày áp dụng không được sau hôm nay/);
    expect(await rows(t, 'select count(*) as n from procedure_terms where procedure_id = ?', id)).toEqual([{ n: 1 }]);
    expect(await rows(t, 'select processing_days from procedures where id = ?', id)).toEqual([{ processing_days: 10 }]);
  });

  it('a change without a date takes effect today; editing the title alone adds no row', async () => {
    const id = await procedure({});
    expect((await edit(id, { title: 'Tên mới' })).status).toBe(303);
    expect(await rows(t, 'select count(*) as n from procedure_terms where procedure_id = ?', id)).toEqual([{ n: 1 }]);
    expect((await edit(id, { processing_days: '12' })).status).toBe(303);
    // Today at the test clock: 2026-11-26 (09:00 in Asia/Ho_Chi_Minh).
    expect(await rows(t, 'select effective_from, processing_days from procedure_terms where procedure_id = ? order by effective_from', id)).toEqual([
      { effective_from: '1900-01-01', processing_days: 10 },
      { effective_from: '2026-11-26', processing_days: 12 },
    ]);
  });

  it('the terms are never deleted', async () => {
    const id = await procedure({});
    await expect(run(t, 'delete from procedure_terms where procedure_id = ?', id)).rejects.toThrow(/kept/);
  });
});

describe('two kinds of procedures', () => {
  it('only administrative procedures are counted as TTHC, each with the online level in force at the date', async () => {
    const a = await procedure({ code: 'QT-A-01', online_level: 'partial' });
    await procedure({ code: 'QT-A-02', online_level: 'none', national_code: null });
    await procedure({ code: 'QT-HT-01', kind: 'internal', online_level: 'none', national_code: null, processing_days: null });
    expect((await edit(a, { online_level: 'full', terms_from: '2026-07-01' })).status).toBe(303);
    const end = '2026-12-31T16:59:59.999Z';
    // Before 01/07/2026: QT-A-01 partial, QT-A-02 none; QT-HT-01 is internal and not counted.
    expect(await countAdministrativeByOnlineLevel(t.ctx.db, '2026-06-30', end)).toEqual({ full: 0, partial: 1, none: 1 });
    expect(await countAdministrativeByOnlineLevel(t.ctx.db, '2026-07-01', end)).toEqual({ full: 1, partial: 0, none: 1 });
  });

  it('the register shows and filters the kind; the form sets it', async () => {
    await procedure({ code: 'QT-A-01' });
    const internal = await procedure({ code: 'QT-HT-01', kind: 'internal', national_code: null, processing_days: null, online_level: 'none' });
    const qo = await t.signIn('quality_officer');
    const list = await qo.agent.get('/procedures?kind=internal');
    expect(list.status).toBe(200);
    expect(list.text).toContain('QT-HT-01');
    expect(list.text).not.toContain('QT-A-01');
    expect(list.text).toContain('Quy trình nội bộ');
    expect((await edit(internal, { kind: 'administrative' })).status).toBe(303);
    expect(await rows(t, 'select kind from procedures where id = ?', internal)).toEqual([{ kind: 'administrative' }]);
    expect((await edit(internal, { kind: 'other' })).status).toBe(422);
  });
});
