import { TestApp } from './helpers/test-app';

const MEDIA_BASE = 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media';

describe('MMS', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  it('stores an inbound picture message with two media items and shows them', async () => {
    const inbound = await t.simulator.sendInbound({
      from: '+15550000010',
      body: 'two pictures',
      messageSid: `MM${'c'.repeat(32)}`,
      params: {
        NumMedia: '2',
        MediaUrl0: `${MEDIA_BASE}/ME0`,
        MediaContentType0: 'image/jpeg',
        MediaUrl1: `${MEDIA_BASE}/ME1`,
        MediaContentType1: 'image/png',
      },
    });
    expect(inbound.status).toBe(200);

    const media = [
      { url: `${MEDIA_BASE}/ME0`, contentType: 'image/jpeg' },
      { url: `${MEDIA_BASE}/ME1`, contentType: 'image/png' },
    ];
    const inbox = await t.http().get('/sms/inbox').expect(200);
    expect(inbox.body.messages).toEqual([
      expect.objectContaining({ sid: inbound.messageSid, body: 'two pictures', media }),
    ]);
    const one = await t.http().get(`/sms/messages/${inbound.messageSid}`).expect(200);
    expect(one.body).toMatchObject({ direction: 'inbound', media });
  });

  it('sends media URLs to Twilio as MediaUrl, with or without a body', async () => {
    const urls = ['https://example.com/a.jpg', 'https://cdn.example.org/b.png'];
    const res = await t
      .http()
      .post('/sms/send')
      .send({ to: '+15551234567', mediaUrl: urls })
      .expect(201);
    expect(res.body).toMatchObject({ sid: expect.stringMatching(/^MM[0-9a-f]{32}$/), segments: 1 });
    expect(t.simulator.messages.at(-1)).toMatchObject({
      sid: res.body.sid,
      body: '',
      mediaUrls: urls,
    });

    const shown = await t.http().get(`/sms/messages/${res.body.sid}`).expect(200);
    expect(shown.body).toMatchObject({
      direction: 'outbound',
      body: '',
      media: urls.map((url) => ({ url, contentType: null })),
    });

    const withBody = await t
      .http()
      .post('/sms/send')
      .send({ to: '+15551234567', body: 'look', mediaUrl: [urls[0]] })
      .expect(201);
    expect(t.simulator.messages.at(-1)).toMatchObject({
      sid: withBody.body.sid,
      body: 'look',
      mediaUrls: [urls[0]],
    });
  });

  it.each([
    ['an http URL', ['http://example.com/a.jpg']],
    ['localhost', ['https://localhost/a.jpg']],
    ['a private address', ['https://192.168.1.20/a.jpg']],
    ['the cloud metadata address', ['https://169.254.169.254/latest']],
    ['eleven URLs', Array.from({ length: 11 }, (_, i) => `https://example.com/${i}.jpg`)],
    ['an empty list', []],
    ['not a list', 'https://example.com/a.jpg'],
  ])('refuses %s before Twilio is called', async (_name, mediaUrl) => {
    const requests = t.simulator.requestCount;
    const before = (await t.http().get('/sms/outbox?limit=500').expect(200)).body.messages.length;
    const res = await t
      .http()
      .post('/sms/send')
      .send({ to: '+15551234567', body: 'hi', mediaUrl })
      .expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.fields).toEqual([expect.objectContaining({ field: 'mediaUrl' })]);
    expect(t.simulator.requestCount).toBe(requests);
    const after = (await t.http().get('/sms/outbox?limit=500').expect(200)).body.messages.length;
    expect(after).toBe(before);
  });

  it('still needs a body when there is no media', async () => {
    const requests = t.simulator.requestCount;
    const res = await t.http().post('/sms/send').send({ to: '+15551234567' }).expect(400);
    expect(res.body.error.fields).toEqual([expect.objectContaining({ field: 'body' })]);
    expect(t.simulator.requestCount).toBe(requests);
  });
});
