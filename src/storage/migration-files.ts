import { readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Store } from './store';

const MIGRATIONS_DIR = join(__dirname, 'migrations');
/**
 * migrations/NNN-name.ts, or the .js the build makes of it: the extension this module has
 * itself, .ts where Jest runs the sources, .js in dist/.
 */
const MIGRATION_FILE = new RegExp(`^(\\d{3})-([a-z0-9-]+)\\${extname(__filename)}$`);

export interface Migration {
  version: number;
  /** NNN-name: what schema_migrations records (the release that wrote SQL kept NNN-name.sql). */
  name: string;
  up(db: Store): Promise<void>;
}

/** The numbered migrations, one set for both dialects, in order. */
export async function migrations(): Promise<Migration[]> {
  const found = readdirSync(MIGRATIONS_DIR)
    .sort()
    .flatMap((file) => {
      const match = MIGRATION_FILE.exec(file);
      return match ? [{ version: Number(match[1]), name: `${match[1]}-${match[2]}`, file }] : [];
    });
  return Promise.all(
    found.map(async ({ version, name, file }) => {
      const { up } = (await import(join(MIGRATIONS_DIR, file))) as Pick<Migration, 'up'>;
      return { version, name, up };
    }),
  );
}
