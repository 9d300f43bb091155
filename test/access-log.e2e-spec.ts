import { TestApp } from './helpers/test-app';

interface LogLine {
  level: number;
  msg: string;
  req?: { id?: string };
  err?: unknown;
  errorCode?: string;
}

/** The lines the app logged while answering the request with this id. */
function linesOf(t: TestApp, requestId: string): LogLine[] {
  return t
    .logs()
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LogLine & { reqId?: string })
    .filter((line) => line.req?.id === requestId || line.reqId === requestId);
}

describe('the access log of an answer that is not a success', () => {
  let t: TestApp;

  beforeAll(async () => {
    // An account Twilio refuses: readiness fails.
    t = await TestApp.create({ env: { TWILIO_AUTH_TOKEN: 'f'.repeat(32) } });
  });
  afterAll(() => t.close());

  it('logs a failed readiness probe as one line, without a made-up stack', async () => {
    const res = await t.http().get('/health/ready').expect(503);
    const lines = linesOf(t, res.headers['x-request-id']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'GET /health/ready 503' });
    expect(lines[0].err).toBeUndefined();
    expect(JSON.stringify(lines[0])).not.toMatch(/onResFinished|failed with status code/);
  });

  it('logs a send Twilio refused as one line with its error code', async () => {
    const res = await t.http().post('/sms/send').send({ to: '+15551234567', body: 'hello' });
    expect(res.status).toBe(502);
    const lines = linesOf(t, res.headers['x-request-id']);
    const access = lines.filter((line) => line.msg === 'POST /sms/send 502');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ level: 50, errorCode: res.body.error.code });
    expect(access[0].err).toBeUndefined();
    expect(t.logs()).not.toMatch(/onResFinished|failed with status code/);
  });

  it('names the code of a refusal too', async () => {
    const res = await t.http().get('/sms/inbox?since=SM0123').expect(400);
    const [line] = linesOf(t, res.headers['x-request-id']);
    expect(line).toMatchObject({ level: 40, errorCode: 'invalid_since' });
  });
});
