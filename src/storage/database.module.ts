import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Kysely } from 'kysely';
import { AppConfig } from '../config/app-config';
import { Database } from './database';
import { PostgresDatabase } from './postgres-database';
import { SqliteDatabase } from './sqlite-database';
import { postgresStore, sqliteStore, Store } from './store';

@Global()
@Module({
  providers: [
    {
      provide: Database,
      inject: [AppConfig],
      useFactory: (config: AppConfig): Database =>
        config.databaseUrl
          ? new PostgresDatabase(config.databaseUrl)
          : new SqliteDatabase(config.databasePath),
    },
    {
      provide: Kysely,
      inject: [AppConfig, Database],
      useFactory: (config: AppConfig, database: Database): Store => {
        if (database instanceof SqliteDatabase) return sqliteStore(database.db);
        const logger = new Logger('Database');
        return postgresStore(config.databaseUrl!, config.databaseTimeouts, (error) =>
          logger.warn(`An idle PostgreSQL connection failed: ${error.message}`),
        );
      },
    },
  ],
  exports: [Database, Kysely],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    @Inject(Database) private readonly database: Database,
    @Inject(Kysely) private readonly store: Store,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    // On SQLite this closes the connection both share; close() after it is a no-op.
    await this.store.destroy();
    this.database.close();
  }
}
