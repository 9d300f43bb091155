import { TestApp } from './helpers/test-app';

const SERVICE_SID = `MG${'1234abcd'.repeat(4)}`;
const PUBLIC_BASE = 'https://bridge.example.com';

describe('sending through a Messaging Service', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create({
      env: {
        TWILIO_PHONE_NUMBER: '',
        TWILIO_MESSAGING_SERVICE_SID: SERVICE_SID,
        SMS_PUBLIC_BASE_URL: PUBLIC_BASE,
      },
    });
  });
  afterAll(() => t.close());

  it('says in /health which sender it uses', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      sender: { kind: 'messaging_service', messagingServiceSid: SERVICE_SID, phoneNumber: null },
    });
  });

  it('sends with MessagingServiceSid and no From, then learns the number from callbacks', async () => {
    const res = await t
      .http()
      .post('/sms/send')
      .send({ to: '+15551234567', body: 'via the service' })
      .expect(201);
    expect(res.body).toMatchObject({
      status: 'accepted',
      from: SERVICE_SID,
      messagingServiceSid: SERVICE_SID,
    });
    expect(t.simulator.messages).toEqual([
      expect.objectContaining({ sid: res.body.sid, messagingServiceSid: SERVICE_SID }),
    ]);

    await t.simulator.flushCallbacks();
    const shown = await t.http().get(`/sms/messages/${res.body.sid}`).expect(200);
    expect(shown.body).toMatchObject({
      status: 'delivered',
      from: '+15005550006',
      messagingServiceSid: SERVICE_SID,
    });
    expect(shown.body.history.map((h: { status: string }) => h.status)).toEqual([
      'accepted',
      'queued',
      'sent',
      'delivered',
    ]);
  });
});

describe('a Messaging Service beside a phone number', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create({ env: { TWILIO_MESSAGING_SERVICE_SID: SERVICE_SID } });
  });
  afterAll(() => t.close());

  it('sends from the number under the service', async () => {
    const res = await t
      .http()
      .post('/sms/send')
      .send({ to: '+15551234567', body: 'pinned number' })
      .expect(201);
    expect(res.body).toMatchObject({ from: '+15005550006', messagingServiceSid: SERVICE_SID });
    expect(t.simulator.messages[0]).toMatchObject({
      from: '+15005550006',
      messagingServiceSid: SERVICE_SID,
    });
    const health = await t.http().get('/health').expect(200);
    expect(health.body.sender).toEqual({
      kind: 'messaging_service',
      messagingServiceSid: SERVICE_SID,
      phoneNumber: '+15005550006',
    });
  });
});
