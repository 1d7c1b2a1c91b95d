import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * Test files that measure their own process (memory growth): each runs in a fresh worker. Every other file shares its
 * worker's loaded modules with the files before it (isolate: false): each test builds its own app on its own
 * database, so nothing but compiled code and templates is shared, and loading the app once per worker instead of
 * once per file takes minutes off a 2-core run.
 */
const OWN_PROCESS = ['test/dossiers/large-import.test.ts'];

/**
 * The longest files, started first so that none of them starts last and runs alone at the end. Vitest orders files
 * by the durations of earlier runs when it has them, and by file size on a fresh clone (where these would start late).
 */
const LONGEST = [
  'test/e2e/pages',
  'test/security/restore-atomic',
  'test/security/import-under-load',
  'test/security/xss', // builds the security suites' shared world first; the others then only copy it
  'test/e2e/documents',
  'test/foundation/cli',
  'test/security/mass-assignment',
  'test/security/audit-chain',
  'test/e2e/audit-nonconformity',
  'test/security/backup',
  'test/security/crash',
  'test/e2e/smoke',
  'test/e2e/dossiers-report',
];

/**
 * The database tests run a second time on PostgreSQL when TEST_DATABASE_URL names a server (.ci/run starts a
 * throw-away one). Browser journeys stay on SQLite (they test the pages, which the PostgreSQL run covers through
 * supertest). Single tests that are about SQLite itself (its file, WAL, pragmas) are skipped inside their files
 * with `skipIf(onPostgres)` and a reason.
 */
const POSTGRES_URL = process.env.TEST_DATABASE_URL;
const SQLITE_ONLY = [
  'test/e2e/**',
  // SQLite's restore of its file, killed at every step, and files that hold no database (PostgreSQL's restore:
  // test/security/backup-postgres.test.ts)
  'test/security/restore-atomic.test.ts',
  // Crawls of every form that check what the HTTP layer does with what it is sent: markup escaped on every page (xss),
  // fields a form does not offer ignored (mass-assignment). Neither depends on the engine, and together they took four
  // minutes of the PostgreSQL run. The engine-dependent side of hostile input (NUL characters, huge numbers, bad dates,
  // fuzzed fields) runs on both: fuzz, nul-characters, bad-dates, errors, records.
  'test/security/xss.test.ts',
  'test/security/mass-assignment.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const i = LONGEST.findIndex((name) => spec.moduleId.endsWith(`/${name}.test.ts`));
      return i < 0 ? LONGEST.length : i;
    };
    return sorted
      .map((spec, i) => ({ spec, i }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.i - b.i)
      .map(({ spec }) => spec);
  }
}

export default defineConfig({
  test: {
    globalSetup: ['test/support/engines-notice.ts'],
    // Password hashes with scrypt N = 2^10 instead of 2^15 (honoured only with NODE_ENV=test: core/security/passwords.ts):
    // the suite's thousand sign-ins took two and a half minutes of the two cores. Inherited by the app's processes
    // the tests start. test/security/passwords.test.ts checks the real work factor without it.
    env: { QMS_TEST_SCRYPT_LOG2_N: '10' },
    exclude: ['test/bench/**', 'node_modules/**'],
    // Safety nets, not measurements: no test's outcome may depend on the machine's speed. A test that hangs still
    // fails, but a slow machine with another busy process (a 2-core CI box) does not turn a passing test red.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core CI machine, and a 15-minute run.
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        extends: true,
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ['test/bench/**', 'node_modules/**', ...OWN_PROCESS], isolate: false },
      },
      { extends: true, test: { name: 'own-process', include: OWN_PROCESS, isolate: true } },
      ...(POSTGRES_URL
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: ['test/**/*.test.ts'],
                exclude: ['test/bench/**', 'node_modules/**', ...OWN_PROCESS, ...SQLITE_ONLY],
                isolate: false,
                env: { QMS_TEST_ENGINE: 'postgres', TEST_DATABASE_URL: POSTGRES_URL },
              },
            },
          ]
        : []),
    ],
  },
});
