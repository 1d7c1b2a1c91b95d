import type { AppContext } from '../../core/context';
import { findOrganisation } from '../organisation/organisation.queries';
import { importHolidays } from './holidays.import';

/** `npm run qms -- import:holidays FILE`: imports the file all-or-nothing and returns a one-line summary. */
export async function importHolidaysFile(ctx: AppContext, path: string, fileName: string): Promise<string> {
  const timeZone = (await findOrganisation(ctx.db))?.time_zone ?? ctx.config.timeZone;
  const s = await importHolidays(ctx, { path }, fileName, null, timeZone);
  const moved = s.dossiersMoved > 0 ? `; due dates of ${s.dossiersMoved} dossiers recomputed` : '';
  return `${fileName}: ${s.rows} rows — ${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged${moved}`;
}
