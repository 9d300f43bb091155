import { TestApp } from './helpers/test-app';

describe('segments and encoding of a send', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  // Figures from Twilio's segment calculator (https://twiliodeved.github.io/message-segment-calculator/).
  it.each([
    ['160 GSM-7 characters', 'a'.repeat(160), 'GSM-7', 1],
    ['161 GSM-7 characters', 'a'.repeat(161), 'GSM-7', 2],
    ['307 GSM-7 characters', 'a'.repeat(307), 'GSM-7', 3],
    ['80 extension characters (2 septets each)', '€'.repeat(80), 'GSM-7', 1],
    ['81 extension characters', '[]'.repeat(40) + '€', 'GSM-7', 2],
    ['70 UCS-2 characters', 'ć'.repeat(70), 'UCS-2', 1],
    ['71 UCS-2 characters', 'ć'.repeat(71), 'UCS-2', 2],
    ['35 emoji (70 code units)', '😀'.repeat(35), 'UCS-2', 1],
    ['36 emoji (72 code units)', '😀'.repeat(36), 'UCS-2', 2],
  ])('%s', async (_name, body, encoding, segments) => {
    const res = await t.http().post('/sms/send').send({ to: '+15551234567', body }).expect(201);
    expect(res.body).toMatchObject({ segments, encoding });
    // The simulator counts with its own implementation, as Twilio would report num_segments.
    const twilio = t.simulator.messages.find((m) => m.sid === res.body.sid);
    expect(twilio?.numSegments).toBe(segments);
    const stored = await t.http().get(`/sms/messages/${res.body.sid}`).expect(200);
    expect(stored.body).toMatchObject({ segments, encoding, twilioSegments: segments });
  });

  it('refuses a body over 10 segments before Twilio is called, and stores nothing', async () => {
    const requests = t.simulator.requestCount;
    const before = (await t.http().get('/sms/outbox?limit=500').expect(200)).body.messages.length;

    const res = await t
      .http()
      .post('/sms/send')
      .send({ to: '+15551234567', body: 'é'.repeat(1530) + 'a' })
      .expect(400);
    expect(res.body.error).toMatchObject({
      code: 'body_too_long',
      segments: 11,
      maxSegments: 10,
      encoding: 'GSM-7',
    });
    const ucs2 = await t
      .http()
      .post('/sms/send')
      .send({ to: '+15551234567', body: 'ć'.repeat(671) })
      .expect(400);
    expect(ucs2.body.error).toMatchObject({ code: 'body_too_long', segments: 11, maxSegments: 10 });

    expect(t.simulator.requestCount).toBe(requests);
    const after = (await t.http().get('/sms/outbox?limit=500').expect(200)).body.messages.length;
    expect(after).toBe(before);
  });

  it('sends exactly 10 segments', async () => {
    const res = await t
      .http()
      .post('/sms/send')
      .send({ to: '+15551234567', body: 'a'.repeat(1530) })
      .expect(201);
    expect(res.body).toMatchObject({ segments: 10, encoding: 'GSM-7' });
  });
});
