import { openDb } from './helpers/db-file';
import { TestApp } from './helpers/test-app';

interface Page {
  entries: { id: number; at: string; requestId: string }[];
  nextCursor: number | null;
  hasMore: boolean;
}

describe('GET /sms/audit paging', () => {
  let t: TestApp;
  const at = '2026-01-31T12:00:00.000Z';
  let ids: number[];

  beforeAll(async () => {
    t = await TestApp.create();
    // A burst: five entries written in the same millisecond, as the attempt and outcome of
    // fast requests are.
    const db = openDb(t.env.SMS_DATABASE_PATH);
    try {
      ids = [];
      for (const n of [1, 2, 3, 4, 5]) {
        const [{ id }] = await db.all<{ id: number }>(
          `INSERT INTO audit_log (at, request_id, action, phase) VALUES (?, ?, 'send', 'attempt')
           RETURNING id`,
          at,
          `burst-${n}`,
        );
        ids.push(id);
      }
    } finally {
      await db.close();
    }
  });
  afterAll(() => t.close());

  const get = async (query: Record<string, string | number>): Promise<Page> =>
    (await t.http().get('/sms/audit').query(query).expect(200)).body as Page;

  it('visits every entry of a burst exactly once, following nextCursor', async () => {
    const first = await get({ since: at, limit: 2 });
    expect(first.entries.map((e) => e.id)).toEqual(ids.slice(0, 2));
    expect(first).toMatchObject({ nextCursor: ids[1], hasMore: true });

    const seen = [...first.entries.map((e) => e.id)];
    let page = first;
    for (let round = 0; page.hasMore && round < 10; round++) {
      page = await get({ after: page.nextCursor!, limit: 2 });
      seen.push(...page.entries.map((e) => e.id));
    }
    expect(seen).toEqual(ids);
    expect(page).toMatchObject({ nextCursor: ids[4], hasMore: false });
  });

  it('answers an empty page after the last entry, keeping the cursor', async () => {
    const page = await get({ after: ids[4] });
    expect(page).toEqual({ entries: [], nextCursor: ids[4], hasMore: false });
  });

  it('applies since together with after', async () => {
    const page = await get({ since: '2026-02-01T00:00:00Z', after: 0 });
    expect(page.entries.map((e) => e.requestId)).not.toContain('burst-1');
    expect(page.entries.every((e) => e.at >= '2026-02-01T00:00:00.000Z')).toBe(true);
  });

  it.each(['abc', '-1', '1.5'])('refuses after=%s', async (after) => {
    const res = await t.http().get('/sms/audit').query({ after }).expect(400);
    expect(res.body.error.code).toBe('validation_failed');
  });
});
