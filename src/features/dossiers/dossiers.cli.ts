import type { AppContext } from '../../core/context';
import { importDossiers } from './dossiers.import.service';

/** `npm run qms -- import:dossiers FILE`: imports the file all-or-nothing and returns a one-line summary. */
export async function importDossiersFile(ctx: AppContext, path: string, fileName: string): Promise<string> {
  const s = await importDossiers(ctx, { path }, { fileName, actorId: null, via: 'cli' });
  return `${fileName}: ${s.rows} rows — ${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged (import #${s.importId}, sha256 ${s.sha256})`;
}
