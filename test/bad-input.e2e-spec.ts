import { BAD_INPUT, CorpusContext } from './corpus/bad-input';
import { rawRequest, wireRequest } from './helpers/raw-request';
import { rowCounts } from './helpers/row-counts';
import { TestApp } from './helpers/test-app';

describe('hostile input', () => {
  let t: TestApp;
  let context: CorpusContext;

  beforeAll(async () => {
    t = await TestApp.create();
    context = { baseUrl: t.url, authToken: t.authToken, accountSid: t.accountSid };
  });
  afterAll(() => t.close());

  it('has at least 60 distinct bad inputs', () => {
    expect(BAD_INPUT.length).toBeGreaterThanOrEqual(60);
    expect(new Set(BAD_INPUT.map((c) => c.name)).size).toBe(BAD_INPUT.length);
  });

  it.each(BAD_INPUT.map((c) => [c.name, c] as const))(
    'refuses %s, stores nothing and stays up',
    async (_name, badInput) => {
      const before = await rowCounts(t.env.SMS_DATABASE_PATH);
      const requestsBefore = t.simulator.requestCount;

      const built = badInput.build(context);
      const res = built.wire
        ? await wireRequest(t.url, built.wire)
        : await rawRequest(t.url, { method: badInput.method, path: badInput.path, ...built });

      expect({ status: res.status, type: res.headers['content-type'] }).toEqual({
        status: badInput.expectStatus,
        type: expect.stringMatching(/^application\/json/),
      });
      const body = JSON.parse(res.text) as { error: { code: string; message: string } };
      expect(body.error).toMatchObject({ code: badInput.expectCode, message: expect.any(String) });
      expect(res.text).not.toMatch(/at .+\.(js|ts):\d+/);
      expect(await rowCounts(t.env.SMS_DATABASE_PATH)).toEqual(before);
      expect(t.simulator.requestCount).toBe(requestsBefore);
      const health = await rawRequest(t.url, { method: 'GET', path: '/health' });
      expect(health.status).toBe(200);
    },
  );

  it('still sends and receives after the whole corpus', async () => {
    await t.http().post('/sms/send').send({ to: '+15551234567', body: 'still here' }).expect(201);
    const inbound = await t.simulator.sendInbound({ from: '+15557654321', body: 'still here' });
    expect(inbound.status).toBe(200);
    expect(await rowCounts(t.env.SMS_DATABASE_PATH)).toMatchObject({ inbound: 1, outbound: 1 });
  });
});
