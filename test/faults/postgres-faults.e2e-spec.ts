import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { queryDb } from '../helpers/db-file';
import { TestApp } from '../helpers/test-app';
import { ON_POSTGRES, storeAt } from '../helpers/test-database';
import { until as untilEvery } from '../helpers/until';

const until = (condition: () => boolean | Promise<boolean>, what: string) =>
  untilEvery(condition, what, { timeoutMs: 15_000, everyMs: 50 });

const POSTGRES = join(__dirname, '..', '..', '.ci', 'postgres');
const WORKERS = 8;
const run = promisify(execFile);

function errorCode(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL stopped in the middle of an inbound flood, on a server of the suite's own (the
 * other files keep theirs). Stopped with `-m immediate`, as a crash or a lost host would.
 */
if (!ON_POSTGRES) console.info('Skipped on SQLite: stops and restarts a PostgreSQL server');
const describeOnPostgres = ON_POSTGRES ? describe : describe.skip;

describeOnPostgres('PostgreSQL stopping in the middle of an inbound flood', () => {
  let dir: string;
  let t: TestApp;

  beforeAll(async () => {
    const parent = mkdtempSync(join(tmpdir(), 'sms-bridge-pg-fault-'));
    // The server runs as the postgres user, which must reach its directory.
    chmodSync(parent, 0o755);
    dir = join(parent, 'server');
    const url = execFileSync(POSTGRES, ['start', dir], { encoding: 'utf8' }).trim();
    t = await TestApp.create({ env: { SMS_DATABASE_URL: url } });
    storeAt(t.env.SMS_DATABASE_PATH, url);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await run(POSTGRES, ['stop', dir]).catch(() => undefined);
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('answers 503 while it is down, loses nothing it acknowledged, and recovers when it returns', async () => {
    const acknowledged: string[] = [];
    const refused: { status: number; code?: string }[] = [];
    let flooding = true;
    const worker = async () => {
      for (let n = 0; flooding; n++) {
        const result = await t.simulator.sendInbound({ from: '+15557654321', body: `flood ${n}` });
        if (result.status === 200) acknowledged.push(result.messageSid);
        else refused.push({ status: result.status, code: errorCode(result.body) });
      }
    };
    const flood = Promise.all(Array.from({ length: WORKERS }, worker));

    await until(async () => acknowledged.length >= 50, 'fifty texts stored');
    await run(POSTGRES, ['stop', dir]);
    await until(async () => refused.length >= 20, 'texts refused while PostgreSQL is down');
    const down = await t.http().get('/health');
    expect(down.status).toBe(503);

    await run(POSTGRES, ['resume', dir]);
    const before = acknowledged.length;
    await until(async () => acknowledged.length >= before + 50, 'texts stored again');
    flooding = false;
    await flood;

    // Every refusal was a 503 Twilio retries, with the one code.
    expect(new Set(refused.map((r) => `${r.status} ${r.code}`))).toEqual(
      new Set(['503 storage_unavailable']),
    );
    const stored = new Set(
      (
        await queryDb<{ sid: string }>(t.env.SMS_DATABASE_PATH, 'SELECT sid FROM inbound_messages')
      ).map((row) => row.sid),
    );
    expect(acknowledged.filter((sid) => !stored.has(sid))).toEqual([]);
    await t.http().get('/health').expect(200);
  }, 60_000);
});
