import { TestApp } from './helpers/test-app';

describe('Idempotency-Key on POST /sms/send', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());
  afterEach(() => {
    t.simulator.knobs.responseDelayMs = 0;
  });

  const send = (key: string, to: string, body = 'Your order shipped') =>
    t.http().post('/sms/send').set('Idempotency-Key', key).send({ to, body });

  it('reaches Twilio once when the same key is sent five times at once', async () => {
    // Twilio answers slowly, so the duplicates arrive while the first is still sending.
    t.simulator.knobs.responseDelayMs = 300;
    const before = t.simulator.requestCount;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => send('race-1', '+15556660001')),
    );
    expect(answers.map((res) => res.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((res) => res.body.sid)).size).toBe(1);
    expect(answers.filter((res) => res.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
    expect(t.simulator.requestCount).toBe(before + 1);
    expect(t.simulator.messages.filter((m) => m.to === '+15556660001')).toHaveLength(1);
  });

  it('answers a later retry with the first response', async () => {
    const first = await send('retry-1', '+15556660002').expect(201);
    const before = t.simulator.requestCount;
    const retry = await send('retry-1', '+15556660002').expect(201);
    expect(retry.body).toEqual(first.body);
    expect(t.simulator.requestCount).toBe(before);
  });

  it('replays a Twilio refusal instead of asking Twilio again', async () => {
    const first = await send('bad-number', '+15005550001').expect(400);
    const before = t.simulator.requestCount;
    const retry = await send('bad-number', '+15005550001').expect(400);
    expect(retry.body).toEqual(first.body);
    expect(t.simulator.requestCount).toBe(before);
  });

  it('refuses the same key for a different message with 422', async () => {
    await send('reuse-1', '+15556660003', 'First').expect(201);
    const before = t.simulator.requestCount;
    const res = await send('reuse-1', '+15556660003', 'Something else').expect(422);
    expect(res.body.error.code).toBe('idempotency_key_reused');
    expect(t.simulator.requestCount).toBe(before);
  });

  it('refuses a malformed key with 400', async () => {
    const before = t.simulator.requestCount;
    const res = await send('x'.repeat(256), '+15556660004').expect(400);
    expect(res.body.error.code).toBe('invalid_idempotency_key');
    expect(t.simulator.requestCount).toBe(before);
  });

  it('answers 409 for a key whose first request was cut short, and does not send', async () => {
    await send('crashed-1', '+15556660005').expect(201);
    // Put the key back the way a crash between recording the send and Twilio's answer
    // leaves it: claimed, with no outcome, and no request of this process running it.
    await t.store
      .updateTable('idempotency_keys')
      .set({ state: 'pending', status: null, response: null })
      .where('key', '=', 'crashed-1')
      .execute();
    const before = t.simulator.requestCount;
    const res = await send('crashed-1', '+15556660005').expect(409);
    expect(res.body.error.code).toBe('idempotency_key_in_progress');
    expect(t.simulator.requestCount).toBe(before);
  });

  it('lets a key refused before Twilio (over a limit, opted out) be used again later', async () => {
    const number = '+15556660006';
    await t.simulator.sendInbound({ from: number, body: 'STOP' });
    await send('after-stop', number).expect(403);
    await t.simulator.sendInbound({ from: number, body: 'START' });
    await send('after-stop', number).expect(201);
  });

  it('sends as before without the header', async () => {
    const before = t.simulator.requestCount;
    await t.http().post('/sms/send').send({ to: '+15556660007', body: 'One' }).expect(201);
    await t.http().post('/sms/send').send({ to: '+15556660007', body: 'One' }).expect(201);
    expect(t.simulator.requestCount).toBe(before + 2);
  });
});
