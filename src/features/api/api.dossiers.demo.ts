import type { AppContext } from '../../core/context';
import { addDays, todayLocal } from '../../core/calendar';
import { organisationOf } from '../../core/db/scope';
import { organisationTimeZone } from '../dossiers/dossiers.import.service';
import type { ApiCaller } from './api.http';
import { pushDossiers } from './api.dossiers.service';
import type { DossierItem } from './api.dossiers.schemas';

/**
 * The demo's push from the one-stop system (issue 28): eight dossiers of the last days, sent as a batch through the
 * API's own service by the token `tokenName`, so that the import history shows a push "API: <token name>" and the
 * audit log its entry. Uses demo procedure codes (procedures.demo.ts); due dates as the one-stop system gives them.
 * The same push again changes nothing.
 */
export async function demoApiPush(ctx: AppContext, tokenName: string): Promise<{ created: number; updated: number; unchanged: number }> {
  const timeZone = await organisationTimeZone(ctx);
  const now = ctx.clock.now();
  const today = todayLocal(now, timeZone);
  const caller: ApiCaller = {
    tokenId: 0,
    tokenName,
    organisationId: organisationOf(ctx.db),
    scopes: ['dossiers:write'],
    timeZone,
    today,
    readOnly: false,
    lang: 'vi',
  };
  const day = (n: number) => addDays(today, -n);
  const key = today.slice(2).replace(/-/g, '');
  const code = (n: number) => `000.00.17.H40-${key}-API${n}`;
  const items: DossierItem[] = [
    { code: code(1), procedure_code: 'QT-BTXH-01', received_at: `${day(6)}T08:10:00+07:00`, due_date: day(-4), channel: 'online', status: 'Đang xử lý' },
    {
      code: code(2),
      procedure_code: 'QT-BTXH-01',
      received_at: `${day(6)}T09:25:00+07:00`,
      due_date: day(-4),
      returned_at: `${day(1)}T15:00:00+07:00`,
      channel: 'direct',
    },
    { code: code(3), procedure_code: 'QT-TE-01', received_at: `${day(5)}T10:05:00+07:00`, due_date: day(-2), channel: 'online', status: 'Chờ bổ sung' },
    {
      code: code(4),
      procedure_code: 'QT-TE-01',
      received_at: `${day(4)}T14:30:00+07:00`,
      due_date: day(-3),
      returned_at: `${day(2)}T09:00:00+07:00`,
      outcome: 'withdrawn',
    },
    { code: code(5), procedure_code: 'QT-NCC-01', received_at: `${day(3)}T08:45:00+07:00`, due_date: day(-7), channel: 'postal' },
    { code: code(6), procedure_code: 'QT-NCC-02', received_at: `${day(3)}T15:20:00+07:00`, due_date: day(-6), channel: 'online', status: 'Đang giải quyết' },
    { code: code(7), procedure_code: 'QT-BTXH-04', received_at: `${day(2)}T07:50:00+07:00`, due_date: day(-5), returned_at: `${day(0)}T08:30:00+07:00` },
    { code: code(8), procedure_code: 'QT-BTXH-06', received_at: `${day(1)}T10:40:00+07:00`, due_date: day(-8), channel: 'online' },
  ];
  const out = await pushDossiers(ctx, caller, items);
  return { created: out.created, updated: out.updated, unchanged: out.unchanged };
}
