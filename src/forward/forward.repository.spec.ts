import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeTestStore, openTestStore } from '../../test/helpers/test-database';
import type { Store } from '../storage/store';
import { ForwardRepository } from './forward.repository';

/** Claims are made at times after the messages were stored (each test's `start`). */
let start: number;
const AT = (seconds: number) => new Date(start + seconds * 1000).toISOString();
const SIDS = ['SM00000000000000000000000000000001', 'SM00000000000000000000000000000002'];

describe(ForwardRepository.name, () => {
  let dir: string;
  let path: string;
  let store: Store;
  const forwards = new ForwardRepository();

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'forward-repository-'));
    path = join(dir, 'bridge.db');
    store = await openTestStore(path);
    await forwards.enable(store, true);
    // Texts arriving, as the inbox stores them: the trigger of forwarding makes their pushes.
    for (const sid of SIDS) {
      await store
        .insertInto('inbound_messages')
        .values({
          sid,
          account_sid: 'AC00000000000000000000000000000001',
          from_number: '+15551230001',
          to_number: '+15005550006',
          body: 'hello',
          received_at: new Date().toISOString(),
        })
        .execute();
    }
    start = Date.now() + 1000;
  });
  afterEach(async () => {
    await closeTestStore(path, store);
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands out pushes in arrival order, as many as asked for', async () => {
    expect(await forwards.claim(store, AT(1), 1, AT(31))).toEqual([{ sid: SIDS[0], attempts: 0 }]);
    expect(await forwards.claim(store, AT(1), 10, AT(31))).toEqual([{ sid: SIDS[1], attempts: 0 }]);
  });

  it('does not hand a leased push to another claimant before its lease ends', async () => {
    expect(await forwards.claim(store, AT(1), 10, AT(31))).toHaveLength(2);
    expect(await forwards.claim(store, AT(2), 10, AT(32))).toEqual([]);
    expect(await forwards.claim(store, AT(32), 10, AT(62))).toHaveLength(2);
  });

  it('hands each push to one of two bridges claiming at once', async () => {
    const other = await openTestStore(path);
    try {
      const claims = await Promise.all([
        forwards.claim(store, AT(1), 10, AT(31)),
        forwards.claim(other, AT(1), 10, AT(31)),
      ]);
      expect(
        claims
          .flat()
          .map((due) => due.sid)
          .sort(),
      ).toEqual(SIDS);
    } finally {
      await other.destroy();
    }
  });

  it('makes retries due at boot without taking a push another bridge holds', async () => {
    expect(await forwards.claim(store, AT(1), 10, AT(31))).toHaveLength(2);
    await forwards.retryPendingNow(store);
    expect(await forwards.claim(store, AT(2), 10, AT(32))).toEqual([]);
  });

  it('makes a push waiting for its retry due at once at boot', async () => {
    const [claimed] = await forwards.claim(store, AT(1), 10, AT(31));
    await forwards.markRetry(store, claimed.sid, AT(3600), 'hook answered 500');
    await forwards.retryPendingNow(store);
    expect(await forwards.claim(store, AT(4), 10, AT(34))).toEqual([
      { sid: claimed.sid, attempts: 1 },
    ]);
  });
});
