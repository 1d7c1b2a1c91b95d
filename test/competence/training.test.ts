import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, one, rows, type SignedIn, type TestApp } from '../support/app';
import { fieldsWithErrors } from '../support/html';

/**
 * Training records (ISO 9001 clause 7.2): recorded and corrected by the quality officer with the audit log, validated
 * next to each field (an expiry before the course refused), cancelled with a reason and kept, the certificate's file
 * uploaded (PDF or image only) and downloaded, read by the managers and by the person themself; and the training
 * held in the year in the annual report, counted by hand. The test clock says 2026-11-26.
 */
let t: TestApp;
let qo: SignedIn;
let staff: SignedIn;
let leader: SignedIn;

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082',
  'hex',
);

const good = (over: Record<string, string> = {}) => ({
  user_id: String(t.users.staff),
  kind: 'internal_auditor',
  title: 'Đào tạo chuyên gia đánh giá nội bộ ISO 9001:2015',
  held_on: '2026-03-10',
  issuer: 'Trung tâm Năng suất Việt Nam',
  hours: '24',
  certificate_no: 'NSVN-001',
  expires_on: '2029-03-09',
  ...over,
});

const trainingRow = (id: number) =>
  one<Record<string, unknown>>(
    t,
    'select user_id, kind, title, held_on, issuer, hours, certificate_no, expires_on, status, cancel_reason, version, certificate_sha256, certificate_name from training_records where id = ?',
    id,
  );
const log = (id: number) =>
  rows<{ action: string }>(t, "select action from audit_log where entity = 'training_record' and entity_id = ? order by id", String(id));
const idOf = (location: string) => Number(/#training-(\d+)$/.exec(location)?.[1]);

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  staff = await t.signIn('staff');
  leader = await t.signIn('leader');
});
afterAll(async () => t?.close());

describe('training records', () => {
  let id: number;

  it('says what is wrong next to each field, refuses an expiry before the course and writes nothing', async () => {
    const before = (await one<{ n: number }>(t, 'select count(*) as n from training_records'))!.n;
    const cases: [Record<string, string>, string[]][] = [
      [{ ...good(), user_id: '', kind: '', title: ' ', held_on: '' }, ['held_on', 'kind', 'title', 'user_id']],
      [good({ kind: 'bogus' }), ['kind']],
      [good({ held_on: '10/03/2026' }), ['held_on']],
      [good({ hours: '-1' }), ['hours']],
      [good({ title: 'x'.repeat(301) }), ['title']],
      [good({ expires_on: '2026-03-09' }), ['expires_on']],
      [good({ user_id: '999999' }), ['user_id']],
    ];
    for (const [body, fields] of cases) {
      const res = await qo.post('/competence/training', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(fieldsWithErrors(res.text).sort(), JSON.stringify(body)).toEqual(fields);
    }
    const expiry = await qo.post('/competence/training', good({ expires_on: '2026-03-09' }));
    expect(expiry.text).toContain('Ngày hết hạn không được trước ngày đào tạo.');
    expect((await one<{ n: number }>(t, 'select count(*) as n from training_records'))!.n).toBe(before);
  });

  it('records a course with its audit entry and shows it with dd/MM/yyyy dates', async () => {
    const res = await qo.post('/competence/training', good());
    expect(res.status).toBe(303);
    id = idOf(res.headers.location);
    expect(res.headers.location).toBe(`/competence/people/${t.users.staff}#training-${id}`);
    expect(await trainingRow(id)).toMatchObject({
      user_id: t.users.staff,
      kind: 'internal_auditor',
      held_on: '2026-03-10',
      hours: 24,
      expires_on: '2029-03-09',
      status: 'active',
      version: 1,
    });
    expect((await log(id)).map((l) => l.action)).toEqual(['create']);
    const list = await leader.get('/competence/training?kind=internal_auditor&year=2026');
    expect(list.status).toBe(200);
    expect(list.text).toContain('10/03/2026');
    expect(list.text).toContain('09/03/2029');
    expect(list.text).toContain('NSVN-001');
    expect((await leader.get('/competence/training?year=2025')).text).not.toContain('NSVN-001');
  });

  it('corrects a record at its version, and refuses a stale one with 409', async () => {
    const edit = await qo.get(`/competence/training/${id}/edit`);
    expect(edit.status).toBe(200);
    expect((await qo.post(`/competence/training/${id}`, { ...good({ certificate_no: 'NSVN-002' }), version: '1' })).status).toBe(303);
    expect(await trainingRow(id)).toMatchObject({ certificate_no: 'NSVN-002', version: 2 });
    expect((await qo.post(`/competence/training/${id}`, { ...good({ certificate_no: 'NSVN-003' }), version: '1' })).status).toBe(409);
    const bad = await qo.post(`/competence/training/${id}`, { ...good({ expires_on: '2025-01-01' }), version: '2' });
    expect(bad.status).toBe(422);
    expect(fieldsWithErrors(bad.text)).toEqual(['expires_on']);
    expect((await log(id)).map((l) => l.action)).toEqual(['create', 'update']);
  });

  it('keeps the certificate: PDF or image only, downloaded by a reader and by the person, not by another staff', async () => {
    const refused = await qo.agent
      .post(`/competence/training/${id}/certificate`)
      .field('_csrf', qo.csrf)
      .attach('file', Buffer.from('PK\u0003\u0004 not really a docx'), 'chung-chi.docx');
    expect(refused.status).toBe(422);
    expect(fieldsWithErrors(refused.text)).toEqual(['file']);
    expect((await trainingRow(id))!.certificate_sha256).toBeNull();
    const extra = await qo.agent.post(`/competence/training/${id}/certificate`).field('_csrf', qo.csrf).field('user_id', '1').attach('file', PNG, 'x.png');
    expect(extra.status).toBe(422);
    expect((await trainingRow(id))!.certificate_sha256).toBeNull();
    const noToken = await qo.agent.post(`/competence/training/${id}/certificate`).attach('file', PNG, 'chứng chỉ.png');
    expect(noToken.status).toBe(403);
    const ok = await qo.agent.post(`/competence/training/${id}/certificate`).field('_csrf', qo.csrf).attach('file', PNG, 'chứng chỉ.png');
    expect(ok.status).toBe(303);
    expect(await trainingRow(id)).toMatchObject({ certificate_name: 'chứng chỉ.png' });
    const down = await leader.get(`/competence/training/${id}/certificate`);
    expect(down.status).toBe(200);
    expect(down.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(down.body as Buffer, PNG)).toBe(0);
    expect((await staff.get(`/competence/training/${id}/certificate`)).status).toBe(200);
    expect((await log(id)).map((l) => l.action)).toEqual(['create', 'update', 'attach_certificate']);
  });

  it('lets staff read their own page only, and refuses their changes and posts without a token', async () => {
    const own = await staff.get(`/competence/people/${t.users.staff}`);
    expect(own.status).toBe(200);
    expect(own.text).toContain('NSVN-002');
    expect((await staff.get('/competence/mine')).text).toContain('NSVN-002');
    expect((await staff.get(`/competence/people/${t.users.leader}`)).status).toBe(404);
    expect((await staff.get('/competence/training')).status).toBe(403);
    expect((await staff.post('/competence/training', good())).status).toBe(403);
    expect((await leader.post('/competence/training', good())).status).toBe(403);
    expect((await leader.post(`/competence/training/${id}/cancel`, { cancel_reason: 'x', version: '3' })).status).toBe(403);
    expect((await qo.agent.post('/competence/training').type('form').send(good())).status).toBe(403);
    expect((await qo.get('/competence/people/999999')).status).toBe(404);
  });

  it('cancels with a reason, keeps the record and shows why', async () => {
    const noReason = await qo.post(`/competence/training/${id}/cancel`, { cancel_reason: ' ', version: '3' });
    expect(noReason.status).toBe(422);
    expect(fieldsWithErrors(noReason.text)).toEqual(['cancel_reason']);
    expect((await qo.post(`/competence/training/${id}/cancel`, { cancel_reason: 'Nhập nhầm người', version: '3' })).status).toBe(303);
    expect(await trainingRow(id)).toMatchObject({ status: 'cancelled', cancel_reason: 'Nhập nhầm người' });
    expect((await qo.post(`/competence/training/${id}`, { ...good(), version: '4' })).status).toBe(409);
    const page = await qo.get(`/competence/people/${t.users.staff}`);
    expect(page.text).toContain('Đã hủy: Nhập nhầm người');
    expect((await log(id)).map((l) => l.action)).toEqual(['create', 'update', 'attach_certificate', 'cancel']);
  });
});

describe('training in the annual report', () => {
  it('counts the sessions held in 2026 and the people trained, by kind, and lists them', async () => {
    const add = async (over: Record<string, string>) => expect((await qo.post('/competence/training', good(over))).status).toBe(303);
    const awareness = {
      kind: 'iso_awareness',
      title: 'Phổ biến ISO 9001:2015',
      held_on: '2026-04-02',
      issuer: 'Ban chỉ đạo ISO',
      expires_on: '',
      certificate_no: '',
    };
    // one awareness session attended by three people
    for (const u of [t.users.staff, t.users.leader, t.users.admin]) await add({ ...awareness, user_id: String(u) });
    // two internal-auditor courses (different dates), one person in both
    await add({ user_id: String(t.users.leader), held_on: '2026-05-06' });
    await add({ user_id: String(t.users.leader), held_on: '2026-09-15', certificate_no: 'NSVN-009' });
    await add({ user_id: String(t.users.admin), held_on: '2026-09-15', certificate_no: 'NSVN-010' });
    // outside the year, and the cancelled one of 2026-03-10 above: not counted
    await add({ user_id: String(t.users.admin), held_on: '2025-12-20' });
    // sessions: awareness 1 + internal 2 = 3; people: staff, leader, admin = 3; internal-auditor people: leader, admin = 2
    const page = await qo.get('/reports/annual/2026?lang=vi');
    expect(page.status).toBe(200);
    const section = /<section data-section="training">([\s\S]*?)<\/section>/.exec(page.text)?.[1] ?? '';
    expect(section).toContain('Đào tạo, nâng cao nhận thức');
    expect(section).toContain('Trong kỳ có 3 khóa đào tạo, 3 người được đào tạo.');
    const cells = (kind: string) =>
      [...(new RegExp(`<tr data-kind="${kind}">([\\s\\S]*?)</tr>`).exec(section)?.[1] ?? '').matchAll(/data-figure="(\w+)">([^<]*)</g)].map(
        (m) => `${m[1]}=${m[2]}`,
      );
    expect(cells('iso_awareness')).toEqual(['sessions=1', 'people=3']);
    expect(cells('internal_auditor')).toEqual(['sessions=2', 'people=2']);
    expect(cells('lead_auditor')).toEqual(['sessions=0', 'people=0']);
    expect(cells('total')).toEqual(['sessions=3', 'people=3']);
    const sessions = [...section.matchAll(/<tr data-session="\d+"><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td>/g)].map((m) =>
      m.slice(1),
    );
    expect(sessions).toEqual([
      ['02/04/2026', 'Phổ biến ISO 9001:2015', 'Ban chỉ đạo ISO', 'Người dùng admin, Người dùng leader, Người dùng staff'],
      ['06/05/2026', 'Đào tạo chuyên gia đánh giá nội bộ ISO 9001:2015', 'Trung tâm Năng suất Việt Nam', 'Người dùng leader'],
      ['15/09/2026', 'Đào tạo chuyên gia đánh giá nội bộ ISO 9001:2015', 'Trung tâm Năng suất Việt Nam', 'Người dùng admin, Người dùng leader'],
    ]);
    const docx = await qo.get('/reports/annual/2026.docx');
    expect(docx.status).toBe(200);
    const csv = (await qo.get('/reports/annual/2026/figures.csv')).text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    const csvSection = '"IV. Đào tạo, tuyên truyền về HTQLCL",';
    expect(csv.filter((l) => l.startsWith(csvSection)).map((l) => l.slice(csvSection.length))).toEqual([
      'sessions,Số khóa,3',
      'people,Số người,3',
      'sessions.internal_auditor,Số khóa: đào tạo chuyên gia đánh giá nội bộ,2',
      'people.internal_auditor,Số người: đào tạo chuyên gia đánh giá nội bộ,2',
      'sessions.lead_auditor,Số khóa: đào tạo trưởng đoàn đánh giá,0',
      'people.lead_auditor,Số người: đào tạo trưởng đoàn đánh giá,0',
      'sessions.iso_awareness,Số khóa: phổ biến nhận thức về ISO 9001,1',
      'people.iso_awareness,Số người: phổ biến nhận thức về ISO 9001,3',
      'sessions.other,Số khóa: đào tạo khác,0',
      'people.other,Số người: đào tạo khác,0',
    ]);
  });
});
