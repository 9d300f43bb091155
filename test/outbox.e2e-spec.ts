import { TestApp } from './helpers/test-app';

interface ShownMessage {
  sid: string;
  to: string;
  status: string;
}

describe('GET /sms/outbox and GET /sms/messages/:sid', () => {
  let t: TestApp;
  const sent: string[] = [];

  beforeAll(async () => {
    t = await TestApp.create();
    for (const to of ['+15550000001', '+15550000002', '+15550000001']) {
      const res = await t
        .http()
        .post('/sms/send')
        .send({ to, body: `to ${to}` })
        .expect(201);
      sent.push(res.body.sid);
    }
  });
  afterAll(() => t.close());

  const sids = (messages: ShownMessage[]) => messages.map((m) => m.sid);

  it('lists sent messages oldest first, in the inbox page shape', async () => {
    const res = await t.http().get('/sms/outbox').expect(200);
    expect(res.body).toEqual({ messages: expect.any(Array), nextCursor: sent[2], hasMore: false });
    expect(sids(res.body.messages)).toEqual(sent);
    expect(res.body.messages[0]).toMatchObject({
      direction: 'outbound',
      from: '+15005550006',
      to: '+15550000001',
      body: 'to +15550000001',
      media: [],
      status: 'queued',
      segments: 1,
      encoding: 'GSM-7',
      twilioSegments: 1,
    });
  });

  it('pages with since and limit, as the inbox does', async () => {
    const first = await t.http().get(`/sms/outbox?since=${sent[0]}&limit=1`).expect(200);
    expect(first.body).toMatchObject({ nextCursor: sent[1], hasMore: true });
    expect(sids(first.body.messages)).toEqual([sent[1]]);
    const next = await t.http().get(`/sms/outbox?since=${first.body.nextCursor}`).expect(200);
    expect(next.body).toMatchObject({ nextCursor: sent[2], hasMore: false });
    expect(sids(next.body.messages)).toEqual([sent[2]]);
    const byTime = await t.http().get('/sms/outbox?since=2000-01-01T00:00:00Z&limit=2').expect(200);
    expect(byTime.body).toMatchObject({ hasMore: true });
    expect(sids(byTime.body.messages)).toEqual(sent.slice(0, 2));
  });

  it('filters by recipient and status', async () => {
    const to = await t.http().get('/sms/outbox?to=%2B15550000001').expect(200);
    expect(sids(to.body.messages)).toEqual([sent[0], sent[2]]);
    const since = await t.http().get(`/sms/outbox?to=%2B15550000001&since=${sent[0]}`).expect(200);
    expect(sids(since.body.messages)).toEqual([sent[2]]);
    const delivered = await t.http().get('/sms/outbox?status=delivered').expect(200);
    expect(delivered.body.messages).toEqual([]);
  });

  it('refuses a bad cursor or filter', async () => {
    const unknown = await t
      .http()
      .get(`/sms/outbox?since=SM${'f'.repeat(32)}`)
      .expect(400);
    expect(unknown.body.error.code).toBe('invalid_since');
    const badTime = await t.http().get('/sms/outbox?since=yesterday').expect(400);
    expect(badTime.body.error.code).toBe('invalid_since');
    const badStatus = await t.http().get('/sms/outbox?status=lost').expect(400);
    expect(badStatus.body.error.code).toBe('validation_failed');
    const tooMany = await t.http().get('/sms/outbox?limit=501').expect(400);
    expect(tooMany.body.error.code).toBe('validation_failed');
  });

  it('shows a message Twilio refused under the bridge id, with the error code', async () => {
    const requests = t.simulator.requestCount;
    const refused = await t
      .http()
      .post('/sms/send')
      .send({ to: '+15005550001', body: 'to an invalid number' })
      .expect(400);
    expect(refused.body.error.code).toBe('invalid_recipient');
    expect(t.simulator.requestCount).toBe(requests + 1);

    const res = await t.http().get(`/sms/outbox?since=${sent[2]}`).expect(200);
    expect(res.body.messages).toHaveLength(1);
    const [failed] = res.body.messages;
    expect(failed).toMatchObject({
      sid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      to: '+15005550001',
      status: 'failed',
      errorCode: 21211,
      errorMessage: 'invalid_recipient',
      history: [{ status: 'failed', errorCode: 21211 }],
    });
    expect((await t.http().get(`/sms/messages/${failed.sid}`).expect(200)).body).toEqual(failed);
    const after = await t.http().get(`/sms/outbox?since=${failed.sid}`).expect(200);
    expect(after.body).toEqual({ messages: [], nextCursor: failed.sid, hasMore: false });
  });

  it('shows an inbound message by sid too', async () => {
    const inbound = await t.simulator.sendInbound({ from: '+15550000009', body: 'hello' });
    expect(inbound.status).toBe(200);
    const res = await t.http().get(`/sms/messages/${inbound.messageSid}`).expect(200);
    expect(res.body).toMatchObject({
      sid: inbound.messageSid,
      direction: 'inbound',
      from: '+15550000009',
      body: 'hello',
      status: 'received',
    });
  });

  it('answers 404 message_not_found for a sid it never saw', async () => {
    const res = await t
      .http()
      .get(`/sms/messages/SM${'a'.repeat(32)}`)
      .expect(404);
    expect(res.body.error.code).toBe('message_not_found');
  });

  it('answers only callers on this machine', async () => {
    for (const path of ['/sms/outbox', `/sms/messages/${sent[0]}`]) {
      const res = await t.http().get(path).set('X-Forwarded-For', '203.0.113.9').expect(403);
      expect(res.body.error.code).toBe('local_only');
    }
  });
});
