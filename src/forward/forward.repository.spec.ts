import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../storage/sqlite-database';
import { ForwardRepository } from './forward.repository';

// The message is stored now; claims are made at times after it.
const START = Date.now() + 1000;
const AT = (seconds: number) => new Date(START + seconds * 1000).toISOString();

describe(ForwardRepository.name, () => {
  let dir: string;
  let database: SqliteDatabase;
  let forwards: ForwardRepository;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'forward-repository-'));
    database = new SqliteDatabase(join(dir, 'bridge.db'));
    forwards = new ForwardRepository(database);
    forwards.enable(true);
    // A text arriving, as the inbox stores it: the trigger of forwarding makes its push.
    database
      .prepare(
        `INSERT INTO inbound_messages (sid, account_sid, from_number, to_number, body, received_at)
         VALUES ('SM00000000000000000000000000000001', 'AC00000000000000000000000000000001',
                 '+15551230001', '+15005550006', 'hello', ?)`,
      )
      .run(new Date().toISOString());
  });
  afterEach(() => {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('does not hand a leased push to another claimant before its lease ends', () => {
    expect(forwards.claim(AT(1), 10, AT(31))).toHaveLength(1);
    expect(forwards.claim(AT(2), 10, AT(32))).toEqual([]);
    expect(forwards.claim(AT(32), 10, AT(62))).toHaveLength(1);
  });

  it('makes retries due at boot without taking a push another bridge holds', () => {
    expect(forwards.claim(AT(1), 10, AT(31))).toHaveLength(1);
    forwards.retryPendingNow();
    expect(forwards.claim(AT(2), 10, AT(32))).toEqual([]);
  });

  it('makes a push waiting for its retry due at once at boot', () => {
    const [claimed] = forwards.claim(AT(1), 10, AT(31));
    forwards.markRetry(claimed.sid, AT(3600), 'hook answered 500');
    forwards.retryPendingNow();
    expect(forwards.claim(AT(4), 10, AT(34))).toHaveLength(1);
  });
});
