import unzipper from 'unzipper';
import { expect } from 'vitest';
import type { SignedIn } from '../support/app';

/**
 * Reads a Word file the app sends: the archive's document and styles XML, and the document's text (one line per
 * paragraph, table cells are paragraphs too), as an office would see it in Word.
 */
export interface Docx {
  status: number;
  type: string;
  disposition: string;
  xml: string;
  styles: string;
  text: string;
  lines: string[];
}

const binary = (res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** The text of document.xml: a line per paragraph, tabs kept. */
export function textOf(xml: string): string {
  return decode(
    xml
      .replace(/<w:tab\/>/g, '\t')
      .replace(/<\/w:p>/g, '\n')
      .replace(/<[^>]+>/g, ''),
  );
}

export async function getDocx(user: SignedIn, path: string): Promise<Docx> {
  const res = await user
    .get(path)
    .buffer(true)
    .parse(binary as never);
  const out: Docx = {
    status: res.status,
    type: String(res.headers['content-type'] ?? ''),
    disposition: String(res.headers['content-disposition'] ?? ''),
    xml: '',
    styles: '',
    text: '',
    lines: [],
  };
  if (res.status !== 200 || !out.type.includes('wordprocessingml')) return out;
  const zip = await unzipper.Open.buffer(res.body as Buffer);
  const read = async (name: string) => (await zip.files.find((f) => f.path === name)!.buffer()).toString('utf8');
  out.xml = await read('word/document.xml');
  out.styles = await read('word/styles.xml');
  out.text = textOf(out.xml);
  out.lines = out.text.split('\n').map((l) => l.trim());
  return out;
}

/**
 * What every administrative document carries (PRINT-FORMAT.md): the motto, the number as the print shows it, the
 * signer's title lines and name, the recipients; Times New Roman; A4 with the margins; page numbers from page 2.
 */
export function expectAdministrative(d: Docx, o: { number?: string; signerTitles: string[]; signerName: string; recipients: string[] }) {
  expect(d.status).toBe(200);
  expect(d.type).toContain('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  expect(d.disposition).toMatch(/^attachment; filename="[A-Za-z0-9._-]+\.docx"; filename\*=UTF-8''/);
  expect(d.lines).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
  expect(d.lines).toContain('Độc lập - Tự do - Hạnh phúc');
  if (o.number) expect(d.lines).toContain(o.number);
  else expect(d.text).not.toMatch(/Số: /);
  // The signer block: each title line on its own, then the name, after the recipients.
  const at = d.lines.indexOf(o.signerTitles[0]);
  expect(at, d.text).toBeGreaterThan(-1);
  o.signerTitles.forEach((title, i) => expect(d.lines[at + i]).toBe(title));
  expect(d.lines.slice(at)).toContain(o.signerName);
  const r = d.lines.indexOf('Nơi nhận:');
  expect(r).toBeGreaterThan(-1);
  o.recipients.forEach((line, i) => expect(d.lines[r + 1 + i]).toBe(`- ${line}${i === o.recipients.length - 1 ? '.' : ';'}`));
  expect(d.styles).toContain('w:ascii="Times New Roman"');
  expect(d.xml).toMatch(/<w:pgSz [^>]*w:w="11906" w:h="16838"|<w:pgSz [^>]*w:w="16838" w:h="11906"/);
  expect(d.xml).toContain('<w:pgMar w:top="1134" w:right="851" w:bottom="1134" w:left="1701"');
  expect(d.xml).toContain('<w:titlePg/>');
  expect(d.xml).toMatch(/<w:headerReference w:type="first"/);
  expect(d.xml).toMatch(/<w:headerReference w:type="default"/);
  // Every row of every table is kept whole on its page.
  const rows = d.xml.match(/<w:tr>/g)?.length ?? 0;
  expect(rows).toBeGreaterThan(0);
  expect(d.xml.match(/<w:tr><w:trPr><w:cantSplit\/>/g)?.length).toBe(rows);
}

/** The header rows marked to repeat on every page: the first cells' texts of each such row. */
export function headerRows(xml: string): string[][] {
  return tableRows(xml.replace(/<w:tr><w:trPr><w:cantSplit\/><w:tblHeader\/>/g, '<w:tr data-header="1"><w:trPr>'), true);
}

/** The rows of the tables as arrays of cell texts. */
export function tableRows(xml: string, onlyHeaders = false): string[][] {
  const pattern = onlyHeaders ? /<w:tr data-header="1">([\s\S]*?)<\/w:tr>/g : /<w:tr[^>]*>([\s\S]*?)<\/w:tr>/g;
  return [...xml.matchAll(pattern)].map((m) =>
    [...m[1].matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c) =>
      textOf(c[1])
        .trim()
        .replace(/\n/g, ' ')
        .replace(/\u00a0/g, ' '),
    ),
  );
}
