import { Test } from '@nestjs/testing';
import { AppModule } from '../src/app.module';
import { ConfigError } from '../src/config/config.error';
import { TwilioSimulator } from '../src/twilio/simulator/twilio-simulator';
import { BUILT_IN_SIMULATOR } from '../src/twilio/twilio.module';
import { freePort } from './helpers/free-port';
import { TestApp } from './helpers/test-app';

/** No Twilio account at all: what `npm start` on a fresh machine gets. */
const NO_CREDENTIALS = {
  TWILIO_ACCOUNT_SID: '',
  TWILIO_AUTH_TOKEN: '',
  TWILIO_PHONE_NUMBER: '',
  TWILIO_API_BASE_URL: '',
  SMS_SIMULATOR_PORT: '0',
};

describe('simulator mode', () => {
  let t: TestApp;
  let builtIn: TwilioSimulator;

  beforeAll(async () => {
    // The bridge on a port of its own, as `npm start` listens on 3032: the built-in
    // simulator calls it back there, with nothing else set.
    t = await TestApp.create({ env: { ...NO_CREDENTIALS, PORT: String(await freePort()) } });
    builtIn = t.app.get<TwilioSimulator>(BUILT_IN_SIMULATOR);
  });
  afterAll(() => t.close());

  it('says so on /health', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      mode: 'simulator',
      simulator: expect.stringContaining('SIMULATOR MODE'),
      database: 'ok',
    });
  });

  it('runs its own simulator on a local port', () => {
    expect(builtIn).toBeInstanceOf(TwilioSimulator);
    expect(builtIn.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(builtIn.baseUrl).not.toBe(t.simulator.baseUrl);
  });

  it('sends to the built-in simulator, never elsewhere', async () => {
    const res = await t
      .http()
      .post('/sms/send')
      .send({ to: '+15551234567', body: 'Test from the SMS bridge' })
      .expect(201);
    expect(res.body).toMatchObject({
      sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      status: 'queued',
      from: '+15005550006',
    });
    expect(builtIn.messages.map((m) => m.sid)).toEqual([res.body.sid]);
    expect(t.simulator.requestCount).toBe(0);
  });

  it('shows delivery with no settings: the simulator calls the bridge back, signed', async () => {
    await t.approve('+15557654321');
    const res = await t
      .http()
      .post('/sms/send')
      .send({ to: '+15557654321', body: 'Is it delivered?' })
      .expect(201);
    await builtIn.flushCallbacks();
    expect(builtIn.callbackResults.filter((c) => c.messageSid === res.body.sid)).toEqual([
      expect.objectContaining({ messageStatus: 'sent', status: 204 }),
      expect.objectContaining({ messageStatus: 'delivered', status: 204 }),
    ]);
    const outbox = await t.http().get('/sms/outbox').query({ to: '+15557654321' }).expect(200);
    expect(outbox.body.messages).toEqual([
      expect.objectContaining({ sid: res.body.sid, status: 'delivered' }),
    ]);
    const message = await t.http().get(`/sms/messages/${res.body.sid}`).expect(200);
    expect(message.body.history.map((h: { status: string }) => h.status)).toEqual([
      'queued',
      'sent',
      'delivered',
    ]);
  });

  it('records a send the magic numbers make Twilio refuse as failed, with its code', async () => {
    await t.approve('+15005550002');
    await t.http().post('/sms/send').send({ to: '+15005550002', body: 'x' }).expect(422);
    const outbox = await t.http().get('/sms/outbox').query({ to: '+15005550002' }).expect(200);
    expect(outbox.body.messages).toEqual([
      expect.objectContaining({ status: 'failed', errorCode: 21612 }),
    ]);
  });

  it('maps the magic numbers as Twilio would', async () => {
    const res = await t
      .http()
      .post('/sms/send')
      .send({ to: '+15005550004', body: 'x' })
      .expect(403);
    expect(res.body.error).toMatchObject({ code: 'recipient_opted_out', twilioCode: 21610 });
  });

  it('fakes a signed inbound text with POST /simulator/inbound, shown in the inbox', async () => {
    const fake = await fetch(`${builtIn.baseUrl}/simulator/inbound`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: '+15551234567', body: 'a reply' }),
    });
    expect(fake.status).toBe(200);
    const { messageSid, webhookStatus } = (await fake.json()) as {
      messageSid: string;
      webhookStatus: number;
    };
    expect(webhookStatus).toBe(200);

    const inbox = await t.http().get('/sms/inbox').expect(200);
    expect(inbox.body.messages).toEqual([
      expect.objectContaining({ sid: messageSid, from: '+15551234567', body: 'a reply' }),
    ]);
  });

  it('refuses to boot without credentials in production', async () => {
    // The configuration is read as the module is registered, before anything is built.
    const boot = async () =>
      Test.createTestingModule({
        imports: [
          AppModule.register({ env: { ...t.env, ...NO_CREDENTIALS, NODE_ENV: 'production' } }),
        ],
      }).compile();
    await expect(boot()).rejects.toBeInstanceOf(ConfigError);
    await expect(boot()).rejects.toThrow('TWILIO_AUTH_TOKEN: is required when NODE_ENV=production');
  });
});
