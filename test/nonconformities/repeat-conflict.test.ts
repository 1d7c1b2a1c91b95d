import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, run, type SignedIn, type TestApp } from '../support/app';
import { saveAnalysis } from '../../src/features/nonconformities/nonconformities.progress.service';
import { monthsBefore } from '../../src/features/nonconformities/nonconformities.model';
import type { CauseCategory } from '../../src/features/nonconformities/nonconformities.model';
import { actionVersion, addProcedure, auditFor, ncIn, ncRow, newNc, versionOf } from './helpers';

let t: TestApp;
let qo: SignedIn;
let qo2: SignedIn;
let p1: number;
let p2: number;
beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  qo2 = await t.signIn('admin');
  p1 = await addProcedure(t, 'QT-BTXH-01');
  p2 = await addProcedure(t, 'QT-BTXH-02');
});
afterAll(async () => t.close());

const analyse = async (id: number, category: CauseCategory) =>
  saveAnalysis(
    t.ctx,
    id,
    Number(await versionOf(t, id)),
    { whys: [{ why: 'Tại sao?', answer: 'Vì vậy' }], causeCategory: category, rootCause: 'Nguyên nhân' },
    t.users.quality_officer,
  );

describe('the repeat flag', () => {
  it('marks an NC on the same procedure with the same cause category within 12 months as a repeat, with a link', async () => {
    const first = await newNc(t, { procedureId: p1, detectedOn: '2026-01-15' });
    await analyse(first.id, 'document');
    const second = await newNc(t, { procedureId: p1, detectedOn: '2026-11-20' });
    expect((await ncRow(t, second.id)).repeat_of_id).toBeNull(); // not known before the cause category is set
    const res = await qo.post(`/nonconformities/${second.id}/analysis`, {
      version: await versionOf(t, second.id),
      why_1: 'Tại sao?',
      answer_1: 'Biểu mẫu cũ',
      cause_category: 'document',
      root_cause: 'Biểu mẫu chưa cập nhật',
    });
    expect(res.status).toBe(303);
    expect((await ncRow(t, second.id)).repeat_of_id).toBe(first.id);
    const flash = await qo.get(`/nonconformities/${second.id}`);
    expect(flash.text).toContain(`Đã lưu. Đây là sự không phù hợp lặp lại của ${first.code}.`);
    expect(flash.text).toContain(`<a href="/nonconformities/${first.id}"><code>${first.code}</code></a>`);
    expect(JSON.parse((await auditFor(t, 'nonconformity', second.id)).at(-1)!.new_values!)).toMatchObject({
      repeat_of_id: first.id,
      repeat_of_code: first.code,
    });
    const back = await qo.get(`/nonconformities/${first.id}`);
    expect(back.text).toContain(`<a href="/nonconformities/${second.id}"><code>${second.code}</code></a>`);
    const list = await qo.get('/nonconformities?procedure=' + p1);
    expect(list.text).toContain('↻ Lặp lại');
  });

  it('is not a repeat with another category, another procedure, more than 12 months apart, or against a cancelled NC', async () => {
    const base = await newNc(t, { procedureId: p2, detectedOn: '2025-06-10' });
    await analyse(base.id, 'people');
    const cases: { detectedOn: string; procedureId: number | null; category: CauseCategory }[] = [
      { detectedOn: '2025-09-01', procedureId: p2, category: 'method' },
      { detectedOn: '2025-09-01', procedureId: p1, category: 'people' },
      { detectedOn: '2026-06-11', procedureId: p2, category: 'people' },
      { detectedOn: '2025-09-01', procedureId: null, category: 'people' },
    ];
    for (const c of cases) {
      const nc = await newNc(t, { procedureId: c.procedureId, detectedOn: c.detectedOn });
      await analyse(nc.id, c.category);
      expect((await ncRow(t, nc.id)).repeat_of_id, JSON.stringify(c)).toBeNull();
    }
    // Exactly 12 months later still counts.
    const edge = await newNc(t, { procedureId: p2, detectedOn: '2026-06-10' });
    await analyse(edge.id, 'people');
    expect((await ncRow(t, edge.id)).repeat_of_id).toBe(base.id);
    // A cancelled NC does not make the next one a repeat.
    const cancelled = await ncIn(t, 'cancelled', { procedureId: p2, detectedOn: '2024-03-01' });
    await run(t, "update nonconformities set cause_category = 'environment' where id = ?", cancelled.id);
    const after = await newNc(t, { procedureId: p2, detectedOn: '2024-05-01' });
    await analyse(after.id, 'environment');
    expect((await ncRow(t, after.id)).repeat_of_id).toBeNull();
  });

  it('is re-evaluated when a category changes or the earlier NC is cancelled; an earlier NC is never a repeat of a later one', async () => {
    const p = await addProcedure(t, 'QT-NCC-01');
    const older = await newNc(t, { procedureId: p, detectedOn: '2026-02-01' });
    const newer = await newNc(t, { procedureId: p, detectedOn: '2026-05-01' });
    await analyse(newer.id, 'equipment_it');
    await analyse(older.id, 'equipment_it');
    expect((await ncRow(t, older.id)).repeat_of_id).toBeNull();
    expect((await ncRow(t, newer.id)).repeat_of_id).toBe(older.id);
    expect((await auditFor(t, 'nonconformity', newer.id)).at(-1)).toMatchObject({ action: 'update_repeat' });
    await analyse(newer.id, 'external');
    expect((await ncRow(t, newer.id)).repeat_of_id).toBeNull();
    await analyse(newer.id, 'equipment_it');
    expect((await ncRow(t, newer.id)).repeat_of_id).toBe(older.id);
    // Cancelling the earlier NC unlinks the later one.
    const res = await qo.post(`/nonconformities/${older.id}/cancel`, { version: await versionOf(t, older.id), reason: 'Ghi trùng' });
    expect(res.status).toBe(303);
    expect((await ncRow(t, newer.id)).repeat_of_id).toBeNull();
  });

  it('computes "12 months before" on calendar months', () => {
    expect(monthsBefore('2026-11-20', 12)).toBe('2025-11-20');
    expect(monthsBefore('2028-02-29', 12)).toBe('2027-02-28');
    expect(monthsBefore('2026-01-31', 1)).toBe('2025-12-31');
  });
});

describe('two people editing the same record', () => {
  it('gives the later save a 409 with a clear message and overwrites nothing', async () => {
    const nc = await newNc(t, { title: 'Tiêu đề ban đầu' });
    const formA = await qo.get(`/nonconformities/${nc.id}/edit`);
    const formB = await qo2.get(`/nonconformities/${nc.id}/edit`);
    const versionA = /name="version" value="(\d+)"/.exec(formA.text)![1];
    const versionB = /name="version" value="(\d+)"/.exec(formB.text)![1];
    const body = { description: 'Mô tả', source: 'other', severity: 'minor', detected_on: '2026-11-20' };
    const first = await qo.post(`/nonconformities/${nc.id}`, { version: versionA, title: 'Sửa bởi người thứ nhất', ...body });
    expect(first.status).toBe(303);
    const edited = (await auditFor(t, 'nonconformity', nc.id)).at(-1)!;
    expect(edited).toMatchObject({ action: 'update', user_id: t.users.quality_officer });
    expect(JSON.parse(edited.new_values!)).toMatchObject({ title: 'Sửa bởi người thứ nhất' });
    const auditBefore = (await auditFor(t, 'nonconformity', nc.id)).length;
    const second = await qo2.post(`/nonconformities/${nc.id}`, { version: versionB, title: 'Sửa bởi người thứ hai', ...body, severity: 'major' });
    expect(second.status).toBe(409);
    expect(second.text).toContain('Bản ghi đã được người khác thay đổi trong lúc bạn sửa.');
    expect(await ncRow(t, nc.id)).toMatchObject({ title: 'Sửa bởi người thứ nhất', severity: 'minor', version: 2 });
    expect((await auditFor(t, 'nonconformity', nc.id)).length).toBe(auditBefore);
  });

  it('gives a stale workflow step and a stale action edit a 409 too', async () => {
    const nc = await ncIn(t, 'in_progress');
    const stale = await versionOf(t, nc.id);
    await qo.post(`/nonconformities/${nc.id}/corrections`, { description: 'Khắc phục', done_by: String(t.users.staff), done_on: '2026-11-26' });
    // Adding a correction does not change the NC's version; editing it does.
    const edit = await qo.post(`/nonconformities/${nc.id}`, {
      version: stale,
      title: 'Đổi',
      description: 'Đổi',
      source: 'other',
      severity: 'minor',
      detected_on: '2026-11-20',
    });
    expect(edit.status).toBe(303);
    const cancel = await qo2.post(`/nonconformities/${nc.id}/cancel`, { version: stale, reason: 'Hủy' });
    expect(cancel.status).toBe(409);
    expect((await ncRow(t, nc.id)).status).toBe('in_progress');

    const actionStale = await actionVersion(t, nc.actionId!);
    expect(
      (await qo.post(`/actions/${nc.actionId}`, { version: actionStale, description: 'Mới', owner_id: String(t.users.staff), due_date: '2026-12-30' })).status,
    ).toBe(303);
    const late = await qo2.post(`/actions/${nc.actionId}/complete`, { version: actionStale, completion_note: 'Xong' });
    expect(late.status).toBe(409);
    expect(await rows(t, 'select status, description from nc_actions where id = ?', nc.actionId)).toEqual([{ status: 'planned', description: 'Mới' }]);
  });

  it('refuses an edit that moves the detection date to another year than the code’s (422)', async () => {
    const nc = await newNc(t, { detectedOn: '2026-03-01' });
    const res = await qo.post(`/nonconformities/${nc.id}`, {
      version: await versionOf(t, nc.id),
      title: 'a',
      description: 'b',
      source: 'other',
      severity: 'minor',
      detected_on: '2025-12-31',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Ngày phát hiện phải thuộc năm 2026');
  });
});
