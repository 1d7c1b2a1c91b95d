import { sql, type Kysely } from 'kysely';

/**
 * The annual QMS report's period (issue 23): each organisation says which period its yearly report covers —
 * the calendar year ('calendar', the default) or 15 December of the year before to 14 December of the reporting
 * year ('dec15', the periods of the state reporting regime).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organisation')
    .addColumn('annual_period', 'text', (c) =>
      c
        .notNull()
        .defaultTo('calendar')
        .check(sql`annual_period in ('calendar', 'dec15')`),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisation').dropColumn('annual_period').execute();
}
