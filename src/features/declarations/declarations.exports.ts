import { translate, type Lang } from '../../core/i18n';
import type { CsvCell } from '../reports/reports.csv';
import { tableXlsx } from '../reports/reports.xlsx';
import type { DeclarationRow } from './declarations.queries';
import { parseScope, scopeChange } from './declarations.scope';

/**
 * The register of declarations as exported (as the reports' exports: machine keys in the CSV's header, translated
 * labels in the XLSX's, dates YYYY-MM-DD): one row per declaration, the latest first, cancelled ones too, with the
 * size of its scope and how it differs from the declaration recorded before it.
 */
export const EXPORT_COLUMNS = [
  'decisionNo',
  'decidedOn',
  'kind',
  'kindLabel',
  'signerName',
  'signerTitle',
  'procedures',
  'added',
  'removed',
  'kindChanged',
  'note',
  'status',
  'cancelReason',
  'file',
] as const;

const LABEL: Record<(typeof EXPORT_COLUMNS)[number], string> = {
  decisionNo: 'declarations.decision_no',
  decidedOn: 'declarations.decided_on',
  kind: 'declarations.key.kind',
  kindLabel: 'declarations.kind',
  signerName: 'declarations.signer_name',
  signerTitle: 'declarations.signer_title',
  procedures: 'declarations.procedures',
  added: 'declarations.change.added',
  removed: 'declarations.change.removed',
  kindChanged: 'declarations.change.kind_changed',
  note: 'declarations.note',
  status: 'declarations.status',
  cancelReason: 'declarations.cancel_reason',
  file: 'declarations.file',
};

export type DeclarationState = 'in_force' | 'superseded' | 'cancelled';

/**
 * Each declaration's standing (rows: the latest first, as listDeclarations gives them): the latest recorded one is
 * in force, an earlier recorded one superseded, a cancelled one cancelled.
 */
export function statesOf(rows: readonly DeclarationRow[]): Map<number, DeclarationState> {
  const inForce = rows.find((r) => r.status === 'recorded')?.id;
  return new Map(rows.map((r) => [r.id, r.status === 'cancelled' ? 'cancelled' : r.id === inForce ? 'in_force' : 'superseded']));
}

/** Each declaration's change of scope against the one recorded before it (rows: the latest first). */
export function changesAgainstPrevious(rows: readonly DeclarationRow[]) {
  const recorded = rows.filter((r) => r.status === 'recorded');
  return new Map(
    recorded.map((r, i) => {
      const previous = recorded[i + 1];
      return [r.id, previous ? scopeChange(parseScope(previous.scope), parseScope(r.scope)) : undefined] as const;
    }),
  );
}

export function declarationsTable(rows: readonly DeclarationRow[], lang: Lang): { keys: readonly string[]; headers: string[]; rows: CsvCell[][] } {
  const t = (k: string) => translate(lang, k);
  const changes = changesAgainstPrevious(rows);
  const states = statesOf(rows);
  return {
    keys: EXPORT_COLUMNS,
    headers: EXPORT_COLUMNS.map((k) => t(LABEL[k])),
    rows: rows.map((r) => {
      const c = changes.get(r.id);
      return [
        r.decision_no,
        r.decided_on,
        r.kind,
        t(`declarations.kind.${r.kind}`),
        r.signer_name,
        r.signer_title,
        parseScope(r.scope).length,
        c ? c.added.length : null,
        c ? c.removed.length : null,
        c ? c.kindChanged.length : null,
        r.note,
        t(`declarations.state.${states.get(r.id)}`),
        r.cancel_reason,
        r.file_name,
      ];
    }),
  };
}

export async function declarationsXlsx(rows: readonly DeclarationRow[], lang: Lang): Promise<Buffer> {
  const table = declarationsTable(rows, lang);
  return tableXlsx(translate(lang, 'declarations.sheet'), table.headers, table.rows);
}
