import { loadConfig } from '../../../src/config';
import { systemClock } from '../../../src/core/clock';
import { openConfiguredDatabase } from '../../../src/core/db/open';
import { startSender } from '../../../src/features/notifications/notifications.sender';

/**
 * A sender process for the tests (`node --import tsx test/notifications/support/sender-process.ts`): the server's own
 * sender loop (startSender) on the database and SMTP server of the environment (DATABASE_PATH or DATABASE_URL,
 * SMTP_URL, QMS_TEST_SENDER_PAUSE_MS), polling every SENDER_INTERVAL_MS; prints "sender ready" when it polls, and
 * stops cleanly on SIGTERM.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const { db, sqlite, close } = await openConfiguredDatabase(config);
  const sender = startSender({ config, db, sqlite, clock: systemClock }, { intervalMs: Number(process.env.SENDER_INTERVAL_MS ?? 50) });
  if (!sender) throw new Error('SMTP_URL is not set');
  process.once('SIGTERM', () => {
    void sender
      .stop()
      .then(close)
      .then(() => process.exit(0));
  });
  console.log('sender ready');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
