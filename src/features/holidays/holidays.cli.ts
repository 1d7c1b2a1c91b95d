import type { AppContext } from '../../core/context';

/** `npm run qms -- import:holidays FILE`: imports the file all-or-nothing and returns a one-line summary. */
export async function importHolidaysFile(_ctx: AppContext, _path: string, _fileName: string): Promise<string> {
  throw new Error('import:holidays is not available yet');
}
