import { APPROVAL_CODE_DIGITS } from '../src/safety/approvals/approvals.service';
import { FakeClock } from './helpers/fake-clock';
import { TestApp } from './helpers/test-app';
import { until } from './helpers/until';
import { withTestApp } from './helpers/with-test-app';

/*
 * A send for later to a number nobody approved waits for the operator. Whatever the
 * operator decides, and however (the token or YES by text), the send keeps its own fate:
 * cancelled is never sent, approved goes at its sendAt, too late is expired and said so.
 */

const MINUTE = 60_000;
const OPERATOR = '+15551239000';
/** SMS_SCHEDULE_MAX_LATE_MINUTES in these tests. */
const MAX_LATE_MINUTES = 30;
const env = {
  SMS_REQUIRE_APPROVAL: 'true',
  SMS_OPERATOR_NUMBERS: OPERATOR,
  SMS_SCHEDULE_MAX_LATE_MINUTES: String(MAX_LATE_MINUTES),
};

const textsTo = (t: TestApp, to: string) => t.simulator.messages.filter((m) => m.to === to);

/** Holds a send for later to `to`, and the code the operator's phone got for it. */
async function holdForLater(t: TestApp, clock: FakeClock, to: string, inMinutes: number) {
  const seen = textsTo(t, OPERATOR).length;
  const sendAt = new Date(clock.now() + inMinutes * MINUTE).toISOString();
  const res = await t
    .http()
    .post('/sms/send')
    .send({ to, body: 'Reminder: dentist at 10', sendAt })
    .expect(202);
  expect(res.body.status).toBe('awaiting_approval');
  await until(() => textsTo(t, OPERATOR).length > seen, 'the notification');
  const code = new RegExp(`Reply YES (\\d{${APPROVAL_CODE_DIGITS}})`).exec(
    textsTo(t, OPERATOR)[seen].body,
  )![1];
  return { id: res.body.id as string, approvalId: res.body.approvalId as string, sendAt, code };
}

/** Approves by text and answers the confirmation the phone got. */
async function approveByText(t: TestApp, code: string): Promise<string> {
  const seen = textsTo(t, OPERATOR).length;
  await t.simulator.sendInbound({ from: OPERATOR, body: `YES ${code}` });
  await until(() => textsTo(t, OPERATOR).length > seen, 'the confirmation');
  return textsTo(t, OPERATOR)[seen].body;
}

/** The send for later as the agent lists it. */
async function scheduled(t: TestApp, id: string): Promise<Record<string, unknown>> {
  const res = await t.http().get('/sms/scheduled').expect(200);
  return res.body.scheduled.find((row: { id: string }) => row.id === id);
}

describe('a held send for later, cancelled', () => {
  it('is never sent when the operator approves it with the token', () => {
    const clock = new FakeClock();
    return withTestApp({ clock, env }, async (t) => {
      const to = '+15550003001';
      const held = await holdForLater(t, clock, to, 60);
      await t.http().delete(`/sms/scheduled/${held.id}`).expect(200);

      const approved = await t
        .http()
        .post(`/sms/approvals/${held.approvalId}/approve`)
        .set(t.asOperator)
        .expect(200);
      expect(approved.body.message).toBeNull();
      expect(approved.body.scheduled).toMatchObject({ id: held.id, status: 'cancelled' });

      clock.advance(90 * MINUTE);
      await t.scheduledSettled();
      expect(textsTo(t, to)).toHaveLength(0);
      expect(await scheduled(t, held.id)).toMatchObject({ status: 'cancelled', sid: null });
      const outbox = await t.http().get('/sms/outbox').expect(200);
      expect(outbox.body.messages).toHaveLength(0);
    });
  });

  it('is never sent when the operator approves it with YES by text, and the phone is told', () => {
    const clock = new FakeClock();
    return withTestApp({ clock, env }, async (t) => {
      const to = '+15550003002';
      const held = await holdForLater(t, clock, to, 60);
      await t.http().delete(`/sms/scheduled/${held.id}`).expect(200);

      const confirmation = await approveByText(t, held.code);
      expect(confirmation).toBe(
        `Approved ${to}; the agent cancelled that text, so nothing was sent.`,
      );

      clock.advance(90 * MINUTE);
      await t.scheduledSettled();
      expect(textsTo(t, to)).toHaveLength(0);
      expect(await scheduled(t, held.id)).toMatchObject({ status: 'cancelled' });
    });
  });
});

describe('a held send for later, approved', () => {
  it('goes at its sendAt when approved by text, not at once', () => {
    const clock = new FakeClock();
    return withTestApp({ clock, env }, async (t) => {
      const to = '+15550003003';
      const held = await holdForLater(t, clock, to, 60);

      const confirmation = await approveByText(t, held.code);
      expect(confirmation).toBe(`Approved ${to}: the text goes at ${held.sendAt}.`);
      await t.scheduledSettled();
      expect(textsTo(t, to)).toHaveLength(0);
      expect(await scheduled(t, held.id)).toMatchObject({
        status: 'scheduled',
        sendAt: held.sendAt,
      });

      clock.advance(59 * MINUTE);
      await t.scheduledSettled();
      expect(textsTo(t, to)).toHaveLength(0);
      clock.advance(1 * MINUTE);
      await t.scheduledSettled();
      expect(textsTo(t, to).map((m) => m.body)).toEqual(['Reminder: dentist at 10']);
    });
  });

  it('goes at once when approved late but within SMS_SCHEDULE_MAX_LATE_MINUTES', () => {
    const clock = new FakeClock();
    return withTestApp({ clock, env }, async (t) => {
      const to = '+15550003004';
      const held = await holdForLater(t, clock, to, 5);
      clock.advance((5 + MAX_LATE_MINUTES - 1) * MINUTE);

      const approved = await t
        .http()
        .post(`/sms/approvals/${held.approvalId}/approve`)
        .set(t.asOperator)
        .expect(200);
      expect(approved.body.scheduled).toMatchObject({ id: held.id, status: 'scheduled' });
      // The fake clock fires the runner's timer, armed for "now", once time moves at all.
      clock.advance(1);
      await t.scheduledSettled();
      expect(textsTo(t, to)).toHaveLength(1);
    });
  });

  it('is expired, not approved, past SMS_SCHEDULE_MAX_LATE_MINUTES: the token answer says so', () => {
    const clock = new FakeClock();
    return withTestApp({ clock, env }, async (t) => {
      const to = '+15550003005';
      const held = await holdForLater(t, clock, to, 5);
      clock.advance((5 + MAX_LATE_MINUTES + 1) * MINUTE);

      const approved = await t
        .http()
        .post(`/sms/approvals/${held.approvalId}/approve`)
        .set(t.asOperator)
        .expect(200);
      expect(approved.body.message).toBeNull();
      expect(approved.body.scheduled).toMatchObject({ id: held.id, status: 'expired' });
      clock.advance(MINUTE);
      await t.scheduledSettled();
      expect(textsTo(t, to)).toHaveLength(0);
      expect(await scheduled(t, held.id)).toMatchObject({ status: 'expired', sid: null });
    });
  });

  it('is expired past SMS_SCHEDULE_MAX_LATE_MINUTES when approved by text, and the phone is told', () => {
    const clock = new FakeClock();
    return withTestApp({ clock, env }, async (t) => {
      const to = '+15550003006';
      const held = await holdForLater(t, clock, to, 5);
      clock.advance((5 + MAX_LATE_MINUTES + 1) * MINUTE);

      const confirmation = await approveByText(t, held.code);
      expect(confirmation).toBe(
        `Expired: the text to ${to} was due at ${held.sendAt}, too long ago (SMS_SCHEDULE_MAX_LATE_MINUTES), so nothing was sent. ${to} is approved.`,
      );
      await t.scheduledSettled();
      expect(textsTo(t, to)).toHaveLength(0);
      expect(await scheduled(t, held.id)).toMatchObject({ status: 'expired' });
    });
  });
});
