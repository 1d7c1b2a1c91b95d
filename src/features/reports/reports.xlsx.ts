import ExcelJS from 'exceljs';
import type { CsvCell } from './reports.csv';

/**
 * A register as one XLSX sheet (the same rows as its CSV): the translated headers in bold on a frozen first row, then
 * one row per record. The sheet's name is the title without the characters Excel refuses, cut to 31 characters.
 */
export async function tableXlsx(sheetTitle: string, headers: readonly string[], rows: readonly (readonly CsvCell[])[], firstWidth = 24): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'qms-tracker';
  const name = sheetTitle.replace(/[[\]*?/\\:]/g, ' ').slice(0, 31) || 'Sheet';
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow([...headers]).font = { bold: true };
  for (const row of rows) ws.addRow(row.map((v) => (v === undefined ? null : v)));
  ws.getColumn(1).width = firstWidth;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
