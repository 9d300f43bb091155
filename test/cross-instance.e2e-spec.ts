import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countRows, queryDb } from './helpers/db-file';
import { metricValue } from './helpers/metric-value';
import { FakeClock } from './helpers/fake-clock';
import { TestApp } from './helpers/test-app';
import { describeOnPostgres, twoBridges } from './helpers/two-bridges';
import { until } from './helpers/until';

/**
 * Two bridges on one PostgreSQL database and one Twilio, as behind a load balancer or a
 * Twilio fallback URL: every rule holds across them, by the database.
 */
describeOnPostgres('two bridges on one PostgreSQL database', () => {
  it('admits exactly the 5 sends left in the day out of 20 at once, split across both', async () => {
    const { a, b, close } = await twoBridges({ SMS_DAILY_LIMIT: '5' });
    try {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? a : b)
            .http()
            .post('/sms/send')
            .send({ to: `+1555000${String(2000 + i)}`, body: `budget ${i}` }),
        ),
      );
      const statuses = answers.map((res) => res.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(5);
      expect(statuses.filter((status) => status === 429)).toHaveLength(15);
      expect(answers.filter((res) => res.status === 429).map((res) => res.body.error.code)).toEqual(
        Array(15).fill('daily_limit_reached'),
      );
      expect(a.simulator.messages).toHaveLength(5);
      expect(await countRows(a.env.SMS_DATABASE_PATH, 'outbound_messages')).toBe(5);
    } finally {
      await close();
    }
  });

  it('calls Twilio once for one Idempotency-Key sent to both at once', async () => {
    const { a, b, close } = await twoBridges();
    try {
      // Twilio answers slowly, so the second arrives while the first is still sending.
      a.simulator.knobs.responseDelayMs = 300;
      const send = (t: TestApp) =>
        t
          .http()
          .post('/sms/send')
          .set('Idempotency-Key', 'one-order-shipped')
          .send({ to: '+15550003001', body: 'Your order shipped' });
      const [first, second] = await Promise.all([send(a), send(b)]);
      // The one that lost the race is told the first is still running, or replays it.
      expect([first.status, second.status].sort()).toEqual(
        second.status === 409 || first.status === 409 ? [201, 409] : [201, 201],
      );
      expect(a.simulator.requestCount).toBe(1);
      expect(a.simulator.messages).toHaveLength(1);

      const replay = await send(b).expect(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.sid).toBe(a.simulator.messages[0].sid);
      expect(a.simulator.requestCount).toBe(1);
    } finally {
      await close();
    }
  });

  it('stores a Twilio retry delivered to the other bridge once', async () => {
    const { a, b, close } = await twoBridges();
    try {
      const first = await a.simulator.sendInbound({
        from: '+15557650001',
        body: 'Is it open today?',
        url: `${a.url}/sms/webhook`,
      });
      const retry = await a.simulator.sendInbound({
        from: '+15557650001',
        body: 'Is it open today?',
        url: `${b.url}/sms/webhook`,
        messageSid: first.messageSid,
      });
      expect([first.status, retry.status]).toEqual([200, 200]);
      expect(await countRows(a.env.SMS_DATABASE_PATH, 'inbound_messages')).toBe(1);
      for (const t of [a, b]) {
        const inbox = await t.http().get('/sms/inbox').expect(200);
        expect(inbox.body.messages.map((m: { sid: string }) => m.sid)).toEqual([first.messageSid]);
      }
    } finally {
      await close();
    }
  });

  it('sends a held message once when the operator approves it on both at once', async () => {
    const { a, b, close } = await twoBridges({ SMS_REQUIRE_APPROVAL: 'true' });
    try {
      const held = await a
        .http()
        .post('/sms/send')
        .send({ to: '+15550004001', body: 'Held for the operator' })
        .expect(202);
      const approve = (t: TestApp) =>
        t.http().post(`/sms/approvals/${held.body.approvalId}/approve`).set(t.asOperator);
      const answers = await Promise.all([approve(a), approve(b)]);
      expect(answers.map((res) => res.status).sort()).toEqual([200, 409]);
      expect(answers.find((res) => res.status === 409)!.body.error.code).toBe(
        'approval_already_decided',
      );
      expect(a.simulator.messages.map((m) => m.body)).toEqual(['Held for the operator']);
    } finally {
      await close();
    }
  });

  it('approves a held send by a YES Twilio delivers to the other bridge, and sends it once', async () => {
    const operator = '+15551239000';
    const { a, b, close } = await twoBridges({
      SMS_REQUIRE_APPROVAL: 'true',
      SMS_OPERATOR_NUMBERS: operator,
    });
    try {
      const to = '+15550004002';
      const held = await a.http().post('/sms/send').send({ to, body: 'Held for YES' }).expect(202);
      await until(() => a.simulator.messages.some((m) => m.to === operator), 'the code to go out');
      const code = /Reply YES (\d+) to send/.exec(
        a.simulator.messages.find((m) => m.to === operator)!.body,
      )![1];

      const reply = await a.simulator.sendInbound({
        from: operator,
        body: `YES ${code}`,
        url: `${b.url}/sms/webhook`,
      });
      expect(reply.status).toBe(200);

      const approvals = await a.http().get('/sms/approvals').expect(200);
      expect(approvals.body.approvals).toEqual([
        expect.objectContaining({ id: held.body.approvalId, status: 'approved' }),
      ]);
      expect(a.simulator.messages.filter((m) => m.to === to).map((m) => m.body)).toEqual([
        'Held for YES',
      ]);
      expect(a.simulator.messages.filter((m) => m.to === operator).at(-1)!.body).toBe(
        `Sent to ${to}.`,
      );
    } finally {
      await close();
    }
  });

  it('sends a scheduled text once when both bridges wake for it', async () => {
    const clock = new FakeClock();
    const a = await TestApp.create({ clock });
    const sendAt = new Date(clock.now() + 60_000).toISOString();
    const scheduled = await a
      .http()
      .post('/sms/send')
      .send({ to: '+15550005001', body: 'At nine', sendAt })
      .expect(202);
    // Booted after the send was planned, B arms its timer for it too.
    const b = await TestApp.create({ clock, beside: a });
    try {
      clock.advance(60_000);
      await Promise.all([a.scheduledSettled(), b.scheduledSettled()]);
      expect(a.simulator.messages.map((m) => m.body)).toEqual(['At nine']);
      const listed = await b.http().get('/sms/scheduled').expect(200);
      expect(listed.body.scheduled).toEqual([
        expect.objectContaining({ id: scheduled.body.id, status: 'sent' }),
      ]);
    } finally {
      await b.close();
      await a.close();
    }
  });

  it('leaves a scheduled text alone when it boots while the other bridge is sending it', async () => {
    const clock = new FakeClock();
    const a = await TestApp.create({ clock });
    const to = '+15550005002';
    const scheduled = await a
      .http()
      .post('/sms/send')
      .send({ to, body: 'At ten', sendAt: new Date(clock.now() + 60_000).toISOString() })
      .expect(202);
    const release = a.simulator.holdResponses();
    clock.advance(60_000);
    await until(() => a.simulator.requestCount === 1, 'A to be sending');
    // B boots while Twilio holds A's request: the row is A's, not one a crash cut short.
    const b = await TestApp.create({ clock, beside: a });
    try {
      await b.scheduledSettled();
      const during = await b.http().get('/sms/scheduled').expect(200);
      expect(during.body.scheduled).toEqual([
        expect.objectContaining({ id: scheduled.body.id, status: 'sending' }),
      ]);
      release();
      await a.scheduledSettled();

      const listed = await b.http().get('/sms/scheduled').expect(200);
      expect(listed.body.scheduled).toEqual([
        expect.objectContaining({ id: scheduled.body.id, status: 'sent' }),
      ]);
      expect(a.simulator.requestCount).toBe(1);
      expect(a.simulator.messages.map((m) => m.to)).toEqual([to]);
      // One attempt and its acceptance: B recorded no interrupted send.
      const audit = await queryDb<{ phase: string; outcome: string | null }>(
        a.env.SMS_DATABASE_PATH,
        "SELECT phase, outcome FROM audit_log WHERE action = 'scheduled_send' ORDER BY id",
      );
      expect(audit).toEqual([
        { phase: 'attempt', outcome: null },
        { phase: 'outcome', outcome: 'accepted' },
      ]);
    } finally {
      release();
      await b.close();
      await a.close();
    }
  });

  it('pushes each inbound text to SMS_FORWARD_URL once, though both bridges drain the queue', async () => {
    const calls: string[] = [];
    const hook: Server = createServer((req, res) => {
      calls.push(String(req.headers['x-sms-bridge-delivery']));
      // Slow, so that both bridges poll while a push is in flight.
      setTimeout(() => res.writeHead(200).end(), 30);
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      const { a, b, close } = await twoBridges({
        SMS_FORWARD_URL: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hooks/sms`,
        SMS_FORWARD_SECRET: 'a-shared-secret-of-enough-length',
        SMS_FORWARD_POLL_MS: '10',
      });
      try {
        const sids: string[] = [];
        for (let i = 0; i < 10; i++) {
          const t = i % 2 ? a : b;
          const sent = await t.simulator.sendInbound({
            from: '+15557650002',
            body: `push ${i}`,
            url: `${t.url}/sms/webhook`,
          });
          sids.push(sent.messageSid);
        }
        await until(
          async () => (await a.forwards()).filter((f) => f.state === 'delivered').length === 10,
          'ten pushes recorded as delivered',
        );
        // A text stored after the ten were delivered is pushed and recorded: the queue was
        // drained past them since, and each bridge's count of its own pushes adds up.
        const later = await a.simulator.sendInbound({
          from: '+15557650002',
          body: 'a later text',
          url: `${a.url}/sms/webhook`,
        });
        await until(
          async () =>
            (await a.forwards()).some((f) => f.sid === later.messageSid && f.state === 'delivered'),
          'the later text pushed',
        );
        expect(calls.slice(0, 10).sort()).toEqual(sids.sort());
        expect(calls.slice(10)).toEqual([later.messageSid]);
        const delivered = 'sms_bridge_forward_pushes_total{outcome="delivered"}';
        const counted = await Promise.all(
          [a, b].map(async (t) => metricValue((await t.http().get('/metrics')).text, delivered)),
        );
        expect(counted[0] + counted[1]).toBe(11);
      } finally {
        await close();
      }
    } finally {
      hook.closeAllConnections();
      await new Promise((resolve) => hook.close(resolve));
    }
  });

  it('counts the send throttle once for both bridges', async () => {
    const { a, b, close } = await twoBridges({ SMS_SEND_RATE_PER_MINUTE: '3' });
    try {
      for (const t of [a, b, a]) {
        await t.http().post('/sms/send').send({ to: '+15550006001', body: 'hi' }).expect(201);
      }
      const fourth = await b.http().post('/sms/send').send({ to: '+15550006001', body: 'hi' });
      expect(fourth.status).toBe(429);
      expect(fourth.body.error.code).toBe('too_many_requests');
      expect(a.simulator.messages).toHaveLength(3);
    } finally {
      await close();
    }
  });
});
