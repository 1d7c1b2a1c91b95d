import type { AppContext } from '../../core/context';
import { maybeOrganisationOf } from '../../core/db/scope';
import { findOrganisation } from '../organisation/organisation.queries';
import { importHolidays } from './holidays.import';
import { EVERYONE } from './holidays.queries';

/**
 * `npm run qms -- import:holidays FILE [--org CODE]`: imports the file all-or-nothing and returns a one-line
 * summary. Whose days the file holds follows the handle: scoped to an organisation (the CLI's --org), that
 * organisation's own days; unscoped (no --org), everyone's days, the country's calendar, whose change moves the
 * computed due dates of every active organisation.
 */
export async function importHolidaysFile(ctx: AppContext, path: string, fileName: string): Promise<string> {
  const organisation = maybeOrganisationOf(ctx.db);
  // Dates only (a time is refused), so the zone matters little: the organisation's, or the configured one for everyone's.
  const timeZone = (organisation === undefined ? undefined : (await findOrganisation(ctx.db))?.time_zone) ?? ctx.config.timeZone;
  const s = await importHolidays(ctx, { path }, fileName, null, timeZone, organisation ?? EVERYONE);
  const moved = s.dossiersMoved > 0 ? `; due dates of ${s.dossiersMoved} dossiers recomputed` : '';
  const whose = organisation === undefined ? ' (everyone’s days)' : '';
  return `${fileName}${whose}: ${s.rows} rows — ${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged${moved}`;
}
