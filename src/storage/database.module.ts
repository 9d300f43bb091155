import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Database } from './database';
import { PostgresDatabase } from './postgres-database';
import { SqliteDatabase } from './sqlite-database';

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
  ],
  exports: [Database],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly database: Database) {}

  onApplicationShutdown(): void {
    this.database.close();
  }
}
