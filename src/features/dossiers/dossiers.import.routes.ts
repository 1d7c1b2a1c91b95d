import { rm } from 'node:fs/promises';
import type { AppContext } from '../../core/context';
import { BadRequest } from '../../core/http/errors';
import { pageParam, pager } from '../../core/http/params';
import { QUALITY, READERS } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { uploadToDisk } from '../../core/http/upload';
import { ImportHeaderError, ImportRowsError, importFailureLocals } from '../../core/import';
import { countDossierImports, listDossierImports } from './dossiers.import.queries';
import { importDossiersInWorker } from './dossiers.import.thread';

const IMPORT = 'dossiers/import';
/** Dossier exports are large (a year of a district is about 100 MB as CSV); they stream to a temporary file. */
export const MAX_DOSSIER_UPLOAD_BYTES = 200 * 1024 * 1024;
const PAGE_SIZE = 50;

/** multer hands over the multipart file name as Latin-1; browsers send UTF-8. */
function uploadedName(name: string): string {
  const utf8 = Buffer.from(name, 'latin1').toString('utf8');
  return (utf8.includes('\uFFFD') ? name : utf8).slice(0, 255);
}

export function addImportRoutes(table: RouteTable, ctx: AppContext): void {
  table
    .get('/dossiers/import', QUALITY, (_req, res) => {
      res.render(IMPORT, { pageTitle: 'dossiers.import' });
    })
    .post('/dossiers/import', QUALITY, uploadToDisk('file', MAX_DOSSIER_UPLOAD_BYTES), async (req, res) => {
      if (!req.file) throw new BadRequest('dossiers.import_no_file');
      const fileName = uploadedName(req.file.originalname);
      try {
        // In a worker thread: reading, checking and writing a large file does not hold up other users' pages.
        const s = await importDossiersInWorker(ctx, { path: req.file.path }, { fileName, actorId: req.user!.id, via: 'upload' });
        await setFlash(ctx, req, {
          kind: 'success',
          key: s.slips ? 'dossiers.import_done_slips' : 'dossiers.import_done',
          params: { file: fileName, rows: s.rows, added: s.added, updated: s.updated, unchanged: s.unchanged, slips: s.slips },
        });
        res.redirect(303, '/dossiers/imports');
      } catch (err) {
        if (err instanceof ImportRowsError || err instanceof ImportHeaderError) {
          res.status(422).render(IMPORT, { pageTitle: 'dossiers.import', fileName, ...importFailureLocals(err, req.lang) });
          return;
        }
        throw err;
      } finally {
        await rm(req.file.path, { force: true });
      }
    })
    .get('/dossiers/imports', READERS, async (req, res) => {
      const page = pageParam(req);
      const total = await countDossierImports(ctx.db);
      res.render('dossiers/imports', {
        pageTitle: 'dossiers.imports',
        imports: await listDossierImports(ctx.db, PAGE_SIZE, (page - 1) * PAGE_SIZE),
        pager: pager(page, PAGE_SIZE, total, {}),
        total,
        canImport: req.user!.role === 'admin' || req.user!.role === 'quality_officer',
      });
    });
}
