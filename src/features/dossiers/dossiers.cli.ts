import type { AppContext } from '../../core/context';

/** `npm run qms -- import:dossiers FILE`: imports the file all-or-nothing and returns a one-line summary. */
export async function importDossiersFile(_ctx: AppContext, _path: string, _fileName: string): Promise<string> {
  throw new Error('import:dossiers is not available yet');
}
