import { TestApp } from './helpers/test-app';

describe('POST /sms/send', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  it('sends through Twilio and answers with a Twilio message sid', async () => {
    const res = await t
      .http()
      .post('/sms/send')
      .send({ to: '+15551234567', body: 'Test from the SMS bridge' })
      .expect(201);
    expect(res.body).toMatchObject({
      sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      status: 'queued',
      to: '+15551234567',
      from: '+15005550006',
      segments: 1,
    });
    expect(t.simulator.messages.map((m) => m.sid)).toEqual([res.body.sid]);
  });
});
