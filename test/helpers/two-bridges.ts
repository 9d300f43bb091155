import { FakeClock } from './fake-clock';
import { TestApp } from './test-app';
import { ON_POSTGRES } from './test-database';

/** Two bridges share only a PostgreSQL database: on SQLite their tests skip, and say why. */
export function describeOnPostgres(name: string, tests: () => void): void {
  if (!ON_POSTGRES) console.info('Skipped on SQLite: two bridges share only a PostgreSQL database');
  (ON_POSTGRES ? describe : describe.skip)(name, tests);
}

/** Boots bridge A, then bridge B beside it (same database, same simulator). */
export async function twoBridges(env: Record<string, string> = {}, clock?: FakeClock) {
  const a = await TestApp.create({ env, clock });
  const b = await TestApp.create({ env, clock, beside: a });
  return { a, b, close: async () => (await b.close(), await a.close()) };
}
