import type { Db } from '../../core/db/database';
import { sortVi } from '../../core/text/collate';
import { listTrainingHeld, type TrainingRow } from './competence.queries';
import { TRAINING_KINDS } from './competence.tables';

/**
 * The annual report's training section (wired in src/features/hooks.ts): the active training records held within
 * the report's period. A session is one course (kind and title) held on one day by one issuer, whoever attended; a
 * person trained is counted once in all and once per kind, however many sessions they attended.
 */
/** The section's figures; the annual report (reports.annual.sections.ts) takes this type from here. */
export interface AnnualTraining {
  sessions: number;
  people: number;
  byKind: { kind: string; sessions: number; people: number }[];
  items: { heldOn: string; title: string; issuer: string; kind: string; people: string[] }[];
}

export function trainingFigures(rows: readonly Pick<TrainingRow, 'user_id' | 'full_name' | 'kind' | 'title' | 'held_on' | 'issuer'>[]): AnnualTraining {
  const sessions = new Map<string, { heldOn: string; title: string; issuer: string; kind: string; people: Map<number, string> }>();
  for (const r of rows) {
    const key = JSON.stringify([r.held_on, r.kind, r.title, r.issuer]);
    const s = sessions.get(key) ?? { heldOn: r.held_on, title: r.title, issuer: r.issuer, kind: r.kind, people: new Map<number, string>() };
    s.people.set(r.user_id, r.full_name);
    sessions.set(key, s);
  }
  const list = [...sessions.values()];
  const people = (kind?: string) => new Set(rows.filter((r) => kind === undefined || r.kind === kind).map((r) => r.user_id)).size;
  return {
    sessions: list.length,
    people: people(),
    byKind: TRAINING_KINDS.map((kind) => ({ kind, sessions: list.filter((s) => s.kind === kind).length, people: people(kind) })),
    items: list
      .sort((a, b) => a.heldOn.localeCompare(b.heldOn) || a.title.localeCompare(b.title))
      .map((s) => ({ ...s, people: sortVi([...s.people.values()], (n) => n) })),
  };
}

export async function annualTraining(db: Db, _year: number, period: { from: string; to: string }): Promise<{ training: AnnualTraining }> {
  return { training: trainingFigures(await listTrainingHeld(db, period.from, period.to)) };
}
