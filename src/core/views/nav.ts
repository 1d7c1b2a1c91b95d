import { allows, OVERSEERS, READERS, WORKERS, type Access, type Role } from '../http/roles';

/** The navigation, by role. Each feature's pages appear here; labels are i18n keys. */
interface NavItem {
  path: string;
  label: string;
  access: Access;
  /** Other path prefixes that mark this item as current. */
  match?: string[];
  /** Shown only to a user whose organisation has organisations under it, or an inspector (a single office sees none). */
  oversight?: true;
  /** Shown only to the users of an organisation that succeeded others (a merge or a split). */
  lineage?: true;
}
interface NavGroup {
  label: string;
  items: NavItem[];
}

const QUALITY_AND_LEADERS: readonly Role[] = ['admin', 'quality_officer', 'leader'];

const NAV: NavGroup[] = [
  {
    label: 'nav.group.work',
    items: [
      { path: '/', label: 'nav.dashboard', access: 'signed_in' },
      { path: '/documents/current', label: 'nav.current_documents', access: 'signed_in' },
      { path: '/actions/mine', label: 'nav.my_actions', access: WORKERS },
      { path: '/nonconformities/report', label: 'nav.report_problem', access: WORKERS },
      { path: '/feedback/mine', label: 'nav.my_feedback', access: WORKERS },
      { path: '/competence/mine', label: 'nav.my_training', access: WORKERS },
      { path: '/organisation/lineage', label: 'lineage.title', access: 'signed_in', lineage: true },
      { path: '/account/notifications', label: 'notifications.preferences.title', access: 'signed_in' },
    ],
  },
  {
    label: 'nav.group.quality',
    items: [
      { path: '/procedures', label: 'nav.procedures', access: 'signed_in' },
      { path: '/documents', label: 'nav.documents', access: QUALITY_AND_LEADERS },
      { path: '/nonconformities', label: 'nav.nonconformities', access: READERS },
      { path: '/audits', label: 'nav.audits', access: READERS },
      { path: '/dossiers', label: 'nav.dossiers', access: READERS },
      { path: '/apologies', label: 'nav.apologies', access: READERS },
      { path: '/surveys/results', label: 'nav.survey_results', access: READERS },
      { path: '/feedback', label: 'nav.feedback', access: READERS },
      { path: '/surveys/sets', label: 'nav.surveys', access: READERS },
      { path: '/declarations', label: 'nav.declarations', access: 'signed_in' },
      { path: '/objectives', label: 'nav.objectives', access: 'signed_in' },
      { path: '/risks', label: 'nav.risks', access: READERS },
      { path: '/reviews', label: 'nav.reviews', access: READERS },
      { path: '/competence/training', label: 'nav.competence', access: READERS, match: ['/competence'] },
      { path: '/reports', label: 'nav.reports', access: READERS },
    ],
  },
  {
    label: 'nav.group.oversight',
    items: [
      { path: '/oversight', label: 'nav.oversight', access: OVERSEERS, oversight: true },
      { path: '/admin/organisations', label: 'nav.organisations', access: ['admin'], oversight: true },
    ],
  },
  {
    label: 'nav.group.admin',
    items: [
      { path: '/admin/users', label: 'nav.users', access: ['admin'] },
      { path: '/admin/units', label: 'nav.units', access: ['admin'] },
      { path: '/admin/organisation', label: 'nav.organisation', access: ['admin'] },
      { path: '/admin/holidays', label: 'nav.holidays', access: ['admin'] },
      { path: '/admin/audit-log', label: 'nav.audit_log', access: ['admin'] },
      { path: '/admin/notifications', label: 'notifications.settings.nav', access: ['admin'] },
      { path: '/admin/outbox', label: 'notifications.outbox.title', access: ['admin'] },
      { path: '/admin/api-tokens', label: 'api.tokens.nav', access: ['admin'] },
    ],
  },
];

export interface NavView {
  label: string;
  items: { path: string; label: string; current: boolean }[];
}

export function navFor(role: Role | undefined, currentPath: string, options: { oversees?: boolean; succeeds?: boolean } = {}): NavView[] {
  if (!role) return [];
  const isCurrent = (item: NavItem) => (item.path === '/' ? currentPath === '/' : currentPath === item.path || currentPath.startsWith(`${item.path}/`));
  const groups: NavView[] = [];
  for (const group of NAV) {
    const items = group.items.filter((i) => allows(i.access, role) && (!i.oversight || options.oversees === true) && (!i.lineage || options.succeeds === true));
    if (items.length === 0) continue;
    // The longest matching prefix wins, so /documents/current does not also light up /documents.
    const best = items.filter(isCurrent).sort((a, b) => b.path.length - a.path.length)[0];
    groups.push({
      label: group.label,
      items: items.map((i) => ({ path: i.path, label: i.label, current: i === best })),
    });
  }
  return groups;
}
