import { AuditService } from '../src/safety/audit/audit.service';
import { countRows } from './helpers/db-file';
import { TestApp } from './helpers/test-app';

/** What Caddy adds when it forwards a request from outside to localhost:3032. */
const VIA_CADDY = { 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https' };

describe('local-only routes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  it.each([
    ['X-Forwarded-For', { 'X-Forwarded-For': '203.0.113.7' }],
    ['Forwarded', { Forwarded: 'for=203.0.113.7;proto=https' }],
    ['X-Real-IP', { 'X-Real-IP': '203.0.113.7' }],
    ['Caddy’s headers', VIA_CADDY],
  ])('refuses a send that came through a proxy (%s) and sends nothing', async (_name, headers) => {
    const requests = t.simulator.requestCount;
    const stored = await countRows(t.env.SMS_DATABASE_PATH, 'outbound_messages');
    const res = await t
      .http()
      .post('/sms/send')
      .set(headers)
      .send({ to: '+15551234567', body: 'should not go out' })
      .expect(403);

    expect(res.body).toEqual({
      error: {
        code: 'local_only',
        message: expect.stringContaining('only answers callers on this machine'),
      },
    });
    expect(t.simulator.requestCount).toBe(requests);
    expect(t.simulator.messages).toEqual([]);
    expect(await countRows(t.env.SMS_DATABASE_PATH, 'outbound_messages')).toBe(stored);
  });

  it('refuses a send under a Host naming another machine (DNS rebinding), audited, sending nothing', async () => {
    const start = new Date().toISOString();
    const requests = t.simulator.requestCount;
    const res = await t
      .http()
      .post('/sms/send')
      .set('Host', 'rebind.attacker.example:3032')
      .send({ to: '+15551234567', body: 'rebound' })
      .expect(403);

    expect(res.body.error.code).toBe('local_only');
    expect(t.simulator.requestCount).toBe(requests);
    expect(await t.app.get(AuditService).since(start)).toContainEqual(
      expect.objectContaining({
        action: 'send',
        outcome: 'refused',
        reason: 'local_only',
        detail: { proxied: false, host: 'rebind.attacker.example:3032' },
      }),
    );
  });

  it('refuses the OpenAPI document under a foreign Host', async () => {
    const res = await t.http().get('/docs-json').set('Host', 'rebind.attacker.example').expect(403);
    expect(res.body.error.code).toBe('local_only');
    await t.http().get('/docs-json').set('Host', 'localhost').expect(200);
  });

  it('refuses to read the inbox through a proxy', async () => {
    await t.simulator.sendInbound({ from: '+15551234567', body: 'private' });
    const res = await t.http().get('/sms/inbox').set(VIA_CADDY).expect(403);
    expect(res.body.error.code).toBe('local_only');
    expect(res.text).not.toContain('private');
  });

  it('serves the same routes to a direct local caller', async () => {
    const inbox = await t.http().get('/sms/inbox').expect(200);
    expect(inbox.body.messages.map((m: { body: string }) => m.body)).toEqual(['private']);
    await t.http().post('/sms/send').send({ to: '+15551234567', body: 'local' }).expect(201);
  });

  it('answers an unknown route with the one error body', async () => {
    // Guards run per route; an unknown path is a 404 for everyone, with the one error body.
    const res = await t.http().get('/sms/nothing-here').set(VIA_CADDY).expect(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('leaves /health public', async () => {
    const res = await t.http().get('/health').set(VIA_CADDY).expect(200);
    expect(res.body.status).toBe('ok');
  });
});
