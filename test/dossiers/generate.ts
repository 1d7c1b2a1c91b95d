import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/**
 * Writes a large, valid dossier CSV without holding it in memory: a mix of date forms (ISO date-time, Vietnamese
 * date-time, bare date), computed and given due dates, returned / withdrawn / pending dossiers, the three channels,
 * and a personal-data column (applicant name) that the import must ignore.
 */
export async function writeDossierCsv(path: string, rows: number, procedureCodes: string[], prefix = 'HS'): Promise<void> {
  const out = createWriteStream(path);
  out.write('\uFEFFcode,procedure_code,received_at,due_date,returned_at,outcome,channel,applicant_name\n');
  const channels = ['direct', 'online', 'postal', 'trực tuyến', ''];
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const day = 1 + (i % 28);
    const month = 1 + (Math.floor(i / 28) % 9);
    const mm = String(month).padStart(2, '0');
    const dd = String(day).padStart(2, '0');
    const received = i % 3 === 0 ? `2025-${mm}-${dd}T08:${String(i % 60).padStart(2, '0')}:00` : i % 3 === 1 ? `${dd}/${mm}/2025 14:30` : `2025-${mm}-${dd}`;
    const due = i % 5 === 0 ? `2025-${String(month + 1).padStart(2, '0')}-${dd}` : '';
    const pending = i % 10 === 7;
    const returned = pending ? '' : `2025-${String(month + 1).padStart(2, '0')}-01T10:00:00+07:00`;
    const outcome = pending ? '' : i % 50 === 3 ? 'withdrawn' : i % 2 === 0 ? 'returned' : '';
    chunk += `${prefix}-${String(i).padStart(8, '0')},${procedureCodes[i % procedureCodes.length]},${received},${due},${returned},${outcome},${channels[i % channels.length]},"Nguyễn Văn ${i}, xã Nghĩa Lâm"\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
