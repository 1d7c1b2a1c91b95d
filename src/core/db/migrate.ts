import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { startKeyedChain } from '../audit-log/audit-chain';
import { auditKeyOfDb, type Db } from './database';
import { MIGRATIONS } from './migrations/index';
import { forgetColumnTypes } from './dialect/bulk';

/** The dated migrations of migrations/index.ts (a static list, so that the built server carries them). */
class ListedMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return { ...MIGRATIONS };
  }
}

/** A migrator of the database; the column types bulk writes keep for it are forgotten (the schema is about to change). */
export function createMigrator(db: Db): Migrator {
  forgetColumnTypes(db);
  return new Migrator({ db, provider: new ListedMigrationProvider(), allowUnorderedMigrations: true });
}

/**
 * Migrates to the latest version; throws with the failing migration's name when one fails. Then, on a database
 * opened with an audit key (openDatabase), records once where the audit log's keyed chain begins.
 */
export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const result = await createMigrator(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${reason}`);
  }
  forgetColumnTypes(db);
  await startAuditChain(db);
  return result;
}

/**
 * On a database opened with an audit key (openDatabase), records once where the audit log's keyed chain begins: what
 * migrateToLatest does last, and all it does to a copy of a database that is migrated already.
 */
export async function startAuditChain(db: Db): Promise<void> {
  const key = auditKeyOfDb(db);
  if (key) await startKeyedChain(db, key, new Date());
}
