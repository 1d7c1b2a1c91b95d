import { loadConfig } from './config';
import { systemClock } from './core/clock';
import { openDatabase } from './core/db/database';
import { migrateToLatest } from './core/db/migrate';
import { createApp } from './app';

/** config → openDatabase → migrateToLatest → createApp → listen; SIGTERM/SIGINT close cleanly. */
async function main(): Promise<void> {
  const config = loadConfig();
  const { db, sqlite, close } = openDatabase(config.databasePath, { quickCheck: true });
  await migrateToLatest(db);
  const app = createApp({ config, db, sqlite, clock: systemClock });
  const server = app.listen(config.port, config.host, () => {
    console.log(`qms-tracker listening on http://localhost:${config.port} (database ${config.databasePath})`);
  });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: closing`);
    server.close(() => {
      void close().then(() => process.exit(0));
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
