import type { Generated } from './generate';
import { int } from './lib/report';

/** The pages the benchmark loads, each as the role that uses it. */
export interface Page {
  name: string;
  role: keyof Generated['users'];
  path: string;
  /** List and dashboard pages must reach a share of the ceiling's throughput (40 % on SQLite, 25 % on PostgreSQL), measured in turns with it. */
  list?: boolean;
  /** A p99 target (ms) under load, per engine. */
  p99Targets?: Partial<Record<'sqlite' | 'postgres', number>>;
  /** Also measured with a single connection (one user waiting, nothing queued before it). */
  single?: boolean;
}

export function pagesOf(g: Generated): Page[] {
  const year = Number(g.today.slice(0, 4)) - 1;
  const period = `from=${year}-01-01&to=${year}-12-31`;
  const code = encodeURIComponent(g.busyProcedure.code);
  const deep = Math.max(2, Math.floor((g.counts.nonconformities / 50) * 0.75));
  return [
    { name: 'Reference: a signed-in page with one small form (/account/password)', role: 'staff', path: '/account/password' },
    { name: 'Dashboard — admin', role: 'admin', path: '/', list: true },
    { name: 'Dashboard — quality officer', role: 'quality_officer', path: '/', list: true },
    { name: 'Dashboard — leader', role: 'leader', path: '/', list: true },
    { name: 'Dashboard — staff', role: 'staff', path: '/', list: true },
    { name: 'NC list, filtered (active, major)', role: 'quality_officer', path: '/nonconformities?status=active&severity=major', list: true },
    { name: `NC list, deep page ${deep}`, role: 'quality_officer', path: `/nonconformities?page=${deep}`, list: true },
    { name: 'Document page (staff)', role: 'staff', path: `/documents/${g.documentId}` },
    { name: `Compliance report HTML, ${g.busyProcedure.code}, ${year}`, role: 'quality_officer', path: `/reports/procedures/${code}?${period}` },
    {
      name: `Compliance report JSON, ${g.busyProcedure.code}, ${year}`,
      role: 'quality_officer',
      path: `/reports/procedures/${code}.json?${period}`,
      single: true,
      p99Targets: { postgres: 100 },
    },
    { name: 'All-procedures summary, one unit', role: 'quality_officer', path: `/reports/summary?${period}&unit=${g.busyProcedure.unitId}`, list: true },
    { name: `All-procedures summary, all ${int(g.counts.procedures)}`, role: 'quality_officer', path: `/reports/summary?${period}`, single: true },
    { name: 'Search, documents full text', role: 'staff', path: `/documents/current?q=${encodeURIComponent('thẩm định hồ sơ')}`, list: true },
    { name: 'Search, procedures', role: 'staff', path: `/procedures?q=${encodeURIComponent('dang ky')}`, list: true },
  ];
}
