import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from './config';
import { systemClock } from './core/clock';
import { holdAppLock, RESTORING } from './core/db/app-lock';
import { backupDatabase } from './core/db/backup';
import { backupKind, checkCopy, configuredKey, manifestAnchors, readManifest } from './core/db/backup-manifest';
import { verifyPostgresDump } from './core/db/backup-postgres';
import { migrateToLatest } from './core/db/migrate';
import { openConfiguredDatabase } from './core/db/open';
import { isPostgresUrl } from './core/db/postgres';
import { restoreDatabase } from './core/db/restore';
import { scopedDb } from './core/db/scope';
import { describeVerify, verify, verifyOrganisation } from './core/audit-log/audit-log';
import type { AppContext } from './core/context';
import { isRole } from './core/http/roles';
import { ImportRowsError, formatRowError, importText } from './core/import';
import { passwordProblem } from './core/security/passwords';
import { USERNAME_PATTERN } from './features/users/users.schemas';
// Every feature's catalog, for the messages the commands print and the texts the demo writes (data only: light).
import './features/catalogs';

/**
 * The `qms` command: `npm run qms -- <command> [args]`. Exit 0 on success; non-zero with a one-line reason.
 * Each command loads the features it needs when it runs (import()), so that an import does not first load every
 * feature of the demo: a dossier import starts faster and with less memory.
 */
class CliError extends Error {}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  if (i === -1) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) throw new CliError(`--${name} needs a value`);
  return value;
}

function positional(args: string[], what: string): string {
  const value = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--') && args[i - 1] !== '--force'));
  if (!value) throw new CliError(`missing ${what}`);
  return value;
}

/**
 * Opens the database (quick_check first, unless `quickCheck: false`), migrates it and runs `fn`. Imports skip the
 * check: it reads the whole file (7 s at 1.5 GB) while the import itself runs in one transaction; the server checks
 * at every start and the backup and restore commands check fully.
 */
async function withContext<T>(config: Config, fn: (ctx: AppContext) => Promise<T>, options: { quickCheck?: boolean } = {}): Promise<T> {
  // The app's lock, shared, as a server holds it (core/db/app-lock.ts): the command is refused while `qms restore`
  // replaces the database (its writes would go into the database being replaced, and be lost), and a restore is
  // refused while the command runs.
  const lock = await holdAppLock(config).catch((err: unknown) => {
    throw err instanceof Error && err.message.startsWith(RESTORING) ? new CliError(RESTORING_NOW) : err;
  });
  try {
    const opened = await openConfiguredDatabase(config, { quickCheck: options.quickCheck ?? true });
    try {
      await migrateToLatest(opened.db);
      return await fn({ config, db: opened.db, sqlite: opened.sqlite, clock: systemClock });
    } finally {
      await opened.close();
    }
  } finally {
    await lock.release();
  }
}

const RESTORING_NOW = 'qms restore is replacing the database: run the command again once the restore has finished';

/**
 * The organisation a command works for: `--org CODE`, which may be left out while the database holds one
 * organisation (a single office sees nothing new). The command's handle is scoped to it (core/db/scope.ts).
 */
async function organisationFor(ctx: AppContext, args: string[]): Promise<AppContext> {
  const code = option(args, 'org');
  const { listOrganisations } = await import('./features/organisation/organisation.queries');
  const all = await listOrganisations(ctx.db);
  let chosen = all.length === 1 && code === undefined ? all[0] : undefined;
  if (code !== undefined) {
    chosen = all.find((o) => o.code.toLowerCase() === code.trim().toLowerCase());
    if (!chosen) throw new CliError(`no organisation with code ${code} (npm run qms -- org:list)`);
  }
  if (!chosen) throw new CliError(`--org CODE is required: this database holds ${all.length} organisations (npm run qms -- org:list)`);
  if (chosen.status === 'read_only') throw new CliError(`organisation ${chosen.code} is read-only (merged into a successor)`);
  return { ...ctx, db: scopedDb(ctx.db, chosen.id) };
}

function readStdin(): string {
  if (process.stdin.isTTY) throw new CliError('set QMS_PASSWORD or pipe the password on standard input');
  return readFileSync(0, 'utf8').replace(/\r?\n$/, '');
}

const commands: Record<string, (args: string[], config: Config) => Promise<string>> = {
  async migrate(_args, config) {
    return withContext(config, async () => 'database migrated to the latest version');
  },

  async 'org:add'(args, config) {
    const code = option(args, 'code');
    const name = option(args, 'name');
    if (!code) throw new CliError('--code is required');
    if (!name) throw new CliError('--name is required');
    const { OrganisationRefused } = await import('./features/organisation/organisation.tree.service');
    const { addOrganisationFromTemplate } = await import('./features/organisations/organisations.template.service');
    const templateCode = option(args, 'template');
    return withContext(config, async (ctx) => {
      try {
        const added = await addOrganisationFromTemplate(
          ctx,
          { code, name, parentCode: option(args, 'parent'), kind: option(args, 'kind'), templateCode },
          null,
        );
        const copied = added.copied ? `; from ${templateCode}: ${added.copied.procedures} procedures, ${added.copied.documents} documents as drafts` : '';
        return `organisation ${added.code} created (id ${added.id})${copied}`;
      } catch (err) {
        if (err instanceof OrganisationRefused) throw new CliError(err.message);
        throw err;
      }
    });
  },

  async 'org:merge'(args, config) {
    const { orgMergeCommand } = await import('./features/organisation/organisation.reorg.cli');
    const { ReorgRefused } = await import('./features/organisation/organisation.reorg.service');
    return withContext(config, async (ctx) => {
      try {
        return await orgMergeCommand(ctx, args);
      } catch (err) {
        if (err instanceof ReorgRefused) throw new CliError(err.message);
        throw err;
      }
    });
  },

  async 'org:split'(args, config) {
    const { orgSplitCommand } = await import('./features/organisation/organisation.reorg.cli');
    const { ReorgRefused } = await import('./features/organisation/organisation.reorg.service');
    return withContext(config, async (ctx) => {
      try {
        return await orgSplitCommand(ctx, args);
      } catch (err) {
        if (err instanceof ReorgRefused) throw new CliError(err.message);
        throw err;
      }
    });
  },

  async 'org:list'(_args, config) {
    const { listOrganisations } = await import('./features/organisation/organisation.queries');
    return withContext(config, async (ctx) => {
      const all = await listOrganisations(ctx.db);
      const children = (parent: number | null) => all.filter((o) => o.parent_id === parent);
      const lines: string[] = [];
      const walk = (parent: number | null, depth: number) => {
        for (const o of children(parent)) {
          lines.push(`${'  '.repeat(depth)}${o.code}\t${o.name || '(settings not filled in yet)'}\t${o.kind}${o.status === 'active' ? '' : `, ${o.status}`}`);
          walk(o.id, depth + 1);
        }
      };
      walk(null, 0);
      return lines.join('\n');
    });
  },

  async 'user:add'(args, config) {
    const username = option(args, 'username')?.trim().toLowerCase();
    const fullName = option(args, 'name')?.trim();
    const role = option(args, 'role');
    const unitCode = option(args, 'unit');
    if (!username || !USERNAME_PATTERN.test(username)) throw new CliError('--username is required: 2–64 of a-z 0-9 . _ -');
    if (!fullName || fullName.length > 100) throw new CliError('--name is required (at most 100 characters)');
    if (!isRole(role)) throw new CliError('--role must be admin, quality_officer, leader, staff or inspector');
    const password = config.cliPassword ?? readStdin();
    const problem = passwordProblem(password);
    if (problem)
      throw new CliError(
        problem === 'validation.password_short' ? 'the password needs at least 10 characters' : 'the password may have at most 128 characters',
      );
    const [{ findUnitByCode }, { createUser, UsernameTaken }, { passwordWeakness }, { WEAKNESS_KEYS }, { translate }] = await Promise.all([
      import('./features/units/units.queries'),
      import('./features/users/users.service'),
      import('./core/security/password-strength'),
      import('./features/users/users.schemas'),
      import('./core/i18n'),
    ]);
    // The rule of every form that sets a password: not common or guessable, not holding the username or full name.
    const weakness = passwordWeakness(password, { username, fullName });
    if (weakness) throw new CliError(translate('en', WEAKNESS_KEYS[weakness]));
    return withContext(config, async (unscoped) => {
      const ctx = await organisationFor(unscoped, args);
      let unitId: number | null = null;
      if (unitCode) {
        const unit = await findUnitByCode(ctx.db, unitCode);
        if (!unit) throw new CliError(`no unit with code ${unitCode}`);
        unitId = unit.id;
      }
      try {
        const id = await createUser(ctx, { username, full_name: fullName, role, unit_id: unitId, email: null, position_title: null, password }, null);
        return `user ${username} created (id ${id}, role ${role})`;
      } catch (err) {
        if (err instanceof UsernameTaken) throw new CliError(`username ${username} is already taken`);
        throw err;
      }
    });
  },

  async 'import:procedures'(args, config) {
    const file = positional(args, 'FILE');
    if (!existsSync(file)) throw new CliError(`no such file: ${file}`);
    // A change of processing days moves the due dates computed from them (src/features/hooks.ts).
    const [{ importProceduresFile }] = await Promise.all([import('./features/procedures/procedures.import'), import('./features/hooks')]);
    return withContext(config, async (ctx) => importProceduresFile(await organisationFor(ctx, args), file, file.split(/[/\\]/).pop()!, null), {
      quickCheck: false,
    });
  },

  async 'import:dossiers'(args, config) {
    const file = positional(args, 'FILE');
    if (!existsSync(file)) throw new CliError(`no such file: ${file}`);
    // The apology slips a dossier file gives are recorded by the apologies feature (src/features/hooks.ts).
    const [{ importDossiersFile }] = await Promise.all([import('./features/dossiers/dossiers.cli'), import('./features/hooks')]);
    return withContext(config, async (ctx) => importDossiersFile(await organisationFor(ctx, args), file, file.split(/[/\\]/).pop()!), { quickCheck: false });
  },

  async 'import:holidays'(args, config) {
    const file = positional(args, 'FILE');
    if (!existsSync(file)) throw new CliError(`no such file: ${file}`);
    // A change of the calendar moves the due dates computed from it (src/features/hooks.ts).
    const [{ importHolidaysFile }] = await Promise.all([import('./features/holidays/holidays.cli'), import('./features/hooks')]);
    // Without --org: everyone's days (the country's calendar); with it: that organisation's own days.
    return withContext(
      config,
      async (ctx) => importHolidaysFile(option(args, 'org') !== undefined ? await organisationFor(ctx, args) : ctx, file, file.split(/[/\\]/).pop()!),
      { quickCheck: false },
    );
  },

  async demo(_args, config) {
    const [{ countUsers }, { runDemo }] = await Promise.all([import('./features/organisation/organisation.queries'), import('./features/demo')]);
    return withContext(config, async (ctx) => {
      if ((await countUsers(ctx.db)) > 0) throw new CliError('demo loads only into an empty database; this one already has users');
      const lines: string[] = [];
      // The model office is the database's first organisation.
      await runDemo({ ...ctx, db: scopedDb(ctx.db, 1) }, (line) => lines.push(line));
      return lines.join('\n');
    });
  },

  async 'notify:run'(args, config) {
    const date = option(args, 'date');
    const { isIsoDate } = await import('./core/calendar');
    if (date !== undefined && !isIsoDate(date)) throw new CliError('--date must be a date YYYY-MM-DD');
    const [{ runDueReminders }] = await Promise.all([import('./features/notifications/notifications.scheduler'), import('./features/hooks')]);
    return withContext(config, async (unscoped) => {
      // Without --org: every active organisation, each for its own local date (what the server's scheduler does).
      const ctx = option(args, 'org') !== undefined ? await organisationFor(unscoped, args) : unscoped;
      const runs = await runDueReminders(ctx, { date });
      const { listOrganisations } = await import('./features/organisation/organisation.queries');
      const codes = new Map((await listOrganisations(ctx.db)).map((o) => [o.id, o.code]));
      if (runs.length === 0) return 'no active organisation';
      const lines = runs.map((r) =>
        r.ran
          ? `${codes.get(r.organisationId)} ${r.runOn}: reminders ${r.notices}, digests ${r.digests}`
          : `${codes.get(r.organisationId)} ${r.runOn}: already done`,
      );
      // Then, when SMTP_URL is set, the due e-mails once (a deployment run by cron may have no server sending them).
      const { sendDueNow } = await import('./features/notifications/notifications.sender');
      const sent = await sendDueNow(ctx, { organisationId: option(args, 'org') !== undefined ? runs[0].organisationId : undefined });
      if (sent) lines.push(`e-mail: sent ${sent.sent}, retrying ${sent.retrying}, failed ${sent.failed}, possibly sent twice ${sent.duplicates}`);
      return lines.join('\n');
    });
  },

  async backup(args, config) {
    return backupDatabase(config, positional(args, 'FILE'), args.includes('--force'));
  },

  async restore(args, config) {
    return restoreDatabase(config, positional(args, 'FILE'), args.includes('--force'));
  },

  async 'db:copy'(args, config) {
    const to = option(args, 'to');
    if (!to || !isPostgresUrl(to)) throw new CliError('--to postgres://user:password@host:port/database is required');
    if (config.databaseUrl) throw new CliError('db:copy copies the SQLite database at DATABASE_PATH: unset DATABASE_URL');
    if (!existsSync(config.databasePath)) throw new CliError(`there is no database at ${config.databasePath}`);
    const { copyToPostgres } = await import('./core/db/copy');
    const result = await copyToPostgres(config, to);
    const rows = result.tables.reduce((n, t) => n + t.rows, 0);
    return [
      `copied ${config.databasePath} to PostgreSQL: ${result.tables.length} tables, ${rows} rows, row counts equal in every table`,
      ...result.tables.filter((t) => t.rows > 0).map((t) => `  ${t.name}: ${t.rows}`),
      `audit log verified on PostgreSQL: ${result.auditRows} rows; run the app with DATABASE_URL set to it and the same AUDIT_KEY_FILE`,
    ].join('\n');
  },

  async 'audit-log:verify'(args, config) {
    const backup = option(args, 'backup');
    if (backup !== undefined) {
      if (!existsSync(backup)) throw new CliError(`no such file: ${backup}`);
      if (backupKind(backup) === 'postgres') {
        // a pg_dump backup: restored into a temporary database on DATABASE_URL's server and verified there
        const checked = await verifyPostgresDump(config, backup);
        if (!checked.chain.ok || checked.chain.empty) throw new CliError(`${backup}: ${describeVerify(checked.chain)}`);
        return `audit log of ${backup} verified: ${describeVerify(checked.chain)}${checked.manifest === 'absent' ? '; no manifest beside it' : ''}`;
      }
      const key = configuredKey(config);
      const manifest = readManifest(backup, key);
      if (manifest.state === 'bad') throw new CliError(`${backup}: ${manifest.reason}`);
      const { chain } = await checkCopy(backup, key, manifestAnchors(manifest, backup));
      if (!chain.ok || chain.empty) throw new CliError(`${backup}: ${describeVerify(chain)}`);
      return `audit log of ${backup} verified: ${describeVerify(chain)}${manifest.state === 'absent' ? '; no manifest beside it' : ''}`;
    }
    const code = option(args, 'org');
    if (code !== undefined)
      return withContext(config, async (ctx) => {
        // read-only (merged) organisations too: their trails are kept and stay verifiable
        const { listOrganisations } = await import('./features/organisation/organisation.queries');
        const chosen = (await listOrganisations(ctx.db)).find((o) => o.code.toLowerCase() === code.trim().toLowerCase());
        if (!chosen) throw new CliError(`no organisation with code ${code} (npm run qms -- org:list)`);
        const result = await verifyOrganisation(ctx.db, chosen.id);
        const what = `audit trail of organisation ${chosen.code}`;
        if (!result.ok)
          throw new CliError(
            result.brokenAt
              ? `${what} broken at row ${result.brokenAt.id} (${result.brokenAt.reason}); ${result.checked} of its rows before it verified`
              : `${what}: ${result.problem ?? 'unknown'}`,
          );
        return `${what} verified: ${result.checked} rows in its own chain (from row ${result.perOrganisationFrom}); audit-log:verify without --org checks the whole database and its anchors`;
      });
    return withContext(config, async (ctx) => {
      const result = await verify(ctx.db);
      if (!result.ok) throw new CliError(describeVerify(result));
      return result.empty ? describeVerify(result) : `audit log verified: ${describeVerify(result)}`;
    });
  },
};

/** What one run of the command printed, and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one command as `npm run qms -- <argv>` would, with `env` as its environment (the process's by default, as
 * loadConfig reads it), and returns what it printed and
 * its exit code instead of printing and exiting: the entry point below prints it; tests call it in-process (a tsx
 * process per command costs 2–3 s of start-up each).
 */
export async function runCli(argv: string[], env?: Record<string, string | undefined>): Promise<CliRun> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) return { code: 2, stdout: '', stderr: `usage: npm run qms -- <${Object.keys(commands).join('|')}> [args]\n` };
  try {
    const config = loadConfig(env);
    return { code: 0, stdout: `${await command(args, config)}\n`, stderr: '' };
  } catch (err) {
    if (err instanceof ImportRowsError) {
      // The CLI has no language setting: Vietnamese, as the interface's default.
      const lines = [`qms ${name}: ${importText('vi', 'import.refused', { n: err.total })}`];
      for (const e of err.errors) lines.push(`  ${formatRowError(e, 'vi', err.labels)}`);
      if (err.total > err.errors.length) lines.push(`  ${importText('vi', 'import.more', { n: err.total - err.errors.length })}`);
      return { code: 1, stdout: '', stderr: `${lines.join('\n')}\n` };
    }
    const message = err instanceof Error ? err.message || err.name : String(err);
    return { code: 1, stdout: '', stderr: `qms ${name}: ${message.split('\n')[0]}\n` };
  }
}

// The entry point (npm run qms): only when this file is the program, not when a test imports runCli. It exits once
// the output is written: an open handle (a pool's timer) must not keep the command alive.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  void runCli(process.argv.slice(2)).then((result) => {
    process.stdout.write(result.stdout, () => process.stderr.write(result.stderr, () => process.exit(result.code)));
  });
}
