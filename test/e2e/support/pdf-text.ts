import { inflateSync } from 'node:zlib';

/**
 * The text of a PDF printed by Chromium (Skia), without any extra package: enough to check what a printed
 * page says. Skia writes Type0 fonts with Identity-H glyph ids and a ToUnicode CMap, Flate-compressed content
 * streams, and text in hex strings shown with Tj/TJ. Glyph ids are turned back into characters through each
 * font's ToUnicode map; text runs far apart on a line are separated by a space. Returns one string per page
 * (NFC-normalised). Not a general PDF reader.
 */
interface PdfObject {
  dict: string;
  stream?: Buffer;
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\s*/g;
  let m: RegExpExecArray | null;
  while ((m = header.exec(text))) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    if (end < 0) break;
    const body = text.slice(start, end);
    const s = body.indexOf('stream');
    if (s < 0) {
      objects.set(Number(m[1]), { dict: body });
    } else {
      const dict = body.slice(0, s);
      const length = Number(/\/Length (\d+)/.exec(dict)?.[1] ?? -1);
      let dataStart = start + s + 'stream'.length;
      if (text[dataStart] === '\r') dataStart++;
      if (text[dataStart] === '\n') dataStart++;
      const raw = pdf.subarray(dataStart, length >= 0 ? dataStart + length : start + body.lastIndexOf('endstream'));
      let stream = raw;
      if (/\/FlateDecode/.test(dict)) {
        try {
          stream = inflateSync(raw);
        } catch {
          stream = Buffer.alloc(0);
        }
      }
      objects.set(Number(m[1]), { dict, stream });
    }
    header.lastIndex = end;
  }
  return objects;
}

/** Glyph id (hex) → text, from a ToUnicode CMap (bfchar and bfrange, both forms). */
function parseCMap(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  const utf16 = (hex: string) => {
    const units: number[] = [];
    for (let i = 0; i < hex.length; i += 4) units.push(parseInt(hex.slice(i, i + 4), 16));
    return String.fromCharCode(...units);
  };
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const pair of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(pair[1].toUpperCase(), utf16(pair[2]));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const range of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])/g)) {
      const from = parseInt(range[1], 16);
      const to = parseInt(range[2], 16);
      const width = range[1].length;
      const key = (n: number) => n.toString(16).toUpperCase().padStart(width, '0');
      if (range[3].startsWith('[')) {
        const targets = [...range[3].matchAll(/<([0-9a-fA-F]+)>/g)].map((t) => utf16(t[1]));
        targets.forEach((t, i) => map.set(key(from + i), t));
      } else {
        const base = range[3].slice(1, -1);
        const first = parseInt(base, 16);
        for (let n = from; n <= to; n++) map.set(key(n), utf16((first + n - from).toString(16).padStart(base.length, '0')));
      }
    }
  }
  return map;
}

const ref = (dict: string, key: string) => Number(new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict)?.[1] ?? NaN);

interface Font {
  cmap: Map<string, string>;
  /** Advance width of each glyph id, in thousandths of the font size. */
  widths: Map<number, number>;
  defaultWidth: number;
}

/** The /W array of a CIDFont: `c [w1 w2 …]` and `cFirst cLast w`. */
function parseWidths(w: string): Map<number, number> {
  const widths = new Map<number, number>();
  const tokens = w.match(/\[|\]|-?[\d.]+/g) ?? [];
  let i = 0;
  while (i < tokens.length) {
    const first = Number(tokens[i++]);
    if (tokens[i] === '[') {
      i++;
      let c = first;
      while (i < tokens.length && tokens[i] !== ']') widths.set(c++, Number(tokens[i++]));
      i++;
    } else {
      const last = Number(tokens[i++]);
      const width = Number(tokens[i++]);
      for (let c = first; c <= last; c++) widths.set(c, width);
    }
  }
  return widths;
}

/** Font resource name → its ToUnicode map and glyph widths, for the fonts a page's resources name. */
function fontsOf(objects: Map<number, PdfObject>, page: PdfObject): Map<string, Font> {
  let resources = page.dict;
  const resRef = ref(page.dict, 'Resources');
  if (!Number.isNaN(resRef)) resources = objects.get(resRef)?.dict ?? '';
  let fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(resources)?.[1] ?? '';
  const fontRef = ref(resources, 'Font');
  if (!Number.isNaN(fontRef)) fontDict = objects.get(fontRef)?.dict ?? '';
  const fonts = new Map<string, Font>();
  for (const f of fontDict.matchAll(/\/([^\s/<>]+)\s+(\d+) 0 R/g)) {
    const font = objects.get(Number(f[2]));
    if (!font) continue;
    const toUnicode = objects.get(ref(font.dict, 'ToUnicode'));
    const descendant = /\/DescendantFonts\s*\[\s*(\d+) 0 R/.exec(font.dict)?.[1];
    const cid = descendant ? (objects.get(Number(descendant))?.dict ?? '') : '';
    const w = /\/W\s*(\d+) 0 R/.exec(cid)?.[1];
    const wText = w ? (objects.get(Number(w))?.dict ?? '') : (/\/W\s*(\[[\s\S]*\])/.exec(cid)?.[1] ?? '');
    fonts.set(f[1], {
      cmap: toUnicode?.stream ? parseCMap(toUnicode.stream.toString('latin1')) : new Map(),
      widths: parseWidths(wText.replace(/^\s*\[|\]\s*$/g, '')),
      defaultWidth: Number(/\/DW\s+([\d.]+)/.exec(cid)?.[1] ?? 1000),
    });
  }
  return fonts;
}

/**
 * Replays the text operators: a new line when the baseline moves, a space when a run starts clearly to the
 * right of where the previous one ended (table cells, words split across fallback fonts are joined).
 */
function showText(content: string, fonts: Map<string, Font>): string {
  let out = '';
  let font: Font | undefined;
  let size = 12;
  let lineX = 0;
  let endX: number | undefined;
  const tokens =
    /\/([^\s/[\]<>()]+)\s+([\d.]+)\s+Tf|([\d.-]+)\s+([\d.-]+)\s+Td|[\d.-]+\s+[\d.-]+\s+[\d.-]+\s+[\d.-]+\s+([\d.-]+)\s+([\d.-]+)\s+Tm|\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g;
  let x = 0;
  let lineY = 0;
  let lastY: number | undefined;
  const show = (hex: string) => {
    if (lastY !== undefined && Math.abs(lineY - lastY) > size * 0.3) out += '\n';
    else if (endX !== undefined && Math.abs(x - endX) > size * 0.2 && !out.endsWith(' ')) out += ' ';
    lastY = lineY;
    for (let i = 0; i + 4 <= hex.length; i += 4) {
      const gid = hex.slice(i, i + 4).toUpperCase();
      out += font?.cmap.get(gid) ?? '';
      x += ((font?.widths.get(parseInt(gid, 16)) ?? font?.defaultWidth ?? 1000) / 1000) * size;
    }
    endX = x;
  };
  for (const t of content.matchAll(tokens)) {
    if (t[1]) {
      font = fonts.get(t[1]);
      size = Number(t[2]);
    } else if (t[3] !== undefined) {
      lineX += Number(t[3]);
      lineY += Number(t[4]);
      x = lineX;
    } else if (t[5] !== undefined) {
      lineX = Number(t[5]);
      lineY = Number(t[6]);
      x = lineX;
    } else if (t[7] !== undefined) {
      for (const part of t[7].matchAll(/<([0-9a-fA-F]*)>|(-?[\d.]+)/g)) {
        if (part[1] !== undefined) show(part[1]);
        else x -= (Number(part[2]) / 1000) * size;
      }
    } else if (t[8] !== undefined) show(t[8]);
  }
  return out;
}

export function pdfText(pdf: Buffer): string[] {
  const objects = readObjects(pdf);
  const pages: string[] = [];
  for (const obj of objects.values()) {
    if (!/\/Type\s*\/Page\b/.test(obj.dict)) continue;
    const fonts = fontsOf(objects, obj);
    const contents = /\/Contents\s+(\d+) 0 R/.exec(obj.dict)?.[1];
    const ids = contents ? [Number(contents)] : [...(/\/Contents\s*\[([^\]]*)\]/.exec(obj.dict)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((r) => Number(r[1]));
    const text = ids.map((id) => showText(objects.get(id)?.stream?.toString('latin1') ?? '', fonts)).join('\n');
    pages.push(text.normalize('NFC'));
  }
  return pages;
}

/** Page count as the PDF declares it (the /Count of the page tree). */
export function pdfPageCount(pdf: Buffer): number {
  const counts = [...pdf.toString('latin1').matchAll(/\/Type\s*\/Pages\b[\s\S]*?\/Count\s+(\d+)/g)].map((m) => Number(m[1]));
  return Math.max(0, ...counts);
}
