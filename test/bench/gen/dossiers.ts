import type { AuditCollector, Sqlite } from './db';
import type { Procedures } from './procedures';
import { Days, Rng, weighted } from './random';

/**
 * Dossiers over three years in received order, one import's worth: Zipf-like traffic per procedure, working days
 * only, due dates from the processing time in working days (weekends and the generated holidays skipped), about 70%
 * returned early, 18% on the due date, 10% late, 2% withdrawn, recent ones still pending and a few old ones stuck.
 */
export function generateDossiers(
  db: Sqlite,
  rng: Rng,
  days: Days,
  start: number,
  today: number,
  procs: Procedures,
  audit: AuditCollector,
  count: number,
  importerId: number,
  org: number,
): number {
  const holidays = new Set(
    (db.prepare(`select date from holidays where kind = 'holiday' and cancelled = 0`).pluck().all() as string[]).map((d) => Days.num(d)),
  );
  const workList: number[] = [];
  const workIndexAfter = new Map<number, number>(); // day → index in workList of the first working day strictly after it
  for (let d = start - 5; d < today + 800; d++) {
    workIndexAfter.set(d, workList.length);
    if (!Days.weekend(d) && !holidays.has(d)) workList.push(d);
  }
  const nthWorkingDayAfter = (day: number, n: number) => workList[workIndexAfter.get(day)! + Math.max(0, n - 1)];
  const receivingDays = workList.filter((d) => d >= start && d < today);

  const importAt = days.instant(start, 7 * 60);
  const importId = Number(
    db
      .prepare(
        `insert into dossier_imports (organisation_id, file_name, sha256, via, imported_by, imported_at, rows_total, rows_added, rows_updated, rows_unchanged) values (?, ?, ?, 'cli', ?, ?, ?, ?, 0, 0)`,
      )
      .run(org, 'ho-so-tong-hop-3-nam.csv', 'a'.repeat(64), importerId, importAt, count, count).lastInsertRowid,
  );
  audit.add(importAt, importerId, 'import', 'dossier_import', importId, { file_name: 'ho-so-tong-hop-3-nam.csv', rows_total: count, rows_added: count });

  const insert = db.prepare(
    `insert into dossiers (organisation_id, code, procedure_id, received_on, received_at, due_on, due_computed, returned_on, returned_at, outcome, channel, created_import_id, updated_import_id, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const pick = weighted(procs.weights);
  const online = procs.ids.map(() => 0.2 + rng.next() * 0.6);
  let written = 0;
  for (let i = 0; i < receivingDays.length; i++) {
    const r = receivingDays[i];
    const quota = Math.floor(((i + 1) * count) / receivingDays.length) - Math.floor((i * count) / receivingDays.length);
    const rIso = days.of(r);
    for (let k = 0; k < quota; k++) {
      const p = pick(rng.next());
      const pd = procs.processingDays[p];
      const due = nthWorkingDayAfter(r, pd);
      const x = rng.next();
      let t: number | null;
      let outcome: 'returned' | 'withdrawn' | null = 'returned';
      if (x < 0.02) {
        outcome = 'withdrawn';
        t = nthWorkingDayAfter(r, rng.int(1, pd + 3));
      } else if (x < 0.12) t = nthWorkingDayAfter(due, rng.int(1, 15));
      else if (x < 0.3) t = due;
      else t = pd <= 1 ? r : nthWorkingDayAfter(r, rng.int(1, pd - 1));
      if (t >= today || rng.chance(0.003)) {
        t = null;
        outcome = null;
      }
      const code = `HS-${rIso.slice(0, 4)}-${String(++written).padStart(8, '0')}`;
      const channel = rng.next() < online[p] ? 'online' : rng.chance(0.05) ? 'postal' : 'direct';
      insert.run(
        org,
        code,
        procs.ids[p],
        rIso,
        days.instant(r, 7 * 60 + 30 + rng.int(0, 540)),
        days.of(due),
        t === null ? null : days.of(t),
        t === null ? null : days.instant(t, 14 * 60),
        outcome,
        channel,
        importId,
        importId,
        importAt,
        importAt,
      );
    }
  }
  return written;
}
