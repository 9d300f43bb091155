import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteFile } from '../src/storage/sqlite-file';
import { BRIDGE_NUMBER, TestApp } from './helpers/test-app';
import { ON_POSTGRES, refuseConnections } from './helpers/test-database';

const VERSION = (
  JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }
).version;

describe('GET /health', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  const SENDER = { kind: 'phone_number', phoneNumber: BRIDGE_NUMBER, messagingServiceSid: null };

  it('answers 200 {"status":"ok"} with the mode, version and database check', async () => {
    const res = await t.http().get('/health').expect(200).expect('Content-Type', /json/);
    expect(res.body).toEqual({
      status: 'ok',
      mode: 'twilio',
      sender: SENDER,
      version: VERSION,
      database: 'ok',
    });
  });

  it('answers 503 unavailable with a code, never the driver text, once the database is unusable, and sends nothing', async () => {
    if (ON_POSTGRES) await refuseConnections(t.env.SMS_DATABASE_PATH);
    else t.app.get<SqliteFile | null>(SqliteFile)!.close();

    const res = await t.http().get('/health').expect(503);
    expect(res.body).toEqual({
      status: 'unavailable',
      code: 'storage_unavailable',
      mode: 'twilio',
      sender: SENDER,
      version: VERSION,
      database: 'error',
    });
    // The detail is the local readiness route's.
    const ready = await t.http().get('/health/ready').expect(503);
    expect(ready.body.checks.database.problem).toMatch(
      ON_POSTGRES ? /^The database is unreachable or slow: / : /^The database cannot be written: /,
    );

    // Without a database there is no audit, so nothing may be sent.
    const send = await t.http().post('/sms/send').send({ to: '+15551234567', body: 'x' });
    expect(send.status).toBe(503);
    // On PostgreSQL the throttle, counted in the database, refuses before the audit is tried.
    expect(send.body.error.code).toBe(ON_POSTGRES ? 'storage_unavailable' : 'audit_unavailable');
    expect(t.simulator.requestCount).toBe(0);
  });
});
