import { migrationsFor } from './migration-files';

describe('migrations', () => {
  const names = (dialect: 'sqlite' | 'postgres') =>
    migrationsFor(dialect).map((migration) => migration.name);

  it('has a PostgreSQL twin, numbered and named alike, for every SQLite migration', () => {
    expect(names('postgres')).toEqual(names('sqlite'));
  });

  it('numbers them 1, 2, 3... without a gap, in order', () => {
    const versions = migrationsFor('sqlite').map((migration) => migration.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });
});
