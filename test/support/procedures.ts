import type { TestApp } from './app';

/** Adds n active procedures QT-X-0000… in one transaction: a register of province size (more than PROCEDURE_SELECT_MAX). */
export function addManyProcedures(t: TestApp, n: number): void {
  const at = t.clock.now().toISOString();
  const insert = t.ctx.sqlite.prepare('insert into procedures (code, title, field, search_text, created_at, updated_at) values (?, ?, ?, ?, ?, ?)');
  t.ctx.sqlite.transaction(() => {
    for (let i = 0; i < n; i++) insert.run(`QT-X-${String(i).padStart(4, '0')}`, `Quy trình số ${i}`, 'Khác', `qt-x-${i}`, at, at);
  })();
}
