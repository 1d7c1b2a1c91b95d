import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, type TestApp } from '../support/app';
import { auditForm, fixture, idFromLocation, type Fixture } from './support';

/** The Sở KH&CN's inspection is an audit type of its own (issue 20), numbered in its own series KT-YYYY-NN. */
let t: TestApp;
let f: Fixture;
beforeAll(async () => {
  t = await createTestApp();
  f = await fixture(t);
});
afterAll(async () => t.close());

describe('inspection by the Department of Science and Technology', () => {
  it('is offered on the audit form and creates KT-2026-01, apart from the ĐGNB and ĐGBN series', async () => {
    const qo = await t.signIn('auditor');
    const form = await qo.get('/audits/new');
    expect(form.text).toContain('<option value="inspection"');
    expect(form.text).toContain('Kiểm tra của Sở KH&amp;CN');
    const first = await qo.post('/audits', auditForm(f, { type: 'inspection', external_body: 'Sở Khoa học và Công nghệ' }));
    expect(first.status).toBe(303);
    const internal = await qo.post('/audits', auditForm(f));
    expect(internal.status).toBe(303);
    const second = await qo.post('/audits', auditForm(f, { type: 'inspection' }));
    // Two inspections and one internal audit in 2026: KT-2026-01, KT-2026-02; ĐGNB-2026-01.
    expect(await rows(t, 'select code, type from audits order by id')).toEqual([
      { code: 'KT-2026-01', type: 'inspection' },
      { code: 'ĐGNB-2026-01', type: 'internal' },
      { code: 'KT-2026-02', type: 'inspection' },
    ]);
    const page = await qo.get(`/audits/${idFromLocation(first.headers.location)}`);
    expect(page.text).toContain('Kiểm tra của Sở KH&amp;CN — Sở Khoa học và Công nghệ');
    const en = await qo.get(`/audits/${idFromLocation(second.headers.location)}?lang=en`);
    expect(en.text).toContain('Inspection by the Department of Science and Technology');
  });
});
