import { AuditService } from '../src/safety/audit/audit.service';
import { TestApp } from './helpers/test-app';

const number = (i: number) => `+1555800${String(i).padStart(4, '0')}`;

describe('daily send limit for all recipients', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create({ env: { SMS_DAILY_LIMIT: '7', SMS_TIMEZONE: 'America/New_York' } });
  });
  afterAll(() => t.close());

  const send = (to: string) => t.http().post('/sms/send').send({ to, body: 'Daily news' });

  it('gives the slot of a send Twilio refused back', async () => {
    const refused = await send('+15005550001').expect(400);
    expect(refused.body.error.code).toBe('invalid_recipient');
    const limits = await t.http().get('/sms/limits').expect(200);
    expect(limits.body.total).toEqual({ limit: 7, used: 0, remaining: 7 });
  });

  it('admits exactly the sends that are left when 20 race for 5 slots', async () => {
    await send(number(1)).expect(201);
    await send(number(2)).expect(201);
    const start = new Date().toISOString();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => send(number(100 + i))));

    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    expect(t.simulator.messages).toHaveLength(7);
    // The +15005550001 refusal, the 2 sends before, and the 5 admitted: never more.
    expect(t.simulator.requestCount).toBe(8);

    const refusal = answers.find((res) => res.status === 429)!;
    expect(refusal.body.error).toEqual({
      code: 'daily_limit_reached',
      message: expect.stringContaining('7 messages a day'),
      limit: 7,
      count: 7,
      resetsAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT0[45]:00:00\.000Z$/),
      scope: 'total',
    });
    const refusals = (await t.app.get(AuditService).since(start)).filter(
      (e) => e.reason === 'daily_limit_reached',
    );
    expect(refusals).toHaveLength(15);
  });

  it('still counts today’s sends after a restart', async () => {
    await t.restart();
    const before = t.simulator.requestCount;
    const res = await send(number(999)).expect(429);
    expect(res.body.error).toMatchObject({ code: 'daily_limit_reached', count: 7 });
    expect(t.simulator.requestCount).toBe(before);

    const limits = await t.http().get('/sms/limits').expect(200);
    expect(limits.body).toEqual({
      timezone: 'America/New_York',
      day: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
      resetsAt: res.body.error.resetsAt,
      total: { limit: 7, used: 7, remaining: 0 },
      perRecipient: { limit: 100000 },
    });
  });
});

describe('daily send limit per recipient', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create({
      // Room for a loaded machine: every other send must beat it (see the slow send below).
      env: { SMS_DAILY_LIMIT_PER_RECIPIENT: '2', TWILIO_TIMEOUT_MS: '2000' },
    });
  });
  afterAll(() => t.close());

  it('refuses a third message to one recipient and lets others through', async () => {
    const to = number(1);
    for (let i = 0; i < 2; i++) {
      await t
        .http()
        .post('/sms/send')
        .send({ to, body: `Message ${i}` })
        .expect(201);
    }
    const res = await t.http().post('/sms/send').send({ to, body: 'One too many' }).expect(429);
    expect(res.body.error).toMatchObject({
      code: 'daily_limit_reached',
      limit: 2,
      count: 2,
      scope: 'recipient',
    });
    expect(t.simulator.messages.filter((m) => m.to === to)).toHaveLength(2);
    await t
      .http()
      .post('/sms/send')
      .send({ to: number(2), body: 'Hello' })
      .expect(201);

    const limits = await t
      .http()
      .get(`/sms/limits?to=${encodeURIComponent(to)}`)
      .expect(200);
    expect(limits.body.perRecipient).toEqual({ to, limit: 2, used: 2, remaining: 0 });
  });

  it('keeps the slot of a send whose fate is unknown (Twilio timed out)', async () => {
    const to = number(3);
    t.simulator.knobs.responseDelayMs = 6000;
    try {
      const res = await t.http().post('/sms/send').send({ to, body: 'Slow' }).expect(504);
      expect(res.body.error.code).toBe('twilio_timeout');
    } finally {
      t.simulator.knobs.responseDelayMs = 0;
    }
    const limits = await t
      .http()
      .get(`/sms/limits?to=${encodeURIComponent(to)}`)
      .expect(200);
    expect(limits.body.perRecipient).toMatchObject({ used: 1 });
  });
});
