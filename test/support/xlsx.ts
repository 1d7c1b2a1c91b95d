import ExcelJS from 'exceljs';
import type { SignedIn } from './app';

/** GETs an XLSX download as the signed-in user and opens it: the answer's status and the workbook (undefined unless 200). */
export async function fetchWorkbook(who: SignedIn, path: string): Promise<{ status: number; wb: ExcelJS.Workbook | undefined }> {
  const res = await who.agent
    .get(path)
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
  if (res.status !== 200) return { status: res.status, wb: undefined };
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body as never);
  return { status: res.status, wb };
}
