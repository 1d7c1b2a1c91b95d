import { z } from 'zod';

/** The only reader of process.env. Everything else receives a frozen Config. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_PATH: z.string().min(1).default('data/qms.sqlite'),
  FILES_PATH: z.string().min(1).optional(),
  QMS_TIMEZONE: z.string().min(1).default('Asia/Ho_Chi_Minh'),
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
  FUZZ_RUNS: z.coerce.number().int().min(1).optional(),
  CRASH_ITERATIONS: z.coerce.number().int().min(1).optional(),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databasePath: string;
  readonly filesPath: string;
  readonly timeZone: string;
  readonly production: boolean;
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly sessionIdleMs: number;
  readonly sessionAbsoluteMs: number;
  readonly uploadMaxBytes: number;
  /** Password given to the CLI through the environment (user:add). */
  readonly cliPassword: string | undefined;
  readonly fuzzRuns: number | undefined;
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
  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    databasePath,
    filesPath: e.FILES_PATH ?? `${dir.replace(/[/\\]$/, '')}/files`,
    timeZone: e.QMS_TIMEZONE,
    production: e.NODE_ENV === 'production',
    nodeEnv: e.NODE_ENV,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
    uploadMaxBytes: Math.round(e.UPLOAD_MAX_MB * 1024 * 1024),
    cliPassword: e.QMS_PASSWORD,
    fuzzRuns: e.FUZZ_RUNS,
    crashIterations: e.CRASH_ITERATIONS,
    ...overrides,
  };
  return Object.freeze(config);
}
