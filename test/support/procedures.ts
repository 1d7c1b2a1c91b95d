import { sql } from 'kysely';
import type { TestApp } from './app';

/** Adds n active procedures QT-X-0000… in one transaction: a register of province size (more than PROCEDURE_SELECT_MAX). */
export async function addManyProcedures(t: TestApp, n: number): Promise<void> {
  const at = t.clock.now().toISOString();
  const values = Array.from(
    { length: n },
    (_, i) => sql`(${`QT-X-${String(i).padStart(4, '0')}`}, ${`Quy trình số ${i}`}, 'Khác', ${`qt-x-${i}`}, ${at}, ${at}, 1)`,
  );
  await t.ctx.db.transaction().execute(async (trx) => {
    for (let i = 0; i < values.length; i += 500)
      await sql`insert into procedures (code, title, field, search_text, created_at, updated_at, organisation_id) values ${sql.join(values.slice(i, i + 500))}`.execute(
        trx,
      );
  });
}
