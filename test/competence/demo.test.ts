import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainingFigures } from '../../src/features/competence/competence.annual';
import { runDemo } from '../../src/features/demo';
import { createTestApp, one, rows, type SignedIn, type TestApp } from '../support/app';
import { signInWith } from '../support/agents';

/**
 * The demo's competence records (its "now" is the test clock's, 2026-11-26): the auditors' courses — the lead's
 * internal-auditor and lead-auditor courses (the latter with its certificate's file), the member's course expired
 * on 11/10/2025 —, ISO awareness for everyone in 2026, the matrix; and the audit the member is on warns about it.
 * Also the annual section's counting rules on a hand-made list.
 */
let t: TestApp;
let qo: SignedIn;
beforeAll(async () => {
  t = await createTestApp({ withUsers: false });
  await runDemo(t.ctx, () => {}, { province: false });
  qo = await signInWith(t.app, 'thuky', 'thuky@Demo2026');
}, 120_000);
afterAll(async () => t?.close());

describe('demo competence', () => {
  it('holds the auditors courses, the awareness session for everyone and the matrix', async () => {
    const courses = await rows<{ username: string; kind: string; held_on: string; expires_on: string | null; file: number }>(
      t,
      `select u.username, r.kind, r.held_on, r.expires_on, case when r.certificate_sha256 is null then 0 else 1 end as file
         from training_records r join users u on u.id = r.user_id where r.organisation_id = 1 and r.kind <> 'iso_awareness' order by u.username, r.kind`,
    );
    expect(courses).toEqual([
      { username: 'admin', kind: 'internal_auditor', held_on: '2022-10-12', expires_on: '2025-10-11', file: 0 },
      { username: 'danhgia', kind: 'internal_auditor', held_on: '2024-03-15', expires_on: '2027-03-14', file: 0 },
      { username: 'danhgia', kind: 'lead_auditor', held_on: '2025-08-20', expires_on: '2028-08-19', file: 1 },
      { username: 'thuky', kind: 'internal_auditor', held_on: '2025-04-10', expires_on: '2028-04-09', file: 0 },
    ]);
    const people = (await one<{ n: number }>(t, "select count(*) as n from users where organisation_id = 1 and role <> 'inspector'"))!.n;
    const awareness = await rows<{ held_on: string }>(t, "select distinct held_on from training_records where organisation_id = 1 and kind = 'iso_awareness'");
    expect(awareness).toEqual([{ held_on: '2026-03-18' }]);
    expect((await one<{ n: number }>(t, "select count(distinct user_id) as n from training_records where kind = 'iso_awareness'"))!.n).toBe(people);
    const grants = await rows<{ username: string; clauses: string }>(
      t,
      `select u.username, c.clause as clauses from auditor_competences c join users u on u.id = c.user_id where c.revoked_on is null and u.username in ('danhgia', 'admin') order by u.username, c.clause`,
    );
    expect(grants.filter((g) => g.username === 'admin').map((g) => g.clauses)).toEqual(['7', '8', '9']);
    expect(grants.filter((g) => g.username === 'danhgia').length).toBe(7);
    const download = await qo.get(`/competence/people/${(await one<{ id: number }>(t, "select id from users where username = 'danhgia'"))!.id}`);
    expect(download.status).toBe(200);
    expect(download.text).toContain('Tải chứng chỉ');
  });

  it('warns on the audit its member is on, naming the expiry', async () => {
    const audits = await rows<{ id: number }>(
      t,
      "select a.id from audits a join users u on u.id = a.lead_auditor_id where a.type = 'internal' and a.status in ('planned', 'in_progress') and u.username = 'danhgia'",
    );
    expect(audits.length).toBeGreaterThan(0);
    const page = await qo.get(`/audits/${audits[0].id}`);
    expect(page.text).toContain('Trần Quốc Huy (thành viên): chứng chỉ chuyên gia đánh giá đã hết hạn ngày 11/10/2025');
    expect(page.text).not.toMatch(/data-warning="\w+" data-user="\d+">Hoàng Văn Đức/);
  });

  it('puts the awareness session in the annual report of 2026', async () => {
    const page = await qo.get('/reports/annual/2026?lang=vi');
    const section = /<section data-section="training">([\s\S]*?)<\/section>/.exec(page.text)?.[1] ?? '';
    expect(section).toContain('Phổ biến TCVN ISO 9001:2015 và HTQLCL của cơ quan');
    expect(section).toContain('18/03/2026');
  });
});

describe('the annual training figures', () => {
  it('counts a session once per day, course and issuer, and a person once in all and per kind', () => {
    const r = (user_id: number, kind: 'internal_auditor' | 'iso_awareness', held_on: string, title = 'A', issuer = 'X') => ({
      user_id,
      full_name: `P${user_id}`,
      kind,
      title,
      held_on,
      issuer,
    });
    const f = trainingFigures([
      r(1, 'iso_awareness', '2026-02-01'),
      r(2, 'iso_awareness', '2026-02-01'),
      r(2, 'iso_awareness', '2026-02-01', 'A', 'Y'), // another issuer: another session
      r(3, 'internal_auditor', '2026-05-01', 'B'),
      r(1, 'internal_auditor', '2026-06-01', 'B'),
      r(1, 'internal_auditor', '2026-06-01', 'B'), // the same person twice in one session
    ]);
    expect({ sessions: f.sessions, people: f.people }).toEqual({ sessions: 4, people: 3 });
    expect(f.byKind).toEqual([
      { kind: 'internal_auditor', sessions: 2, people: 2 },
      { kind: 'lead_auditor', sessions: 0, people: 0 },
      { kind: 'iso_awareness', sessions: 2, people: 2 },
      { kind: 'other', sessions: 0, people: 0 },
    ]);
    expect(f.items.map((i) => [i.heldOn, i.issuer, i.people.join(',')])).toEqual([
      ['2026-02-01', 'X', 'P1,P2'],
      ['2026-02-01', 'Y', 'P2'],
      ['2026-05-01', 'X', 'P3'],
      ['2026-06-01', 'X', 'P1'],
    ]);
  });
});
