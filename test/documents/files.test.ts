import ExcelJS from 'exceljs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keptMarkdown } from '../../src/core/files/markdown';
import { contentDisposition, isSafeLink, markdownHtml, markdownPlainText, renderMarkdown, storeFile, storedPath, UploadRejected } from '../../src/core/files';
import { createTestApp, rows, type TestApp } from '../support/app';
import { PDF, PNG } from './fixtures';

/** core/files: content-checked storage by SHA-256, safe download headers, inert Markdown. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('storeFile', () => {
  it('keeps a PDF under its SHA-256, once, with a files row', async () => {
    const a = await storeFile(t.ctx, { buffer: PDF }, 'Quy trình.pdf');
    expect(a).toMatchObject({ mime: 'application/pdf', ext: 'pdf', size: PDF.length, originalName: 'Quy trình.pdf' });
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    const path = join(t.config.filesPath, a.sha256.slice(0, 2), a.sha256);
    expect(readFileSync(path).equals(PDF)).toBe(true);
    const b = await storeFile(t.ctx, { buffer: PDF }, 'again.pdf');
    expect(b.sha256).toBe(a.sha256);
    expect(await rows(t, 'select sha256, size, mime, ext from files where sha256 = ?', a.sha256)).toEqual([
      { sha256: a.sha256, size: PDF.length, mime: 'application/pdf', ext: 'pdf' },
    ]);
  });

  it('detects the type from the content: PNG, XLSX from a path', async () => {
    expect((await storeFile(t.ctx, { buffer: PNG }, 'scan.pdf')).mime).toBe('image/png');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('BM-01').addRow(['Mã hồ sơ', 'Ngày nhận']);
    const file = join(t.dir, 'upload.bin');
    writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
    const stored = await storeFile(t.ctx, { path: file }, 'C:\\Users\\a\\bieu mau.xlsx');
    expect(stored.ext).toBe('xlsx');
    expect(stored.originalName).toBe('bieu mau.xlsx');
  });

  it('refuses an HTML page named .pdf, plain text and an empty file, writing nothing', async () => {
    const before = await rows(t, 'select count(*) n from files');
    for (const content of ['<!doctype html><script>alert(1)</script>', 'just some text', '']) {
      const err = await storeFile(t.ctx, { buffer: Buffer.from(content) }, 'report.pdf').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UploadRejected);
      expect((err as UploadRejected).messageKey).toBe(content === '' ? 'files.empty' : 'files.rejected_type');
    }
    expect(await rows(t, 'select count(*) n from files')).toEqual(before);
  });

  it('never builds a path from anything but a SHA-256', () => {
    expect(() => storedPath(t.config.filesPath, '../../etc/passwd')).toThrow(RangeError);
    expect(() => storedPath(t.config.filesPath, 'A'.repeat(64))).toThrow(RangeError);
    expect(existsSync(t.config.filesPath)).toBe(true);
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('Quy trình "đặc biệt".pdf')).toBe(
      `attachment; filename="Quy trinh _dac biet_.pdf"; filename*=UTF-8''Quy%20tr%C3%ACnh%20%22%C4%91%E1%BA%B7c%20bi%E1%BB%87t%22.pdf`,
    );
    expect(contentDisposition('a\r\nSet-Cookie: x=1.pdf')).not.toMatch(/[\r\n]/);
  });
});

describe('renderMarkdown', () => {
  it('renders tables, headings and safe links', () => {
    const html = renderMarkdown(
      '## Mục đích\n\n| Bước | Trách nhiệm |\n|---|---|\n| 1 | Bộ phận Một cửa |\n\n[Cổng DVC](https://dichvucong.gov.vn) [thư](mailto:iso@x.vn) [QT](/documents/2)',
    );
    expect(html).toContain('<h2>Mục đích</h2>');
    expect(html).toContain('<td>Bộ phận Một cửa</td>');
    expect(html).toContain('<a href="https://dichvucong.gov.vn" rel="noopener noreferrer nofollow">Cổng DVC</a>');
    expect(html).toContain('<a href="mailto:iso@x.vn">thư</a>');
    expect(html).toContain('<a href="/documents/2">QT</a>');
  });

  it('makes script, javascript: links, event handlers and data: URLs inert', () => {
    const attacks = [
      '<script>alert(1)</script>',
      '[x](javascript:alert(1))',
      '[x](JaVaScRiPt:alert(1))',
      '[x](java\tscript:alert(1))',
      '[x](vbscript:msgbox(1))',
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)">x</a>',
      '![i](data:image/png;base64,iVBORw0KGgo=)',
      '[d](data:text/html;base64,PHNjcmlwdD4=)',
      '<svg onload=alert(1)>',
      '[x](<javascript:alert(1)>)',
    ];
    for (const a of attacks) {
      const html = renderMarkdown(a);
      expect(html, a).not.toMatch(/<script|<img|<svg|<a [^>]*href="(?!https?:|mailto:|\/)/i);
      expect(html, a).not.toMatch(/<[^>]+\son\w+=/i);
      expect(html, a).not.toMatch(/href="(javascript|vbscript|data):/i);
      expect(html, a).not.toMatch(/src="data:/i);
    }
    expect(isSafeLink('https://x.vn')).toBe(true);
    expect(isSafeLink('../a')).toBe(true);
    expect(isSafeLink('java\nscript:alert(1)')).toBe(false);
    expect(isSafeLink('file:///etc/passwd')).toBe(false);
  });

  it('keeps rendered texts within a bound: the same text gives the same HTML, the oldest are dropped first', () => {
    const text = '# Kept\n\n**Bước 1**: tiếp nhận hồ sơ.';
    const first = renderMarkdown(text);
    expect(renderMarkdown(text)).toBe(first);
    expect(renderMarkdown(`${text} Sửa.`)).toBe('<h1>Kept</h1>\n<p><strong>Bước 1</strong>: tiếp nhận hồ sơ. Sửa.</p>\n');
    // 200 distinct texts of 60,000 characters (24 MB of text and HTML): the store stays within its 2,000,000.
    for (let i = 0; i < 200; i++) renderMarkdown(`Văn bản ${i}: ${'chữ '.repeat(15_000)}`);
    const kept = keptMarkdown();
    expect(kept.chars).toBeLessThanOrEqual(2_000_000);
    expect(kept.chars).toBeGreaterThan(1_500_000);
    expect(renderMarkdown('Văn bản 199: chữ')).toBe('<p>Văn bản 199: chữ</p>\n');
  });

  it('wraps the HTML in a SafeString and gives plain text for the search index', () => {
    expect(markdownHtml('**a**').toString()).toBe('<p><strong>a</strong></p>\n');
    expect(markdownPlainText('# Mục đích\n\nQuy trình **này**\nquy định.\n\n| Bước | Trách nhiệm |\n|---|---|\n| 1 | Cán bộ |')).toBe(
      'Mục đích\nQuy trình này quy định.\nBước Trách nhiệm\n1 Cán bộ',
    );
  });
});

describe('uploadedFileName', () => {
  it('repairs a UTF-8 name that multer read as latin1 and leaves a right one alone', async () => {
    const { uploadedFileName } = await import('../../src/core/files');
    expect(uploadedFileName(Buffer.from('Quy trình chi trả.pdf', 'utf8').toString('latin1'))).toBe('Quy trình chi trả.pdf');
    expect(uploadedFileName('Quy trình chi trả.pdf')).toBe('Quy trình chi trả.pdf');
    expect(uploadedFileName('café.pdf')).toBe('café.pdf');
    expect(uploadedFileName('plain.pdf')).toBe('plain.pdf');
  });
});
