import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dialect } from './database';

const MIGRATIONS_DIR = join(__dirname, 'migrations');
const MIGRATION_FILE = /^(\d{3})-[a-z0-9-]+\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The numbered migrations of a dialect, in order: migrations/NNN-name.sql for SQLite and
 * migrations/postgres/NNN-name.sql for PostgreSQL, numbered alike.
 */
export function migrationsFor(dialect: Dialect): Migration[] {
  const dir = dialect === 'sqlite' ? MIGRATIONS_DIR : join(MIGRATIONS_DIR, dialect);
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const match = MIGRATION_FILE.exec(name);
      if (!match) return [];
      return [{ version: Number(match[1]), name, sql: readFileSync(join(dir, name), 'utf8') }];
    });
}
