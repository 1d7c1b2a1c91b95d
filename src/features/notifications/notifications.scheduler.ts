import type { AppContext } from '../../core/context';
import { todayLocal } from '../../core/calendar';
import { maybeOrganisationOf, scopedDb } from '../../core/db/scope';
import { listActiveOrganisationZones } from '../documents/documents.refs.queries';
import { runReminders, type ReminderRunResult } from './notifications.reminders';
import { findReminderRun } from './notifications.reminders.queries';

/** The local hour from which the day's reminders are computed (people find them when they start work). */
export const RUN_FROM_HOUR = 7;
/** How often the server's scheduler looks whether a day's run is due. */
export const CHECK_EVERY_MS = 10 * 60_000;

export interface OrganisationRun extends ReminderRunResult {
  organisationId: number;
  runOn: string;
}

/** The local hour (0–23) of an instant in a time zone. */
function localHour(at: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(at));
}

/**
 * The day's reminder run for every active organisation (or the handle's one), each for its own local date (or `date`
 * when given, the CLI's `--date`) and with its own scoped handle. `fromHour`: skip an organisation whose local time
 * is earlier (the scheduler); an organisation whose run of the day is done is skipped cheaply.
 */
export async function runDueReminders(ctx: AppContext, options: { date?: string; fromHour?: number } = {}): Promise<OrganisationRun[]> {
  const at = ctx.clock.now();
  const done: OrganisationRun[] = [];
  for (const org of await listActiveOrganisationZones(ctx.db, maybeOrganisationOf(ctx.db))) {
    const zone = org.time_zone || ctx.config.timeZone;
    if (options.fromHour !== undefined && localHour(at, zone) < options.fromHour) continue;
    const db = scopedDb(ctx.db, org.id);
    const runOn = options.date ?? todayLocal(at, zone);
    if (await findReminderRun(db, runOn)) {
      done.push({ organisationId: org.id, runOn, ran: false, notices: 0, digests: 0 });
      continue;
    }
    done.push({ organisationId: org.id, runOn, ...(await runReminders(db, runOn, at)) });
  }
  return done;
}

/**
 * The server's scheduler: at start and every CHECK_EVERY_MS, runs the day's reminders of each organisation whose
 * local time is past RUN_FROM_HOUR and whose day is not done (the run's own row makes two servers on one database
 * run it once). A failed check is logged and tried again at the next. `stop()` clears the timer and waits for a
 * check under way.
 */
export function startScheduler(ctx: AppContext, log: (message: string, err?: unknown) => void = console.error): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  let stopped = false;
  const check = () => {
    if (stopped || running) return;
    running = runDueReminders(ctx, { fromHour: RUN_FROM_HOUR })
      .then(() => undefined)
      .catch((err: unknown) => log('computing reminders failed', err))
      .finally(() => {
        running = undefined;
      });
  };
  check();
  const timer = setInterval(check, CHECK_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
