import type { AppContext } from '../../core/context';
import { importDossiers, settleAfterImport } from './dossiers.import.service';

/**
 * `npm run qms -- import:dossiers FILE`: imports the file all-or-nothing and returns a one-line summary. Safe while the
 * server runs: the server reads beside the import's transaction and answers its writes 503 (Retry-After) until it
 * commits; this process then settles the database after the import itself (settleAfterImport: on SQLite, copies
 * the new pages into the database file).
 */
export async function importDossiersFile(ctx: AppContext, path: string, fileName: string): Promise<string> {
  const s = await importDossiers(ctx, { path }, { fileName, actorId: null, via: 'cli' });
  await settleAfterImport(ctx);
  const slips = s.slips ? `, ${s.slips} apology slip${s.slips === 1 ? '' : 's'} recorded` : '';
  return `${fileName}: ${s.rows} rows — ${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged${slips} (import #${s.importId}, sha256 ${s.sha256})`;
}
