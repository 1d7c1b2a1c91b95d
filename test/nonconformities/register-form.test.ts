import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerFormData } from '../../src/features/nonconformities/nonconformities.list.queries';
import { hasMoreActiveProcedures } from '../../src/features/procedures/procedures.queries';
import { listUnitOptions } from '../../src/features/units/units.queries';
import { createTestApp, run, type TestApp } from '../support/app';
import { addProcedure } from './helpers';

/**
 * The register's filter form in one statement (registerFormData): the unit select's options are listUnitOptions',
 * and "more than N active procedures" is hasMoreActiveProcedures' answer, with active units and without any.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  for (let i = 1; i <= 4; i++) await addProcedure(t, `QT-F-0${i}`);
  await run(t, "update procedures set status = 'retired', retired_reason = 'x', retired_at = '2026-11-26T00:00:00Z' where code = 'QT-F-04'");
});
afterAll(async () => t.close());

async function agrees(): Promise<void> {
  for (const max of [0, 1, 2, 3, 4, 200]) {
    const form = await registerFormData(t.ctx.db, max);
    expect({ max, ...form }).toEqual({ max, unitOptions: await listUnitOptions(t.ctx.db), manyProcedures: await hasMoreActiveProcedures(t.ctx.db, max) });
  }
}

describe('the register filter form', () => {
  it('gives the active units and whether more than N procedures are active', async () => {
    const form = await registerFormData(t.ctx.db, 2);
    expect(form.unitOptions.length).toBeGreaterThan(0);
    expect(form.manyProcedures).toBe(true);
    expect((await registerFormData(t.ctx.db, 3)).manyProcedures).toBe(false);
    await agrees();
  });

  it('still answers with no active unit (no row carries the count)', async () => {
    await run(t, 'update units set active = 0');
    try {
      const form = await registerFormData(t.ctx.db, 2);
      expect(form).toEqual({ unitOptions: [], manyProcedures: true });
      await agrees();
    } finally {
      await run(t, 'update units set active = 1');
    }
  });

  it('the register page shows the unit select and the procedure filter as before', async () => {
    const qo = await t.signIn('quality_officer');
    const page = await qo.get('/nonconformities?unit=' + String(t.units.main));
    expect(page.status).toBe(200);
    const [main] = (await listUnitOptions(t.ctx.db)).filter((u) => u.value === t.units.main);
    expect(page.text).toContain(`<option value="${main.value}" selected>${main.label}</option>`);
    // Three active procedures (at most 200): the procedure filter is a select of them.
    expect(page.text).toContain('<select id="procedure" name="procedure"');
    expect(page.text).toContain('QT-F-01 — ');
    expect(page.text).not.toContain('QT-F-04 — ');
  });
});
