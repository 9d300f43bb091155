import { FakeClock } from './helpers/fake-clock';
import { TestApp } from './helpers/test-app';
import { withTestApp } from './helpers/with-test-app';

const MINUTE = 60_000;
const NEW_YORK = '+12125550101';
const LOS_ANGELES = '+14155550101';
// Idaho's 208 rings in Boise (Mountain) and in the panhandle (Pacific).
const IDAHO = '+12085550101';
const SYDNEY = '+61412345678';

const QUIET = { SMS_QUIET_HOURS: '21:00-08:00', SMS_ALLOWED_COUNTRIES: 'US,CA,AU' };

describe('quiet hours on the recipient’s clock', () => {
  let t: TestApp;
  // 22:00 in New York, 19:00 in Los Angeles, 20:00 in Boise, 14:00 in Sydney.
  const clock = new FakeClock(Date.parse('2026-12-15T03:00:00Z'));

  beforeAll(async () => {
    t = await TestApp.create({ clock, env: QUIET });
  });
  afterAll(() => t.close());

  const send = (to: string, extra: object = {}) =>
    t
      .http()
      .post('/sms/send')
      .send({ to, body: 'Quick question', ...extra });
  const sentTo = (to: string) => t.simulator.messages.filter((message) => message.to === to);

  it('defers a send that lands in the night at the recipient’s, and sends it at their 08:00', async () => {
    const res = await send(NEW_YORK).expect(202);
    expect(res.body).toEqual({
      status: 'scheduled',
      id: expect.any(String),
      sendAt: '2026-12-15T13:00:00.000Z',
      to: NEW_YORK,
      reason: 'quiet_hours',
    });
    expect(sentTo(NEW_YORK)).toHaveLength(0);
    const listed = await t.http().get('/sms/scheduled?status=scheduled').expect(200);
    expect(listed.body.scheduled).toContainEqual(
      expect.objectContaining({ id: res.body.id, reason: 'quiet_hours' }),
    );
  });

  it('sends at once to numbers whose evening or afternoon it is', async () => {
    await send(LOS_ANGELES).expect(201);
    await send(SYDNEY).expect(201);
    await send(IDAHO).expect(201);
  });

  it('waits for the later morning of a number that spans two zones', async () => {
    // 21:30 in Boise, 20:30 in the Pacific part of Idaho: quiet in one zone is quiet.
    clock.set('2026-12-15T04:30:00Z');
    const res = await send(IDAHO).expect(202);
    // 08:00 Pacific, an hour after 08:00 in Boise.
    expect(res.body.sendAt).toBe('2026-12-15T16:00:00.000Z');
  });

  it('defers a sendAt that falls in the recipient’s night to its end', async () => {
    const res = await send(LOS_ANGELES, { sendAt: '2026-12-15T06:00:00Z' }).expect(202);
    expect(res.body).toMatchObject({ sendAt: '2026-12-15T16:00:00.000Z', reason: 'quiet_hours' });
  });

  it('sends each deferred message once, when the night is over', async () => {
    clock.set('2026-12-15T13:00:00Z');
    await t.scheduledSettled();
    expect(sentTo(NEW_YORK)).toHaveLength(1);
    expect(sentTo(IDAHO)).toHaveLength(1);
    clock.set('2026-12-15T16:00:00Z');
    await t.scheduledSettled();
    expect(sentTo(IDAHO)).toHaveLength(2);
    expect(sentTo(LOS_ANGELES)).toHaveLength(2);
    clock.advance(24 * 60 * MINUTE);
    await t.scheduledSettled();
    expect(sentTo(NEW_YORK)).toHaveLength(1);
  });
});

describe('quiet hours in refuse mode', () => {
  it('refuses with allowedAt, stores nothing and does not call Twilio', () =>
    withTestApp(
      {
        clock: new FakeClock(Date.parse('2026-12-15T03:00:00Z')),
        env: { ...QUIET, SMS_QUIET_HOURS_MODE: 'refuse' },
      },
      async (t) => {
        const res = await t
          .http()
          .post('/sms/send')
          .send({ to: NEW_YORK, body: 'Late?' })
          .expect(409);
        expect(res.body.error).toMatchObject({
          code: 'quiet_hours',
          allowedAt: '2026-12-15T13:00:00.000Z',
          timeZones: ['America/New_York'],
        });
        const later = await t
          .http()
          .post('/sms/send')
          .send({ to: NEW_YORK, body: 'Late?', sendAt: '2026-12-15T05:00:00Z' })
          .expect(409);
        expect(later.body.error.code).toBe('quiet_hours');
        await t.http().post('/sms/send').send({ to: LOS_ANGELES, body: 'Still up?' }).expect(201);
        expect(t.simulator.messages.map((message) => message.to)).toEqual([LOS_ANGELES]);
        const listed = await t.http().get('/sms/scheduled').expect(200);
        expect(listed.body.scheduled).toEqual([]);
      },
    ));
});

describe('a reply to the recipient’s own text', () => {
  /** A window around New York's current hour, so the real inbound time falls inside it. */
  function windowAroundNow(): string {
    const hour = Number(
      new Intl.DateTimeFormat('en-US', {
        timeZone: 'America/New_York',
        hour: '2-digit',
        hourCycle: 'h23',
      }).format(Date.now()),
    );
    const at = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
    return `${at(hour - 1)}-${at(hour + 2)}`;
  }

  it('goes out at once within SMS_QUIET_HOURS_REPLY_MINUTES of their text, not after', () => {
    const clock = new FakeClock();
    return withTestApp(
      { clock, env: { ...QUIET, SMS_QUIET_HOURS: windowAroundNow() } },
      async (t) => {
        const awake = '+12125550202';
        await t.http().post('/sms/send').send({ to: NEW_YORK, body: 'Hi' }).expect(202);

        await t.simulator.sendInbound({ from: awake, body: 'Are you up?' });
        await t.http().post('/sms/send').send({ to: awake, body: 'Yes' }).expect(201);
        expect(t.simulator.messages.map((message) => message.to)).toEqual([awake]);

        clock.advance(16 * MINUTE);
        const res = await t
          .http()
          .post('/sms/send')
          .send({ to: awake, body: 'Night!' })
          .expect(202);
        expect(res.body.reason).toBe('quiet_hours');
      },
    );
  });
});

describe('an Idempotency-Key on a send that is deferred', () => {
  it('answers a retry with the first 202, and the text goes out once when due', () => {
    const clock = new FakeClock(Date.parse('2026-12-15T03:00:00Z'));
    return withTestApp({ clock, env: QUIET }, async (t) => {
      const send = (key: string, body = 'Quick question') =>
        t.http().post('/sms/send').set('Idempotency-Key', key).send({ to: NEW_YORK, body });
      const first = await send('retry-1').expect(202);
      expect(first.body).toMatchObject({ status: 'scheduled', reason: 'quiet_hours' });
      const again = await send('retry-1').expect(202);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      const other = await send('retry-1', 'Another question').expect(422);
      expect(other.body.error.code).toBe('idempotency_key_reused');
      const bad = await send('').expect(400);
      expect(bad.body.error.code).toBe('invalid_idempotency_key');

      const listed = await t.http().get('/sms/scheduled').expect(200);
      expect(listed.body.scheduled).toHaveLength(1);
      clock.set('2026-12-15T13:00:00Z');
      await t.scheduledSettled();
      expect(t.simulator.messages.map((message) => message.to)).toEqual([NEW_YORK]);
      // After the night, the retry still answers what the first request got.
      const late = await send('retry-1').expect(202);
      expect(late.body).toEqual(first.body);
      expect(t.simulator.messages).toHaveLength(1);
    });
  });
});

describe('a held message the operator approves during quiet hours', () => {
  it('is scheduled to the end of the recipient’s night and sent once then', () => {
    // 18:00 in New York: held at once, not deferred.
    const clock = new FakeClock(Date.parse('2026-12-15T23:00:00Z'));
    return withTestApp({ clock, env: { ...QUIET, SMS_REQUIRE_APPROVAL: 'true' } }, async (t) => {
      const held = await t
        .http()
        .post('/sms/send')
        .send({ to: NEW_YORK, body: 'Dinner tomorrow?' })
        .expect(202);
      expect(held.body.status).toBe('awaiting_approval');
      clock.set('2026-12-16T03:00:00Z');
      const approved = await t
        .http()
        .post(`/sms/approvals/${held.body.approvalId}/approve`)
        .set(t.asOperator)
        .expect(200);
      expect(approved.body).toMatchObject({
        approval: { status: 'approved' },
        message: null,
        scheduled: {
          status: 'scheduled',
          reason: 'quiet_hours',
          sendAt: '2026-12-16T13:00:00.000Z',
          to: NEW_YORK,
          body: 'Dinner tomorrow?',
        },
      });
      expect(t.simulator.messages).toHaveLength(0);
      clock.set('2026-12-16T13:00:00Z');
      await t.scheduledSettled();
      clock.advance(24 * 60 * MINUTE);
      await t.scheduledSettled();
      expect(t.simulator.messages.map((message) => message.body)).toEqual(['Dinner tomorrow?']);
    });
  });

  it('is refused with quiet_hours in refuse mode and stays pending', () => {
    const clock = new FakeClock(Date.parse('2026-12-15T23:00:00Z'));
    const env = { ...QUIET, SMS_REQUIRE_APPROVAL: 'true', SMS_QUIET_HOURS_MODE: 'refuse' };
    return withTestApp({ clock, env }, async (t) => {
      const held = await t
        .http()
        .post('/sms/send')
        .send({ to: NEW_YORK, body: 'Dinner tomorrow?' })
        .expect(202);
      clock.set('2026-12-16T03:00:00Z');
      const refused = await t
        .http()
        .post(`/sms/approvals/${held.body.approvalId}/approve`)
        .set(t.asOperator)
        .expect(409);
      expect(refused.body.error).toMatchObject({
        code: 'quiet_hours',
        allowedAt: '2026-12-16T13:00:00.000Z',
      });
      const pending = await t.http().get('/sms/approvals?status=pending').expect(200);
      expect(pending.body.approvals).toHaveLength(1);
      expect(t.simulator.messages).toHaveLength(0);
      clock.set('2026-12-16T13:00:00Z');
      await t
        .http()
        .post(`/sms/approvals/${held.body.approvalId}/approve`)
        .set(t.asOperator)
        .expect(200);
      expect(t.simulator.messages).toHaveLength(1);
    });
  });
});

describe('a destination that is never allowed, during quiet hours', () => {
  // Quiet around the clock, and the London number is outside the default US/CA list.
  const LONDON = '+447400123456';

  it.each(['refuse', 'defer'])(
    'is refused 403 destination_not_allowed, not told to wait, in %s mode',
    (mode) =>
      withTestApp(
        {
          clock: new FakeClock(Date.parse('2026-12-15T03:00:00Z')),
          env: { SMS_QUIET_HOURS: '00:00-23:59', SMS_QUIET_HOURS_MODE: mode },
        },
        async (t) => {
          for (const extra of [{}, { sendAt: '2026-12-15T05:00:00Z' }]) {
            const res = await t
              .http()
              .post('/sms/send')
              .send({ to: LONDON, body: 'Late?', ...extra })
              .expect(403);
            expect(res.body.error.code).toBe('destination_not_allowed');
            expect(res.body.error).not.toHaveProperty('allowedAt');
          }
          expect(t.simulator.messages).toHaveLength(0);
          const listed = await t.http().get('/sms/scheduled').expect(200);
          expect(listed.body.scheduled).toEqual([]);
        },
      ),
  );
});
