import type { Message, MessagePage } from '../src/common/message';
import { TestApp } from './helpers/test-app';

describe('GET /sms/inbox', () => {
  let t: TestApp;
  let seeded: Message[];

  async function receive(body: string): Promise<string> {
    const result = await t.simulator.sendInbound({ from: '+15551234567', body });
    expect(result.status).toBe(200);
    return result.messageSid;
  }

  async function inbox(query = ''): Promise<MessagePage> {
    return (await t.http().get(`/sms/inbox${query}`).expect(200)).body as MessagePage;
  }

  const bodies = (page: MessagePage) => page.messages.map((m) => m.body);

  beforeAll(async () => {
    t = await TestApp.create();
    for (const n of [1, 2, 3, 4, 5]) await receive(`m${n}`);
    seeded = (await inbox()).messages;
  });
  afterAll(() => t.close());

  it('lists the messages oldest first, with the newest sid as the cursor', async () => {
    const page = await inbox();
    expect(bodies(page)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(page.hasMore).toBe(false);
    expect(page.nextCursor).toBe(page.messages[4].sid);
    for (const [a, b] of [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
    ]) {
      expect(page.messages[a].createdAt <= page.messages[b].createdAt).toBe(true);
    }
  });

  it('without since, limit keeps the newest, still oldest first', async () => {
    expect(bodies(await inbox('?limit=2'))).toEqual(['m4', 'm5']);
  });

  it('since a message sid returns what came after it', async () => {
    const page = await inbox(`?since=${seeded[1].sid}`);
    expect(bodies(page)).toEqual(['m3', 'm4', 'm5']);
    expect(page).toMatchObject({ hasMore: false, nextCursor: seeded[4].sid });
  });

  it('pages with limit, hasMore and nextCursor until nothing is left', async () => {
    const first = await inbox(`?since=${seeded[0].sid}&limit=2`);
    expect(bodies(first)).toEqual(['m2', 'm3']);
    expect(first).toMatchObject({ hasMore: true, nextCursor: seeded[2].sid });

    const second = await inbox(`?since=${first.nextCursor}&limit=2`);
    expect(bodies(second)).toEqual(['m4', 'm5']);
    expect(second).toMatchObject({ hasMore: false, nextCursor: seeded[4].sid });

    // Polling from the last cursor: nothing new yet, and the cursor stays put.
    const third = await inbox(`?since=${second.nextCursor}&limit=2`);
    expect(third).toEqual({ messages: [], hasMore: false, nextCursor: seeded[4].sid });
  });

  it('since an ISO-8601 time returns what was received after it', async () => {
    expect(bodies(await inbox('?since=2000-01-01T00:00:00Z'))).toEqual([
      'm1',
      'm2',
      'm3',
      'm4',
      'm5',
    ]);
    expect(bodies(await inbox('?since=2000-01-01'))).toHaveLength(5);
    expect(bodies(await inbox('?since=2000-01-01T02:00:00%2B02:00'))).toHaveLength(5);

    const since = seeded[2].createdAt;
    const expected = seeded.filter((m) => m.createdAt > since).map((m) => m.body);
    const page = await inbox(`?since=${encodeURIComponent(since)}`);
    expect(bodies(page)).toEqual(expected);
    expect(bodies(page)).not.toContain('m3');
  });

  it('since a time to come returns nothing, with the time as the cursor', async () => {
    const since = '2999-01-01T00:00:00.000Z';
    expect(await inbox(`?since=${since}`)).toEqual({
      messages: [],
      hasMore: false,
      nextCursor: since,
    });
  });

  it('pages by time with limit', async () => {
    const page = await inbox('?since=2000-01-01T00:00:00Z&limit=3');
    expect(bodies(page)).toEqual(['m1', 'm2', 'm3']);
    expect(page).toMatchObject({ hasMore: true, nextCursor: seeded[2].sid });
  });

  it.each([
    ['a word', 'yesterday'],
    ['an impossible date', '2026-13-45T00:00:00Z'],
    ['a truncated sid', 'SM123'],
    ['the sid of no stored message', 'SM' + '0'.repeat(32)],
  ])('refuses since as %s with 400 invalid_since', async (_name, since) => {
    const res = await t.http().get(`/sms/inbox?since=${since}`).expect(400);
    expect(res.body.error.code).toBe('invalid_since');
    expect(res.body.error.message).toEqual(expect.any(String));
  });

  it.each(['0', '501', 'ten', '1.5'])(
    'refuses limit=%s with 400 validation_failed',
    async (limit) => {
      const res = await t.http().get(`/sms/inbox?limit=${limit}`).expect(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toContain('limit must be a whole number from 1 to 500');
    },
  );

  it('refuses an unknown query parameter', async () => {
    const res = await t.http().get('/sms/inbox?sinse=2000-01-01').expect(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('keeps the inbox across a restart of the app', async () => {
    const before = await inbox();
    await t.restart();

    expect(await inbox()).toEqual(before);
    expect(bodies(await inbox(`?since=${seeded[3].sid}`))).toEqual(['m5']);
    await receive('after restart');
    expect(bodies(await inbox(`?since=${seeded[4].sid}`))).toEqual(['after restart']);
  });

  it('returns the newest 100 by default and up to 500 with limit', async () => {
    // 6 stored so far; 100 more in parallel batches.
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(Array.from({ length: 10 }, (_, i) => receive(`bulk ${batch * 10 + i}`)));
    }
    const all = await inbox('?limit=500');
    expect(all.messages).toHaveLength(106);
    const page = await inbox();
    expect(page.messages).toHaveLength(100);
    expect(page.messages).toEqual(all.messages.slice(6));
    expect(page.nextCursor).toBe(all.messages[105].sid);
  });
});
