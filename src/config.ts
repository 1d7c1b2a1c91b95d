import { z } from 'zod';

/** The only reader of process.env. Everything else receives a frozen Config. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_PATH: z.string().min(1).default('data/qms.sqlite'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/./, 'a postgres:// URL')
    .optional(),
  FILES_PATH: z.string().min(1).optional(),
  PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'an http(s):// address without query')
    .optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).max(200).optional(),
  QMS_TIMEZONE: z.string().min(1).default('Asia/Ho_Chi_Minh'),
  TRUST_PROXY: z
    .string()
    .regex(
      /^(\d{1,2}|loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+))*$/,
      'a hop count or proxy addresses',
    )
    .optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 7)
    .default(10),
  UPLOAD_MAX_MB: z.coerce.number().min(1).max(200).default(20),
  QMS_PASSWORD: z.string().optional(),
  AUDIT_KEY_FILE: z.string().min(1).optional(),
  AUDIT_HEAD_FILE: z.string().min(1).optional(),
  QMS_CREATE_DATABASE: z.enum(['0', '1']).optional(),
  /** Tests only (honoured with NODE_ENV=test): restore reports each step on stderr and waits this long after it. */
  QMS_TEST_RESTORE_PAUSE_MS: z.coerce.number().int().min(0).max(60_000).optional(),
  /** Tests only (honoured with NODE_ENV=test): the e-mail sender waits this long between sending a message and recording it. */
  QMS_TEST_SENDER_PAUSE_MS: z.coerce.number().int().min(0).max(600_000).optional(),
  FUZZ_RUNS: z.coerce.number().int().min(1).optional(),
  CRASH_ITERATIONS: z.coerce.number().int().min(1).optional(),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databasePath: string;
  /** DATABASE_URL=postgres://…: the PostgreSQL database (DATABASE_PATH is then not used for the database). */
  readonly databaseUrl: string | undefined;
  readonly filesPath: string;
  /** PUBLIC_URL=https://…: the address citizens reach the app at, printed in the survey cards' QR codes. */
  readonly publicUrl: string | undefined;
  /**
   * SMTP_URL=smtp://user:pass@host:587 (or smtps://…:465): where e-mails are sent (issue 26). Unset: no e-mail is
   * queued, and the in-app inbox alone tells people what waits for them.
   */
  readonly smtpUrl: string | undefined;
  /** MAIL_FROM="Phòng LĐTBXH <qms@example.gov.vn>": the sender of the e-mails; default qms-tracker@<SMTP host>. */
  readonly mailFrom: string | undefined;
  /**
   * TRUST_PROXY: the reverse proxies whose X-Forwarded-For names the client (Express's 'trust proxy': a hop count, or
   * addresses / loopback …); unset, the connection's address is the client's. The sign-in throttle and the survey's
   * rate limits count per client address.
   */
  readonly trustProxy: number | string | undefined;
  readonly timeZone: string;
  readonly production: boolean;
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly sessionIdleMs: number;
  readonly sessionAbsoluteMs: number;
  readonly uploadMaxBytes: number;
  /** Password given to the CLI through the environment (user:add). */
  readonly cliPassword: string | undefined;
  readonly fuzzRuns: number | undefined;
  /** The audit-log key (HMAC-SHA256), outside the database: `AUDIT_KEY_FILE`, default `audit.key` in the database's folder. */
  readonly auditKeyFile: string;
  /** The signed head of the audit log (rows, last id, last hash), rewritten after each commit that adds rows. */
  readonly auditHeadFile: string;
  /** QMS_CREATE_DATABASE=1: create a new database even in an existing file that holds none (0 bytes, no tables). */
  readonly createDatabase: boolean;
  readonly testRestorePauseMs: number | undefined;
  /** Tests only: the sender's pause between sending and recording (so a test can kill it there). */
  readonly testSenderPauseMs: number | undefined;
  readonly crashIterations: number | undefined;
}

export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`Invalid configuration: ${first?.path.join('.')}: ${first?.message}`);
  }
  const e = parsed.data;
  const databasePath = e.DATABASE_PATH;
  const dir = databasePath === ':memory:' ? 'data' : databasePath.replace(/[^/\\]*$/, '') || '.';
  const folder = dir.replace(/[/\\]$/, '');
  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    databasePath,
    databaseUrl: e.DATABASE_URL,
    filesPath: e.FILES_PATH ?? `${folder}/files`,
    publicUrl: e.PUBLIC_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    trustProxy: e.TRUST_PROXY === undefined ? undefined : /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
    timeZone: e.QMS_TIMEZONE,
    production: e.NODE_ENV === 'production',
    nodeEnv: e.NODE_ENV,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
    uploadMaxBytes: Math.round(e.UPLOAD_MAX_MB * 1024 * 1024),
    cliPassword: e.QMS_PASSWORD,
    fuzzRuns: e.FUZZ_RUNS,
    crashIterations: e.CRASH_ITERATIONS,
    auditKeyFile: e.AUDIT_KEY_FILE ?? `${folder}/audit.key`,
    auditHeadFile: e.AUDIT_HEAD_FILE ?? `${databasePath}.audit-head`,
    createDatabase: e.QMS_CREATE_DATABASE === '1',
    testRestorePauseMs: e.NODE_ENV === 'test' ? e.QMS_TEST_RESTORE_PAUSE_MS : undefined,
    testSenderPauseMs: e.NODE_ENV === 'test' ? e.QMS_TEST_SENDER_PAUSE_MS : undefined,
    ...overrides,
  };
  return Object.freeze(config);
}
