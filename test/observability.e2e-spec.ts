import { holdWriteLock } from './helpers/db-file';
import { metricValue } from './helpers/metric-value';
import { TestApp } from './helpers/test-app';

describe('structured logs', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  it('writes one JSON line per request with id, method, path, status and time', async () => {
    const res = await t.http().get('/sms/inbox?since=2026-01-01T00:00:00Z').expect(200);
    const requestId = res.headers['x-request-id'];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const lines = t
      .logs()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { req?: { id?: string } });
    const access = lines.filter((line) => line.req?.id === requestId);
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({
      level: 30,
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      req: { id: requestId, method: 'GET', path: '/sms/inbox' },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
    // The query is not logged: filters can name people.
    expect(JSON.stringify(access[0])).not.toContain('since=');
  });

  it('never writes the auth token, credentials, signatures, cookies or message bodies', async () => {
    const body = 'secret plans for tuesday';
    await t.http().post('/sms/send').send({ to: '+15551234567', body }).expect(201);
    const inbound = await t.simulator.sendInbound({
      from: '+15557654321',
      body: 'inbound words here',
    });
    expect(inbound.status).toBe(200);
    const basic = Buffer.from(`${t.accountSid}:${t.authToken}`).toString('base64');
    await t
      .http()
      .get('/sms/inbox')
      .set('Authorization', `Basic ${basic}`)
      .set('Cookie', 'session=cookie-value-1234')
      .expect(200);
    await t
      .http()
      .post('/sms/webhook')
      .set('X-Twilio-Signature', 'forged-signature-value')
      .type('form')
      .send({ Body: 'x' })
      .expect(403);

    const logs = t.logs();
    expect(logs).toContain('POST /sms/send 201');
    // Request lines name the request, not its headers (where credentials travel).
    const requestLines = logs
      .split('\n')
      .filter((line) => line.includes('"req":'))
      .map((line) => JSON.parse(line) as { req: Record<string, unknown> });
    expect(requestLines.length).toBeGreaterThan(0);
    for (const { req } of requestLines) {
      expect(Object.keys(req).sort()).toEqual(['id', 'method', 'path', 'remoteAddress']);
    }
    for (const secret of [
      t.authToken,
      basic,
      'cookie-value-1234',
      'forged-signature-value',
      body,
      'inbound words here',
    ]) {
      expect(logs).not.toContain(secret);
    }
  });
});

describe('GET /metrics', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  const scrape = async () => {
    const res = await t.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    return res.text;
  };

  it('counts sends by outcome and times Twilio', async () => {
    const before = await scrape();
    await t.http().post('/sms/send').send({ to: '+15551234567', body: 'hi' }).expect(201);
    await t.http().post('/sms/send').send({ to: '+15005550001', body: 'hi' }).expect(400);
    const after = await scrape();
    const accepted = 'sms_bridge_sends_total{outcome="accepted"}';
    const refused = 'sms_bridge_sends_total{outcome="refused"}';
    expect(metricValue(after, accepted) - metricValue(before, accepted)).toBe(1);
    expect(metricValue(after, refused) - metricValue(before, refused)).toBe(1);
    expect(
      metricValue(
        after,
        'sms_bridge_twilio_request_duration_seconds_count{operation="messages.create",outcome="ok"}',
      ),
    ).toBe(1);
    expect(metricValue(after, 'sms_bridge_refusals_total{reason="invalid_recipient"}')).toBe(1);
  });

  it('counts inbound messages and refused webhooks, storing nothing for the refusal', async () => {
    const before = await scrape();
    expect((await t.simulator.sendInbound({ from: '+15557654321', body: 'yo' })).status).toBe(200);
    await t
      .http()
      .post('/sms/webhook')
      .set('X-Twilio-Signature', 'bad')
      .type('form')
      .send({
        MessageSid: 'SM' + '0'.repeat(32),
        From: '+15550000000',
        To: '+15005550006',
        Body: 'x',
      })
      .expect(403);
    const after = await scrape();
    const delta = (series: string) => metricValue(after, series) - metricValue(before, series);
    expect(delta('sms_bridge_inbound_messages_total{result="stored"}')).toBe(1);
    expect(delta('sms_bridge_webhook_signature_failures_total{reason="invalid_signature"}')).toBe(
      1,
    );
    expect(delta('sms_bridge_refusals_total{reason="invalid_signature"}')).toBe(1);
    const inbox = await t.http().get('/sms/inbox').expect(200);
    expect(inbox.body.messages.map((m: { body: string }) => m.body)).toEqual(['yo']);
  });

  it('shows the daily budget left and the approvals held', async () => {
    const guarded = await TestApp.create({
      env: { SMS_REQUIRE_APPROVAL: 'true', SMS_DAILY_LIMIT: '5' },
    });
    try {
      await guarded.approve('+15551234567');
      await guarded.http().post('/sms/send').send({ to: '+15551234567', body: 'a' }).expect(201);
      await guarded.http().post('/sms/send').send({ to: '+15559990000', body: 'b' }).expect(202);
      const metrics = (await guarded.http().get('/metrics').expect(200)).text;
      expect(metricValue(metrics, 'sms_bridge_daily_budget_remaining')).toBe(4);
      expect(metricValue(metrics, 'sms_bridge_approvals_held')).toBe(1);
    } finally {
      await guarded.close();
    }
  });

  it('is local-only', async () => {
    await t.http().get('/metrics').set('X-Forwarded-For', '203.0.113.9').expect(403);
  });
});

describe('GET /health/ready', () => {
  it('is ready with a full account, verified once at boot, not on every probe', async () => {
    const t = await TestApp.create();
    try {
      const first = await t.http().get('/health/ready').expect(200);
      expect(first.body).toMatchObject({
        status: 'ready',
        checks: {
          database: { ok: true },
          disk: { ok: true, minFreeMb: 100 },
          twilio: { ok: true, account: { type: 'Full', status: 'active' } },
        },
      });
      expect(first.body.checks.twilio.trialLimits).toBeUndefined();
      await t.http().get('/health/ready').expect(200);
      const metrics = (await t.http().get('/metrics')).text;
      expect(
        metricValue(
          metrics,
          'sms_bridge_twilio_request_duration_seconds_count{operation="accounts.fetch",outcome="ok"}',
        ),
      ).toBe(1);
      await t
        .http()
        .get('/health')
        .expect(200, /"status":"ok"/);
    } finally {
      await t.close();
    }
  });

  it('reports a trial account with its limits', async () => {
    const t = await TestApp.create({ trial: { verifiedNumbers: ['+15551234567'] } });
    try {
      const res = await t.http().get('/health/ready').expect(200);
      expect(res.body.checks.twilio).toMatchObject({
        ok: true,
        account: { type: 'Trial' },
        trialLimits: expect.arrayContaining([expect.stringMatching(/verified/)]),
      });
      expect(JSON.stringify(res.body)).not.toContain(t.authToken);
    } finally {
      await t.close();
    }
  });

  it('fails when the database cannot be written, and recovers', async () => {
    const t = await TestApp.create();
    try {
      const release = await holdWriteLock(t.env.SMS_DATABASE_PATH);
      const res = await t.http().get('/health/ready').expect(503);
      expect(res.body).toMatchObject({
        status: 'not_ready',
        checks: {
          database: { ok: false, problem: expect.stringMatching(/cannot be written.*lock/) },
        },
      });
      await release();
      await t.http().get('/health/ready').expect(200);
    } finally {
      await t.close();
    }
  });

  it('fails when free disk is below SMS_MIN_FREE_DISK_MB', async () => {
    const t = await TestApp.create({ env: { SMS_MIN_FREE_DISK_MB: '100000000' } });
    try {
      const res = await t.http().get('/health/ready').expect(503);
      expect(res.body.checks.disk).toMatchObject({
        ok: false,
        minFreeMb: 100000000,
        problem: expect.stringMatching(/SMS_MIN_FREE_DISK_MB/),
      });
    } finally {
      await t.close();
    }
  });

  it('fails when Twilio refuses the credentials', async () => {
    const t = await TestApp.create({ env: { TWILIO_AUTH_TOKEN: 'f'.repeat(32) } });
    try {
      const res = await t.http().get('/health/ready').expect(503);
      expect(res.body.checks.twilio).toMatchObject({ ok: false, code: 'twilio_auth_failed' });
    } finally {
      await t.close();
    }
  });
});
