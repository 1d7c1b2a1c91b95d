import type { Kysely } from 'kysely';
import { addDays, boolInt, createTrigger, dropTrigger, greatest } from '../dialect/ddl';

/**
 * The dossier summary rows (dossier_stats_day, dossier_stats_month) are kept up to date by the transaction that
 * writes a dossier, instead of being recomputed from all the procedure's dossiers by the next reader.
 *
 * Before: the row triggers only marked the procedure in dossier_stats_dirty and the first report read afterwards
 * recomputed it from its dossiers (about 240 ms for a procedure with 100,000 dossiers). Now each trigger adds the
 * dossier's four counts (received on, returned on, the day after the due date, the later of that day and the
 * return; see dossiers.stats.queries.ts) to its day and month rows, and an update or deletion takes the old ones
 * away: a few small upserts per dossier, and the figures are right the moment the change commits.
 *
 * The bulk import still drops these triggers for its writes, marks the procedures it touched in
 * dossier_stats_dirty, and their rows are recomputed before the next read, as before. A dossier change also moves
 * its procedure in figure_changes (which the dirty table's own trigger did before).
 */

type Row = 'new' | 'old';

type AnyDb = Kysely<any>;

/** One of the four dates a dossier counts on: the day, when it counts (null: always), and the counters it adds to. */
interface Part {
  day: (r: Row) => string;
  when: ((r: Row) => string) | null;
  counters: Record<string, (r: Row) => string>;
}

function parts(db: AnyDb): Part[] {
  const dueNext = (r: Row) => `coalesce(${addDays(db, `${r}.due_on`, 1)}, ${r}.due_on)`;
  return [
    {
      day: (r) => `${r}.received_on`,
      when: null,
      counters: { rd: (r) => `${r}.channel = 'direct'`, ro: (r) => `${r}.channel = 'online'`, rp: (r) => `${r}.channel = 'postal'` },
    },
    {
      day: (r) => `${r}.returned_on`,
      when: (r) => `${r}.returned_on is not null`,
      counters: {
        te: (r) => `${r}.outcome = 'returned' and ${r}.returned_on < ${r}.due_on`,
        tt: (r) => `${r}.outcome = 'withdrawn' or (${r}.outcome = 'returned' and ${r}.returned_on = ${r}.due_on)`,
        tl: (r) => `${r}.outcome = 'returned' and ${r}.returned_on > ${r}.due_on`,
      },
    },
    { day: dueNext, when: null, counters: { d1: () => 'true' } },
    { day: (r) => greatest(db, dueNext(r), `${r}.returned_on`), when: (r) => `${r}.returned_on is not null`, counters: { o: () => 'true' } },
  ];
}

/** The upserts that add (sign 1) or take away (sign -1) one dossier's counts on its day and month rows. */
function apply(db: AnyDb, r: Row, sign: 1 | -1): string {
  const statements: string[] = [];
  for (const part of parts(db)) {
    const names = Object.keys(part.counters);
    const values = names.map((n) => `${sign === 1 ? '' : '-'}${boolInt(db, part.counters[n](r))}`);
    // A WHERE clause is required before ON CONFLICT when the rows come from a SELECT (SQLite's parsing rule).
    const where = part.when ? part.when(r) : 'true';
    for (const [table, key, expr] of [
      ['dossier_stats_day', 'day', part.day(r)],
      ['dossier_stats_month', 'month', `substr(${part.day(r)}, 1, 7)`],
    ]) {
      // The stored counter is named with its table: PostgreSQL finds a bare `rd` ambiguous next to excluded.rd.
      const update = names.map((n) => `${n} = ${table}.${n} + excluded.${n}`).join(', ');
      statements.push(
        `insert into ${table} (procedure_id, ${key}, ${names.join(', ')}) select ${r}.procedure_id, ${expr}, ${values.join(', ')} where ${where}
         on conflict (procedure_id, ${key}) do update set ${update};`,
      );
    }
  }
  return statements.join('\n');
}

/** Moves the procedure to the end of figure_changes (see migration 2026_12_05_0900_figure_changes). */
const mark = (procedure: string) => `delete from figure_changes where procedure_id = ${procedure};
  insert into figure_changes (procedure_id) values (${procedure});`;

const COLUMNS = 'procedure_id, received_on, due_on, returned_on, outcome, channel';

const deltaTriggers = (db: AnyDb): Trigger[] => [
  { name: 'dossier_stats_on_insert', on: 'after insert on dossiers', body: `${apply(db, 'new', 1)} ${mark('new.procedure_id')}` },
  {
    name: 'dossier_stats_on_update',
    on: `after update of ${COLUMNS} on dossiers`,
    body: `${apply(db, 'old', -1)} ${apply(db, 'new', 1)} ${mark('old.procedure_id')} ${mark('new.procedure_id')}`,
  },
  { name: 'dossier_stats_on_delete', on: 'after delete on dossiers', body: `${apply(db, 'old', -1)} ${mark('old.procedure_id')}` },
];

const dirty = (row: Row) => `insert or ignore into dossier_stats_dirty (procedure_id) values (${row}.procedure_id);`;
const MARKING_TRIGGERS: Trigger[] = [
  { name: 'dossier_stats_on_insert', on: 'after insert on dossiers', body: dirty('new') },
  { name: 'dossier_stats_on_update', on: `after update of ${COLUMNS} on dossiers`, body: `${dirty('old')} ${dirty('new')}` },
  { name: 'dossier_stats_on_delete', on: 'after delete on dossiers', body: dirty('old') },
];

interface Trigger {
  name: string;
  on: string;
  body: string;
}

async function replace(db: AnyDb, triggers: Trigger[]): Promise<void> {
  for (const t of triggers) {
    await dropTrigger(db, t.name, 'dossiers');
    // The bulk import holds them back and recomputes the figures once (dialect/bulk.ts suspendTriggers).
    await createTrigger(db, t.name, t.on, t.body, { suspendable: true });
  }
}

// Rows recomputed earlier stay right; procedures still marked dirty are recomputed by the next read, as before.
export async function up(db: Kysely<any>): Promise<void> {
  await replace(db, deltaTriggers(db));
}

export async function down(db: Kysely<any>): Promise<void> {
  await replace(db, MARKING_TRIGGERS);
}
