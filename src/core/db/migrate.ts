import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db } from './database';

const migrationFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Reads every dated migration file of the folder. Kysely's FileMigrationProvider would do the same,
 * but its import() runs outside our loader (tsx, vitest), which cannot then load TypeScript.
 */
class FolderMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const file of (await fs.readdir(migrationFolder)).sort()) {
      if (!/^\d{4}_\d{2}_\d{2}_\d{4}_[\w-]+\.(ts|js)$/.test(file)) continue;
      const module = (await import(pathToFileURL(path.join(migrationFolder, file)).href)) as Migration;
      migrations[file.replace(/\.(ts|js)$/, '')] = { up: module.up, down: module.down };
    }
    return migrations;
  }
}

export function createMigrator(db: Db): Migrator {
  return new Migrator({ db, provider: new FolderMigrationProvider(), allowUnorderedMigrations: true });
}

/** Migrates to the latest version; throws with the failing migration's name when one fails. */
export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const result = await createMigrator(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${reason}`);
  }
  return result;
}
