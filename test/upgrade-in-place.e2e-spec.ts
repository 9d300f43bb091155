import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Client } from 'pg';
import { queryDb } from './helpers/db-file';
import { TestApp } from './helpers/test-app';
import { ON_POSTGRES, postgresUrlAt } from './helpers/test-database';

/**
 * Databases made by the release before the typed store (main at 99f8b27: its SqliteDatabase
 * and PostgresDatabase migrated an empty store, then a few rows went in), dumped with
 * `sqlite3 .dump` and `pg_dump --inserts --no-owner --no-privileges` (psql's \restrict lines
 * taken out). A bridge must open them in place and carry on with every row.
 */
const FIXTURES = join(__dirname, 'fixtures');

const SCHEMA_SQL = ON_POSTGRES
  ? `SELECT table_name AS "table", column_name AS "column", data_type AS type, is_nullable AS nullable
     FROM information_schema.columns WHERE table_schema = 'public'
     ORDER BY table_name, ordinal_position`
  : // SQLite keeps a column's type as it was written ('TEXT' by main's SQL files, 'text' by
    // the schema builder), and reads both alike.
    `SELECT m.name AS "table", c.name AS "column", upper(c.type) AS type, c."notnull" AS nullable
     FROM sqlite_master m JOIN pragma_table_info(m.name) c
     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, c.cid`;
const INDEX_SQL = ON_POSTGRES
  ? `SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`
  : `SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger') AND name NOT LIKE 'sqlite_%' ORDER BY name`;

async function replaceWithMainsDatabase(path: string): Promise<void> {
  const url = postgresUrlAt(path);
  if (url) {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
      await client.query(readFileSync(join(FIXTURES, 'made-by-main.postgres.sql'), 'utf8'));
    } finally {
      await client.end();
    }
    return;
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  const db = new BetterSqlite3(path);
  try {
    db.exec(readFileSync(join(FIXTURES, 'made-by-main.sqlite.sql'), 'utf8'));
  } finally {
    db.close();
  }
}

describe('a database made by the previous release', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  const db = () => t.env.SMS_DATABASE_PATH;

  it('opens in place with every row, and ends with the schema a new database gets', async () => {
    const freshSchema = await queryDb(db(), SCHEMA_SQL);
    const freshIndexes = await queryDb(db(), INDEX_SQL);
    const freshVersions = await queryDb<{ version: number }>(
      db(),
      'SELECT version FROM schema_migrations ORDER BY version',
    );

    await t.restart(() => replaceWithMainsDatabase(db()));

    expect(await queryDb(db(), SCHEMA_SQL)).toEqual(freshSchema);
    expect(await queryDb(db(), INDEX_SQL)).toEqual(freshIndexes);
    expect(
      await queryDb<{ version: number }>(
        db(),
        'SELECT version FROM schema_migrations ORDER BY version',
      ),
    ).toEqual(freshVersions);
    const inbox = (await t.http().get('/sms/inbox').expect(200)).body as {
      messages: { body: string }[];
    };
    expect(inbox.messages.map((message) => message.body)).toEqual(['made by main ✓']);
    expect(await queryDb(db(), 'SELECT id, status FROM outbound_messages')).toEqual([
      { id: 'out-made-by-main', status: 'delivered' },
    ]);
    expect(await queryDb(db(), 'SELECT id, status FROM approvals')).toEqual([
      { id: 'approval-made-by-main', status: 'pending' },
    ]);
  });

  it('keeps counting its serial keys after the rows main made', async () => {
    const result = await t.simulator.sendInbound({
      from: '+15551234567',
      body: 'after the upgrade',
      url: `${t.url}/sms/webhook`,
    });

    expect(result.status).toBe(200);
    expect(
      await queryDb<{ seq: number; body: string }>(
        db(),
        'SELECT seq, body FROM inbound_messages ORDER BY seq',
      ),
    ).toEqual([
      { seq: 1, body: 'made by main ✓' },
      { seq: 2, body: 'after the upgrade' },
    ]);
  });
});
