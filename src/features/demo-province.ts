import { record } from '../core/audit-log/audit-log';
import { scopedDb, withoutOrganisation } from '../core/db/scope';
import type { Role } from '../core/http/roles';
import { hashPassword } from '../core/security/passwords';
import type { DemoContext } from './demo-context';
import { importDossiers } from './dossiers/dossiers.import.service';
import { createUserIn } from './users/users.service';
import { listProcedureOptions } from './procedures/procedures.queries';
import { insertOrganisation, listOrganisations, type OrganisationValues } from './organisation/organisation.queries';
import { mergeOrganisations } from './organisation/organisation.reorg.service';
import { addOrganisationFromTemplate, copyFromTemplate } from './organisations/organisations.template.service';
import { setParent } from './organisation/organisation.tree.queries';

/**
 * The demo's province (issue 22), besides the model office: the province of Ninh Bình (which Nam Định, the model
 * office's former province, joined in 2025) with the model office under it, the provincial Department of Home
 * Affairs (which took over labour, invalids and social affairs in 2025), and two communes, one of which succeeded a
 * district office merged into it on 01/07/2025. The department and the communes start from the model office's
 * register (a template copy: its procedures, and its documents in force as drafts to adapt); the communes have a
 * quarter of dossiers so that the oversight page has figures; the former district office is read-only and keeps its
 * records. The province has an administrator and an inspector of the Department of Science and Technology, who reads
 * every organisation under the province (the oversight page, then ?org=CODE).
 */
const PASSWORD_SUFFIX = '@Demo2026';

interface DemoOrganisation {
  code: string;
  name: string;
  kind: 'province' | 'department' | 'commune' | 'office';
  settings: Omit<OrganisationValues, 'name' | 'time_zone'>;
}

const PROVINCE: DemoOrganisation = {
  code: 'TINH-NB',
  name: 'Ủy ban nhân dân tỉnh Ninh Bình',
  kind: 'province',
  settings: {
    parent_agency: 'Chính phủ',
    place_name: 'Ninh Bình',
    report_number_suffix: 'UBND',
    signer_title: 'CHỦ TỊCH',
    signer_name: 'Nguyễn Văn Tỉnh',
    recipients: 'Bộ Khoa học và Công nghệ (để b/c)\nLưu: VT',
    not_applicable_clauses: '["8.3"]',
  },
};

const DEPARTMENT: DemoOrganisation = {
  code: 'SO-NV',
  name: 'Sở Nội vụ tỉnh Ninh Bình',
  kind: 'department',
  settings: {
    parent_agency: 'UBND tỉnh Ninh Bình',
    place_name: 'Ninh Bình',
    report_number_suffix: 'SNV',
    signer_title: 'GIÁM ĐỐC',
    signer_name: 'Trần Thị Nội',
    recipients: 'UBND tỉnh (để b/c)\nSở Khoa học và Công nghệ\nLưu: VT',
    not_applicable_clauses: '["8.3"]',
    qms_declared_on: '2025-09-15',
  },
};

const commune = (code: string, name: string, signer: string, declared: string | null): DemoOrganisation => ({
  code,
  name,
  kind: 'commune',
  settings: {
    parent_agency: 'UBND tỉnh Ninh Bình',
    place_name: name.replace(/^UBND xã /, ''),
    report_number_suffix: 'UBND',
    signer_title: 'CHỦ TỊCH',
    signer_name: signer,
    recipients: 'UBND tỉnh (để b/c)\nSở Khoa học và Công nghệ\nLưu: VT',
    not_applicable_clauses: '["8.3"]',
    qms_declared_on: declared,
  },
});

const YEN_KHANH = commune('XA-YK', 'UBND xã Yên Khánh', 'Đinh Văn Khánh', '2025-10-20');
const NGHIA_HUNG = commune('XA-NH', 'UBND xã Nghĩa Hưng', 'Vũ Văn Hưng', null);

/** The district office the commune of Nghĩa Hưng succeeded (merged into it when districts were abolished). */
const FORMER_DISTRICT_OFFICE: DemoOrganisation = {
  code: 'HUYEN-NH-CU',
  name: 'Phòng Văn hóa - Xã hội huyện Nghĩa Hưng (cũ)',
  kind: 'office',
  settings: {
    parent_agency: 'UBND huyện Nghĩa Hưng',
    place_name: 'Nghĩa Hưng',
    report_number_suffix: 'VHXH',
    signer_title: 'TRƯỞNG PHÒNG',
    signer_name: 'Mai Văn Cũ',
    recipients: 'UBND huyện (để b/c)\nLưu: VT',
    not_applicable_clauses: '["8.3"]',
    qms_declared_on: '2019-06-10',
  },
};

const PROVINCE_USERS: { username: string; fullName: string; role: Role; title: string }[] = [
  { username: 'quantri.tinh', fullName: 'Lương Văn Quản', role: 'admin', title: 'Chuyên viên Trung tâm Phục vụ hành chính công' },
  { username: 'kiemtra', fullName: 'Cao Thị Kiểm', role: 'inspector', title: 'Chuyên viên Sở Khoa học và Công nghệ' },
];

/** Dossiers of a commune: `n` in the last months of the demo's year, `late` of them returned after their due date. */
function dossierFile(prefix: string, procedureCodes: string[], n: number, late: number, now: Date): Buffer {
  const year = now.getUTCFullYear();
  const lines = ['code\tprocedure_code\treceived_at\tdue_date\treturned_at'];
  for (let i = 0; i < n; i++) {
    const month = 1 + (i % Math.max(1, now.getUTCMonth()));
    const day = 3 + (i % 20);
    const received = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const due = `${year}-${String(month).padStart(2, '0')}-${String(day + 5).padStart(2, '0')}`;
    const returned = `${year}-${String(month).padStart(2, '0')}-${String(day + (i < late ? 7 : 3)).padStart(2, '0')}`;
    lines.push(`${prefix}-${year}-${String(i + 1).padStart(4, '0')}\t${procedureCodes[i % procedureCodes.length]}\t${received}\t${due}\t${returned}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

type DemoUser = { username: string; fullName: string; role: Role; title: string };

/** The organisations' own users, besides the province's (their demo passwords are `<username>@Demo2026`). */
const OWN_USERS: Record<string, DemoUser[]> = {
  [DEPARTMENT.code]: [{ username: 'quantri.snv', fullName: 'Hà Văn Vụ', role: 'admin', title: 'Chuyên viên Văn phòng Sở' }],
  [YEN_KHANH.code]: [
    { username: 'quantri.yk', fullName: 'Phan Thị Yên', role: 'admin', title: 'Công chức Văn phòng - Thống kê' },
    { username: 'thuky.yk', fullName: 'Lại Văn Khánh', role: 'quality_officer', title: 'Công chức Văn phòng - Thống kê' },
  ],
  // they move to the commune that succeeds the office
  [FORMER_DISTRICT_OFFICE.code]: [
    { username: 'quantri.nh', fullName: 'Tống Văn Hưng', role: 'admin', title: 'Chuyên viên' },
    { username: 'thuky.nh', fullName: 'Tống Thị Hương', role: 'quality_officer', title: 'Công chức Văn hóa - Xã hội' },
  ],
};

export async function seedProvince(demo: DemoContext): Promise<void> {
  const { ctx, now } = demo;
  const all = { ...ctx, db: withoutOrganisation(ctx.db) };
  const at = now.toISOString();
  const settingsOf = (o: DemoOrganisation, id: number) =>
    insertOrganisation(scopedDb(all.db, id), { name: o.name, time_zone: ctx.config.timeZone, ...o.settings }, at);
  const lines: string[] = [];
  const addUsers = async (code: string, id: number, users: DemoUser[]): Promise<number[]> => {
    const ids: number[] = [];
    for (const u of users) {
      const password = `${u.username}${PASSWORD_SUFFIX}`;
      const hash = await hashPassword(password);
      const user = { username: u.username, full_name: u.fullName, role: u.role, unit_id: null, email: null, position_title: u.title };
      ids.push(await all.db.transaction().execute((trx) => createUserIn(scopedDb(trx, id), user, hash, null, now)));
      lines.push(`  ${code.padEnd(12)} ${u.role.padEnd(16)} ${u.username.padEnd(13)} ${password}`);
    }
    return ids;
  };

  const province = await addOrganisationFromTemplate(all, { code: PROVINCE.code, name: PROVINCE.name, kind: PROVINCE.kind }, null);
  await settingsOf(PROVINCE, province.id);
  await addUsers(PROVINCE.code, province.id, PROVINCE_USERS);
  // the model office joins the province's tree (its data and its code stay as they are)
  await all.db.transaction().execute(async (trx) => {
    await setParent(trx, 1, province.id);
    await record(
      scopedDb(trx, 1),
      { userId: null, action: 'update', entity: 'organisation', entityId: 1, new: { parent_id: province.id }, reason: 'demo' },
      now,
    );
  });

  const template = (await listOrganisations(all.db)).find((o) => o.id === 1)!;
  const added: Record<string, number> = {};
  const admins: Record<string, number> = {};
  for (const o of [DEPARTMENT, YEN_KHANH, FORMER_DISTRICT_OFFICE]) {
    const made = await addOrganisationFromTemplate(all, { code: o.code, name: o.name, kind: o.kind, parentCode: PROVINCE.code }, null);
    await settingsOf(o, made.id);
    const [admin] = await addUsers(o.code, made.id, OWN_USERS[o.code]);
    admins[o.code] = admin;
    // the model office's register, its documents in force as drafts (their author: the organisation's administrator)
    const copied = await copyFromTemplate(all, { sourceId: template.id, targetId: made.id }, admin);
    added[o.code] = made.id;
    demo.log(`Organisation ${o.code}: ${copied.procedures} procedures and ${copied.documents} draft documents from ${template.code}.`);
  }

  // figures for the oversight page: this year's dossiers of the commune and of the former district office
  const codes = (await listProcedureOptions(scopedDb(all.db, added[YEN_KHANH.code]))).slice(0, 4).map((p) => p.code);
  for (const [code, n, late] of [
    [YEN_KHANH.code, 48, 2],
    [FORMER_DISTRICT_OFFICE.code, 30, 4],
  ] as const) {
    const scoped = { ...ctx, db: scopedDb(all.db, added[code]) };
    await importDossiers(scoped, { buffer: dossierFile(code, codes, n, late, now) }, { fileName: `${code}-ho-so.tsv`, actorId: null, via: 'cli' });
  }

  // the commune of Nghĩa Hưng succeeded the district office on 01/07/2025: a new organisation, the office read-only
  const merged = await mergeOrganisations(
    all,
    {
      predecessors: [FORMER_DISTRICT_OFFICE.code],
      successor: { code: NGHIA_HUNG.code, name: NGHIA_HUNG.name, kind: NGHIA_HUNG.kind, parentCode: PROVINCE.code },
      effectiveOn: '2025-07-01',
      reason: 'Sắp xếp đơn vị hành chính cấp xã, không tổ chức cấp huyện (hiệu lực 01/07/2025)',
    },
    null,
  );
  const successor = merged.successors[0].id;
  await settingsOf(NGHIA_HUNG, successor);
  // the commune re-scopes its QMS from the office's register (its administrator moved with the merge)
  const inherited = await copyFromTemplate(all, { sourceId: added[FORMER_DISTRICT_OFFICE.code], targetId: successor }, admins[FORMER_DISTRICT_OFFICE.code]);
  demo.log(
    `Organisation ${NGHIA_HUNG.code} succeeded ${FORMER_DISTRICT_OFFICE.code} (read-only since 01/07/2025; its users moved; ${inherited.procedures} procedures taken over).`,
  );
  demo.log('Province users (organisation, role, username / password):');
  for (const line of lines) demo.log(line);
}
