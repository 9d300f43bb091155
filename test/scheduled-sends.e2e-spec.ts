import { openDb } from './helpers/db-file';
import { FakeClock } from './helpers/fake-clock';
import { TestApp } from './helpers/test-app';
import { ON_POSTGRES } from './helpers/test-database';
import { withTestApp } from './helpers/with-test-app';
import { until } from './helpers/until';

const MINUTE = 60_000;

describe('scheduled sends', () => {
  let t: TestApp;
  let clock: FakeClock;

  beforeAll(async () => {
    clock = new FakeClock();
    t = await TestApp.create({ clock });
  });
  afterAll(() => t.close());

  const inMinutes = (minutes: number) => new Date(clock.now() + minutes * MINUTE).toISOString();
  const schedule = (to: string, sendAt: unknown, body = 'See you at nine') =>
    t.http().post('/sms/send').send({ to, body, sendAt });
  const sentTo = (to: string) => t.simulator.messages.filter((message) => message.to === to);
  const entry = async (id: string) => {
    const res = await t.http().get('/sms/scheduled').expect(200);
    return (res.body.scheduled as { id: string }[]).find((row) => row.id === id) as Record<
      string,
      unknown
    >;
  };
  const advance = async (minutes: number) => {
    clock.advance(minutes * MINUTE);
    await t.scheduledSettled();
  };

  it('sends once at its time, not before', async () => {
    const to = '+15550001001';
    const sendAt = inMinutes(60);
    const res = await schedule(to, sendAt).expect(202);
    expect(res.body).toEqual({ status: 'scheduled', id: expect.any(String), sendAt, to });

    await advance(59);
    expect(sentTo(to)).toHaveLength(0);
    await advance(1);
    expect(sentTo(to)).toHaveLength(1);
    expect(sentTo(to)[0].body).toBe('See you at nine');
    const sent = await entry(res.body.id);
    expect(sent).toMatchObject({ status: 'sent', sid: sentTo(to)[0].sid, errorCode: null });

    await advance(120);
    expect(sentTo(to)).toHaveLength(1);
    const listed = await t.http().get('/sms/scheduled?status=sent').expect(200);
    expect(listed.body.scheduled.map((row: { id: string }) => row.id)).toContain(res.body.id);
    // It is in the outbox like any other send.
    const outbox = await t
      .http()
      .get(`/sms/outbox?to=${encodeURIComponent(to)}`)
      .expect(200);
    expect(outbox.body.messages).toHaveLength(1);
  });

  it.each([
    ['in the past', () => inMinutes(-1)],
    ['now', () => new Date(clock.now()).toISOString()],
    ['more than 30 days ahead', () => inMinutes(30 * 1440 + 1)],
    ['without a UTC offset', () => inMinutes(60).replace('Z', '')],
    ['a date alone', () => inMinutes(60).slice(0, 10)],
    ['not a time', () => 'tomorrow at nine'],
    ['as a week date', () => '2027-W01-1T10:00:00Z'],
    ['as an ordinal date', () => '2027-001T10:00:00Z'],
    ['without dashes', () => '20270101T100000Z'],
    ['of null', () => null],
    ['of a number', () => Date.now() + 3_600_000],
  ])('refuses a sendAt %s and stores nothing', async (_, sendAt) => {
    const before = (await t.http().get('/sms/scheduled').expect(200)).body.scheduled.length;
    const res = await schedule('+15550001002', sendAt()).expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.fields[0].field).toBe('sendAt');
    const after = (await t.http().get('/sms/scheduled').expect(200)).body.scheduled.length;
    expect(after).toBe(before);
  });

  it('accepts any UTC offset and answers the instant in UTC', async () => {
    const at = new Date(clock.now() + 90 * MINUTE);
    const local = new Date(at.getTime() + 5.5 * 3_600_000).toISOString().replace('Z', '+05:30');
    const res = await schedule('+15550001003', local).expect(202);
    expect(res.body.sendAt).toBe(at.toISOString());
    await t.http().delete(`/sms/scheduled/${res.body.id}`).expect(200);
  });

  it('cancels a send before its time; after it went out, cancelling is 409', async () => {
    const to = '+15550001004';
    const res = await schedule(to, inMinutes(10)).expect(202);
    const cancelled = await t.http().delete(`/sms/scheduled/${res.body.id}`).expect(200);
    expect(cancelled.body.scheduled).toMatchObject({ id: res.body.id, status: 'cancelled' });
    await t.http().delete(`/sms/scheduled/${res.body.id}`).expect(200);
    await advance(20);
    expect(sentTo(to)).toHaveLength(0);

    const other = await schedule(to, inMinutes(10)).expect(202);
    await advance(10);
    expect(sentTo(to)).toHaveLength(1);
    const late = await t.http().delete(`/sms/scheduled/${other.body.id}`).expect(409);
    expect(late.body.error.code).toBe('scheduled_send_already_sent');
    expect((await entry(other.body.id)).status).toBe('sent');

    const missing = await t.http().delete('/sms/scheduled/nope').expect(404);
    expect(missing.body.error.code).toBe('scheduled_send_not_found');
  });

  it('does not send to someone who texted STOP in between, and records why', async () => {
    const to = '+15550001005';
    const res = await schedule(to, inMinutes(30)).expect(202);
    await t.simulator.sendInbound({ from: to, body: 'STOP' });
    const requests = t.simulator.requestCount;
    await advance(30);
    expect(t.simulator.requestCount).toBe(requests);
    expect(await entry(res.body.id)).toMatchObject({
      status: 'refused',
      errorCode: 'recipient_opted_out',
      sid: null,
    });
    const audit = await t.http().get('/sms/audit').expect(200);
    expect(audit.body.entries).toContainEqual(
      expect.objectContaining({
        action: 'scheduled_send',
        phase: 'outcome',
        outcome: 'refused',
        reason: 'recipient_opted_out',
        recipient: to,
      }),
    );
    // Scheduling to them now is refused at once, and nothing is stored.
    const refused = await schedule(to, inMinutes(30)).expect(403);
    expect(refused.body.error.code).toBe('recipient_opted_out');
  });

  it('applies the message policy when scheduling', async () => {
    const res = await schedule('+19005551234', inMinutes(30)).expect(403);
    expect(res.body.error.code).toBe('destination_not_allowed');
  });

  it('sends after a restart before its time, once', async () => {
    const to = '+15550001006';
    const res = await schedule(to, inMinutes(15)).expect(202);
    await t.restart();
    await advance(15);
    expect(sentTo(to)).toHaveLength(1);
    expect((await entry(res.body.id)).status).toBe('sent');
  });

  it('sends at boot what fell due while the bridge was down', async () => {
    const to = '+15550001007';
    const res = await schedule(to, inMinutes(10)).expect(202);
    await t.restart(() => clock.advance(40 * MINUTE));
    await t.scheduledSettled();
    expect(sentTo(to)).toHaveLength(1);
    expect((await entry(res.body.id)).status).toBe('sent');
  });

  it('expires what fell due more than SMS_SCHEDULE_MAX_LATE_MINUTES ago', async () => {
    const to = '+15550001008';
    const res = await schedule(to, inMinutes(10)).expect(202);
    await t.restart(() => clock.advance(71 * MINUTE));
    await t.scheduledSettled();
    expect(sentTo(to)).toHaveLength(0);
    expect((await entry(res.body.id)).status).toBe('expired');
  });

  it('never sends twice when the bridge died after Twilio accepted', async () => {
    const to = '+15550001009';
    const res = await schedule(to, inMinutes(5)).expect(202);
    const release = t.simulator.holdResponses();
    const requests = t.simulator.requestCount;
    clock.advance(5 * MINUTE);
    await until(() => t.simulator.requestCount === requests + 1, 'the send to reach Twilio');
    // The process stops while Twilio holds the request; the new one boots on the same database.
    await t.restart();
    await t.scheduledSettled();
    release();
    await until(() => sentTo(to).length === 1, 'Twilio to accept the first request');
    expect(await entry(res.body.id)).toMatchObject({
      status: 'unknown',
      errorCode: 'idempotency_key_in_progress',
    });
    await advance(120);
    await t.restart();
    await advance(120);
    expect(sentTo(to)).toHaveLength(1);
    expect(t.simulator.requestCount).toBe(requests + 1);
  });

  it('does not send again a send cut short by a crash long ago: its outcome is unknown', async () => {
    const to = '+15550001010';
    const res = await schedule(to, inMinutes(5)).expect(202);
    const release = t.simulator.holdResponses();
    const requests = t.simulator.requestCount;
    clock.advance(5 * MINUTE);
    await until(() => t.simulator.requestCount === requests + 1, 'the send to reach Twilio');
    // Down for longer than the Idempotency-Key is kept: the key can no longer tell.
    await t.restart(() => clock.advance(25 * 60 * MINUTE));
    await t.scheduledSettled();
    release();
    await until(() => sentTo(to).length === 1, 'Twilio to accept the first request');
    expect(await entry(res.body.id)).toMatchObject({ status: 'unknown' });
    await advance(120);
    expect(sentTo(to)).toHaveLength(1);
    expect(t.simulator.requestCount).toBe(requests + 1);
  });

  it('takes up at boot a send whose holder is gone; on PostgreSQL not one a live bridge still holds', async () => {
    const [gone, held] = ['+15550001011', '+15550001012'];
    const goneId = (await schedule(gone, inMinutes(5)).expect(202)).body.id as string;
    const heldId = (await schedule(held, inMinutes(5)).expect(202)).body.id as string;
    const requests = t.simulator.requestCount;
    await t.restart(async () => {
      // As bridges left them mid-send: one lease runs out before the boot, one after it.
      const db = openDb(t.env.SMS_DATABASE_PATH);
      const plant = (leasedBy: string, leasedUntil: string, id: string) =>
        db.run(
          "UPDATE scheduled_sends SET status = 'sending', leased_by = ?, leased_until = ? WHERE id = ?",
          leasedBy,
          leasedUntil,
          id,
        );
      try {
        await plant('a bridge that died', inMinutes(4), goneId);
        await plant('a bridge still sending', inMinutes(15), heldId);
      } finally {
        await db.close();
      }
      clock.advance(5 * MINUTE);
    });
    await t.scheduledSettled();
    expect(sentTo(gone)).toHaveLength(1);
    expect((await entry(goneId)).status).toBe('sent');
    // One bridge per SQLite file: a send left sending there was cut short by its own crash.
    expect(sentTo(held)).toHaveLength(ON_POSTGRES ? 0 : 1);
    expect((await entry(heldId)).status).toBe(ON_POSTGRES ? 'sending' : 'sent');

    await t.restart(() => clock.advance(11 * MINUTE));
    await t.scheduledSettled();
    expect(sentTo(held)).toHaveLength(1);
    expect((await entry(heldId)).status).toBe('sent');
    expect(t.simulator.requestCount).toBe(requests + 2);
  });
});

describe('scheduled sends and the other rules', () => {
  const inMinutes = (clock: FakeClock, minutes: number) =>
    new Date(clock.now() + minutes * MINUTE).toISOString();

  it('refuses a send for an already full day, and one whose budget ran out by its time', () => {
    const clock = new FakeClock();
    return withTestApp({ clock, env: { SMS_DAILY_LIMIT_PER_RECIPIENT: '1' } }, async (t) => {
      const to = '+15550002001';
      const early = await t
        .http()
        .post('/sms/send')
        .send({ to, body: 'first', sendAt: inMinutes(clock, 1) })
        .expect(202);
      await t.http().post('/sms/send').send({ to, body: 'now' }).expect(201);
      const full = await t
        .http()
        .post('/sms/send')
        .send({ to, body: 'second', sendAt: inMinutes(clock, 2) })
        .expect(429);
      expect(full.body.error.code).toBe('daily_limit_reached');

      clock.advance(MINUTE);
      await t.scheduledSettled();
      expect(t.simulator.messages.map((message) => message.body)).toEqual(['now']);
      const listed = await t.http().get('/sms/scheduled').expect(200);
      expect(listed.body.scheduled).toEqual([
        expect.objectContaining({
          id: early.body.id,
          status: 'refused',
          errorCode: 'daily_limit_reached',
        }),
      ]);
    });
  });

  it('holds a send for later to an unapproved number, and schedules it once approved', () => {
    const clock = new FakeClock();
    return withTestApp({ clock, env: { SMS_REQUIRE_APPROVAL: 'true' } }, async (t) => {
      const to = '+15550002002';
      const sendAt = inMinutes(clock, 60);
      const held = await t
        .http()
        .post('/sms/send')
        .send({ to, body: 'Reminder: dentist at 10', sendAt })
        .expect(202);
      expect(held.body).toEqual({
        status: 'awaiting_approval',
        approvalId: expect.any(String),
        to,
        id: expect.any(String),
        sendAt,
      });

      const approved = await t
        .http()
        .post(`/sms/approvals/${held.body.approvalId}/approve`)
        .set(t.asOperator)
        .expect(200);
      expect(approved.body.message).toBeNull();
      expect(approved.body.scheduled).toMatchObject({ id: held.body.id, status: 'scheduled' });
      expect(t.simulator.messages).toHaveLength(0);

      clock.advance(60 * MINUTE);
      await t.scheduledSettled();
      expect(t.simulator.messages.map((message) => message.body)).toEqual([
        'Reminder: dentist at 10',
      ]);
    });
  });

  it('drops a held send for later when the operator denies the number', () => {
    const clock = new FakeClock();
    return withTestApp({ clock, env: { SMS_REQUIRE_APPROVAL: 'true' } }, async (t) => {
      const held = await t
        .http()
        .post('/sms/send')
        .send({ to: '+15550002003', body: 'Hello', sendAt: inMinutes(clock, 5) })
        .expect(202);
      await t
        .http()
        .post(`/sms/approvals/${held.body.approvalId}/deny`)
        .set(t.asOperator)
        .expect(200);
      clock.advance(10 * MINUTE);
      await t.scheduledSettled();
      expect(t.simulator.requestCount).toBe(0);
      const listed = await t.http().get('/sms/scheduled').expect(200);
      expect(listed.body.scheduled[0]).toMatchObject({
        status: 'refused',
        errorCode: 'contact_denied',
      });
    });
  });
});
