import type { AddressInfo } from 'node:net';
import { loadConfig } from './config';
import { systemClock } from './core/clock';
import { nextLocalMidnight } from './core/calendar/zone';
import { holdAppLock } from './core/db/app-lock';
import { openConfiguredDatabase } from './core/db/open';
import { migrateToLatest } from './core/db/migrate';
import { createApp } from './app';
import { activateDueRevisions } from './features/documents/documents.workflow';
import { startScheduler } from './features/notifications/notifications.scheduler';
import { startSender } from './features/notifications/notifications.sender';

/** config → holdAppLock → openConfiguredDatabase → migrateToLatest → createApp → listen; SIGTERM/SIGINT close cleanly. */
async function main(): Promise<void> {
  const config = loadConfig();
  // A file that exists but holds no database is refused (QMS_CREATE_DATABASE=1 overrides); the audit key is created
  // beside the database on the first start (AUDIT_KEY_FILE), and a keyed database without its key does not start.
  // DATABASE_URL=postgres://… runs on PostgreSQL instead (same migrations; the key file as for SQLite).
  // Held for the process's life, released by the system when it ends however it ends: `qms restore` is refused while
  // any app process holds it, and this start is refused while a restore holds it (core/db/app-lock.ts).
  const appLock = await holdAppLock(config, (err) => {
    console.error(`qms-tracker stops: ${err.message}`);
    process.exit(1);
  });
  const { db, sqlite, close } = await openConfiguredDatabase(config, { quickCheck: true });
  await migrateToLatest(db);
  const ctx = { config, db, sqlite, clock: systemClock };
  const app = createApp(ctx);
  // Records the transition of the approved revisions whose date has come (statuses, audit log, search index,
  // notifications). Pages and reports do not wait for it: what is in force is derived from the dates
  // (documents.inforce.queries.ts), and a POST acting on a document records its transition first.
  const activate = () => activateDueRevisions(ctx).catch((err: unknown) => console.error('activating due revisions failed', err));
  await activate();
  const timer = setInterval(() => void activate(), 15 * 60_000);
  timer.unref();
  // and as each day begins in the default zone (one second after 00:00), so the transitions of that day are recorded
  // at once, not up to 15 minutes later (what the search index matches and the notifications follow them)
  let midnight: NodeJS.Timeout | undefined;
  const atMidnight = () => {
    const now = ctx.clock.now();
    midnight = setTimeout(
      () => {
        void activate();
        atMidnight();
      },
      nextLocalMidnight(now, config.timeZone).getTime() + 1000 - now.getTime(),
    );
    midnight.unref();
  };
  atMidnight();
  // The day's due-date reminders, escalations and weekly digests of each organisation, after 07:00 local time.
  const reminders = startScheduler(ctx);
  const sender = startSender(ctx); // e-mail, when SMTP_URL is set (issue 26)
  const server = app.listen(config.port, config.host, () => {
    // the port listened on: PORT=0 lets the system choose a free one (the tests' servers), told here
    const port = (server.address() as AddressInfo | null)?.port ?? config.port;
    console.log(`qms-tracker listening on http://localhost:${port} (database ${config.databaseUrl ? 'PostgreSQL' : config.databasePath})`);
  });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: closing`);
    clearInterval(timer);
    clearTimeout(midnight);
    server.close(() => {
      // a reminder run or a message being sent finishes before the database closes
      void Promise.all([reminders.stop(), sender?.stop()])
        .then(close)
        .then(appLock.release)
        .then(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(`qms-tracker failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
