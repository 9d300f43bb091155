import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Kysely } from 'kysely';
import { AppConfig } from '../config/app-config';
import { migrated } from './migrator';
import { SqliteFile } from './sqlite-file';
import { postgresStore, sqliteStore, Store } from './store';

/**
 * The store, migrated before anything that injects it is made, so the bridge never serves
 * an old schema. SqliteFile is null on PostgreSQL: what needs the file (a backup, the disk
 * check) says so when it is missing.
 */
@Global()
@Module({
  providers: [
    {
      provide: SqliteFile,
      inject: [AppConfig],
      useFactory: (config: AppConfig): SqliteFile | null =>
        config.databaseUrl ? null : new SqliteFile(config.databasePath),
    },
    {
      provide: Kysely,
      inject: [AppConfig, SqliteFile],
      useFactory: async (config: AppConfig, file: SqliteFile | null): Promise<Store> => {
        return migrated(file ? sqliteStore(file.db) : openPostgres(config));
      },
    },
  ],
  exports: [SqliteFile, Kysely],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    @Inject(SqliteFile) private readonly file: SqliteFile | null,
    @Inject(Kysely) private readonly store: Store,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    // On SQLite this closes the connection both share; close() after it is a no-op.
    await this.store.destroy();
    this.file?.close();
  }
}

function openPostgres(config: AppConfig): Store {
  const logger = new Logger('Database');
  return postgresStore(config.databaseUrl!, config.databaseTimeouts, (error) =>
    logger.warn(`An idle PostgreSQL connection failed: ${error.message}`),
  );
}
